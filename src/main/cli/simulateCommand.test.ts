import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCirasaInProcess } from '../../../test/helpers/cli';
import { readHeaderOnly } from '../fits';
import { parseSimulateArgs } from './simulateCommand';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-simcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCirasaInProcess;

describe('cirasa simulate', () => {
  it('writes the FITS and the truth CSV beside it, with the command in HISTORY', async () => {
    const out = join(dir, 'field.fits');
    const r = await cli(['simulate', '--size', '300', '--out', out, '--dec', '-30', '--projection', 'tan', '--density', '2000', '--seed', '5']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('field.truth.csv');
    const truth = readFileSync(join(dir, 'field.truth.csv'), 'utf8').trim().split('\n');
    expect(truth[0]).toBe('id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type');
    expect(truth.length - 1).toBe(Math.round(2000 * (300 * 4 / 3600) ** 2));
    const header = await readHeaderOnly(out);
    const text = JSON.stringify(header);
    expect(text).toContain('RA---TAN');
    expect(text).toContain('cirasa simulate --size 300');
  });

  it('honours --truth, --width/--height and flux-law options', () => {
    const a = parseSimulateArgs(['--width', '100', '--height', '64', '--truth', 'x.csv', '--flux-law', 'powerlaw', '--alpha', '2.1', '--smin', '1e-4', '--rms=0']);
    if (a === 'help') throw new Error('unexpected help');
    expect([a.options.width, a.options.height, a.truth]).toEqual([100, 64, 'x.csv']);
    expect(a.options.fluxLaw).toEqual({ kind: 'powerlaw', alpha: 2.1, sminJy: 1e-4, smaxJy: 1000 * 20e-6 });
    expect(a.options.rmsJy).toBe(0);
  });

  it('fails clearly on bad options without writing files', async () => {
    const out = join(dir, 'bad.fits');
    const cases: [string[], RegExp][] = [
      [['--size', 'big'], /--size expects a number/],
      [['--projection', 'CAR'], /--projection must be SIN or TAN/],
      [['--flux-law', 'gauss'], /--flux-law must be exp or powerlaw/],
      [['--nope'], /Unknown option '--nope'/],
      [['--size', '20000'], /width must be an integer in 8…16384/],
      [['--rms', '-1'], /rms must be ≥ 0/],
      [['--extended-fraction', '2'], /extended-fraction must be in 0…1/],
      [['--smin', '1', '--smax', '0.5'], /smin ≤ smax/],
      [['--seed', '1.5'], /--seed expects an integer/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['simulate', '--out', out, ...args]);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('--help lists every option with its default', async () => {
    const r = await cli(['simulate', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--size', '--out', '--truth', '--rms', '--beam-arcsec', '--pixel-arcsec', '--projection', '--ra', '--dec', '--density', '--extended-fraction', '--flux-law', '--lambda', '--alpha', '--smin', '--seed', '--min-separation']) {
      expect(r.out).toContain(flag);
    }
    expect(r.out).toContain('[4000]');
    expect(r.out).toContain('[0.00002 = 20 uJy/beam]');
  });
});
