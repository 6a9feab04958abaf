import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeaderCard } from '../../shared/contract/images';
import { buildHeader, parseCard } from './cards';
import { formatCard } from './formatCard';
import { openFitsImage, readHeaderOnly } from './image';
import { writeFitsImage } from './writer';

const dir = mkdtempSync(join(tmpdir(), 'fits-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PYTHON = '/usr/bin/python3';
const hasAstropy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import astropy'], { encoding: 'utf8' }).status === 0;

/** astropy's physical values (NaN -> null) and a few header values of a file we wrote. */
function astropyRead(path: string, keys: string[]): { bitpix: number; shape: number[]; values: (number | null)[]; header: Record<string, unknown> } {
  const script = `
import json, sys, math, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as f:
    f.verify('exception')
    h = f[0].header
    bitpix = h['BITPIX']
    blank = h.get('BLANK')
    d = np.array(f[0].data, dtype=np.float64)
    if bitpix > 0 and blank is not None:
        with fits.open(sys.argv[1], do_not_scale_image_data=True) as g:
            d[np.asarray(g[0].data) == blank] = np.nan
    out = {'bitpix': bitpix, 'shape': list(d.shape), 'values': [None if math.isnan(v) else v for v in d.ravel().tolist()],
           'header': {k: h.get(k) for k in sys.argv[2:]}}
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', script, path, ...keys], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function testImage(width: number, height: number): Float32Array {
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = Math.fround(Math.sin(i * 0.37) * 100 + (i % 7));
  d[5] = NaN;
  d[d.length - 1] = NaN;
  return d;
}

describe('formatCard', () => {
  const roundTrip = (c: HeaderCard): HeaderCard => {
    const text = formatCard(c);
    expect(text.length % 80).toBe(0);
    const images = text.match(/.{80}/g)!;
    const { header } = buildHeader(images);
    return header.cards[0]!;
  };

  it('writes fixed-format numbers, logicals and strings that parse back identically', () => {
    expect(formatCard({ key: 'NAXIS1', value: 512 })).toBe('NAXIS1  =                  512'.padEnd(80));
    expect(formatCard({ key: 'SIMPLE', value: true, comment: 'ok' })).toBe('SIMPLE  =                    T / ok'.padEnd(80));
    expect(formatCard({ key: 'CTYPE1', value: 'RA---SIN' })).toBe("CTYPE1  = 'RA---SIN'".padEnd(80));
    for (const c of [
      { key: 'CDELT1', value: -1.3888888888888889e-3, comment: 'deg' },
      { key: 'CRVAL1', value: 1e-300 },
      { key: 'BIG', value: 1.7976931348623157e308 },
      { key: 'NEG', value: -0.1 },
      { key: 'ONE', value: 1 },
      { key: 'OBJECT', value: "it's 'quoted'", comment: 'target' },
      { key: 'FLAG', value: false },
    ]) {
      expect(roundTrip(c)).toEqual(c);
    }
  });

  it('writes long strings with CONTINUE, long keywords with HIERARCH, long commentary on several cards', () => {
    const long = `${"a'b ".repeat(40)}end`;
    const text = formatCard({ key: 'LONG', value: long, comment: 'a comment' });
    expect(text.length).toBeGreaterThan(160);
    expect(text.slice(80, 88)).toBe('CONTINUE');
    expect(roundTrip({ key: 'LONG', value: long, comment: 'a comment' })).toEqual({ key: 'LONG', value: long, comment: 'a comment' });
    expect(formatCard({ key: 'ESO DET CHIP', value: 3 }).startsWith('HIERARCH ESO DET CHIP = 3')).toBe(true);
    expect(parseCard(formatCard({ key: 'ESO DET CHIP', value: 3 })).card).toEqual({ key: 'ESO DET CHIP', value: 3 });
    const history = formatCard({ key: 'HISTORY', comment: 'x'.repeat(100) });
    expect(history.length).toBe(160);
    expect(history.slice(80, 88)).toBe('HISTORY ');
    expect(formatCard({ key: '', comment: 'blank' })).toBe('        blank'.padEnd(80));
  });

  it('refuses values FITS cannot hold', () => {
    expect(() => formatCard({ key: 'BAD', value: NaN })).toThrow(/cannot store/);
  });
});

describe('writeFitsImage round trip', () => {
  const width = 37;
  const height = 23;
  const data = testImage(width, height);
  const cards: HeaderCard[] = [
    { key: 'BUNIT', value: 'Jy/beam' },
    { key: 'BMAJ', value: 0.002, comment: 'deg' },
    { key: 'BMIN', value: 0.001 },
    { key: 'LONGNOTE', value: 'z'.repeat(120) },
    { key: 'HISTORY', comment: 'written by the writer test' },
  ];
  const blocks = function* (rows: number): Generator<Float32Array> {
    for (let y = 0; y < height; y += rows) yield data.slice(y * width, Math.min(height, y + rows) * width);
  };
  const asyncBlocks = async function* (rows: number): AsyncGenerator<Float32Array> {
    yield* blocks(rows);
  };

  const variants: { name: string; bitpix: -32 | -64 | 16 | 32 | 8; extra: HeaderCard[]; source: () => Float32Array | Iterable<Float32Array> | AsyncIterable<Float32Array> }[] = [
    { name: 'float32 whole', bitpix: -32, extra: [], source: () => data },
    { name: 'float32 streamed (async, 4-row blocks)', bitpix: -32, extra: [], source: () => asyncBlocks(4) },
    { name: 'float64 streamed (sync, 1-row blocks)', bitpix: -64, extra: [], source: () => blocks(1) },
    { name: 'int16 with BSCALE/BZERO', bitpix: 16, extra: [{ key: 'BSCALE', value: 0.01 }, { key: 'BZERO', value: 2 }], source: () => blocks(5) },
    { name: 'int32 with BSCALE', bitpix: 32, extra: [{ key: 'BSCALE', value: 1e-6 }], source: () => data },
    { name: 'uint8 with BLANK', bitpix: 8, extra: [{ key: 'BSCALE', value: 1 }, { key: 'BZERO', value: -100 }, { key: 'BLANK', value: 255 }], source: () => data },
  ];

  for (const v of variants) {
    it(`${v.name}: our reader and astropy read back the same values`, async () => {
      const path = join(dir, `${v.name.replace(/\W+/g, '_')}.fits`);
      await writeFitsImage(path, { width, height, bitpix: v.bitpix, cards: [...cards, ...v.extra], data: v.source() });
      expect(readFileSync(path).length % 2880).toBe(0);
      const image = await openFitsImage(path);
      const ours = await image.readRows(0, height);
      await image.close();
      expect(image.warnings).toEqual([]);
      expect(image.bitpix).toBe(v.bitpix);
      expect(image.beam).toEqual({ bmajDeg: 0.002, bminDeg: 0.001, bpaDeg: 0, source: 'BMAJ' });
      const scale = Number(v.extra.find((c) => c.key === 'BSCALE')?.value ?? 0);
      for (let i = 0; i < data.length; i++) {
        if (Number.isNaN(data[i])) expect(Number.isNaN(ours[i])).toBe(true);
        else if (v.bitpix < 0) expect(ours[i]).toBe(data[i]);
        // Integer storage quantises to BSCALE steps (8-bit also clips to its range).
        else if (v.bitpix !== 8) expect(Math.abs(ours[i]! - data[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-5 * Math.abs(data[i]!));
      }
      if (hasAstropy) {
        const ref = astropyRead(path, ['BUNIT', 'BMAJ', 'LONGNOTE']);
        expect(ref.bitpix).toBe(v.bitpix);
        expect(ref.shape).toEqual([height, width]);
        expect(ref.header).toEqual({ BUNIT: 'Jy/beam', BMAJ: 0.002, LONGNOTE: 'z'.repeat(120) });
        // astropy scales 8/16-bit data in float32 arithmetic: allow float32 rounding of BZERO too.
        const bzero = Math.abs(Number(v.extra.find((c) => c.key === 'BZERO')?.value ?? 0));
        ref.values.forEach((r, i) => {
          if (r === null) expect(Number.isNaN(ours[i]), `pixel ${i}`).toBe(true);
          else expect(Math.abs(ours[i]! - r), `pixel ${i}`).toBeLessThanOrEqual(1e-6 * Math.abs(r) + 2.4e-7 * bzero);
        });
      }
    });
  }

  it('refuses a wrong number of rows and leaves no file behind', async () => {
    const path = join(dir, 'short.fits');
    await expect(writeFitsImage(path, { width, height, data: data.subarray(0, width * 3) })).rejects.toMatchObject({ code: 'validation' });
    await expect(writeFitsImage(path, { width, height, data: [data.subarray(0, 10)] })).rejects.toMatchObject({ code: 'validation' });
    expect(readdirSync(dir).filter((f) => f.startsWith('short'))).toEqual([]);
  });

  it('drops mandatory keywords passed in cards so the header stays valid', async () => {
    const path = join(dir, 'mandatory.fits');
    await writeFitsImage(path, { width: 2, height: 2, data: new Float32Array(4), cards: [{ key: 'NAXIS', value: 3 }, { key: 'BITPIX', value: 8 }] });
    const h = await readHeaderOnly(path);
    expect([h.get('NAXIS'), h.get('BITPIX')]).toEqual([2, -32]);
  });
});
