/**
 * xy2sky / sky2xy run as child processes (`tsx src/main/cli.ts`) on real images; expected sky positions
 * come from astropy (test/fixtures/wcs/golden.json, written by scripts/golden/wcsReference.py).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, realImage } from '../../../test/helpers/paths';
import { separationDeg } from '../wcs/angles';

interface GoldenCase { name: string; pixels: [number, number][]; world: ([number, number] | null)[] }
const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/wcs/golden.json'), 'utf8')) as { cases: GoldenCase[] };

function cli(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'src/main/cli.ts'), ...args], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}

function goldenFor(file: string): GoldenCase {
  const c = golden.cases.find((g) => g.name === `real:${file}[0]`);
  if (!c) throw new Error(`no golden case for ${file}`);
  return c;
}

describe('cirasa xy2sky / sky2xy (child process, real images)', () => {
  for (const file of ['aegean_PD_2000_sub_ATCA.fits', 'obit_CygnusA_VLA74MHz.fits']) {
    it(`${file}: xy2sky matches astropy, sky2xy inverts it`, async () => {
      const g = goldenFor(file);
      const pts = g.pixels.filter((_, i) => g.world[i] !== null).slice(0, 12);
      const worlds = g.world.filter((w): w is [number, number] => w !== null).slice(0, 12);
      const r = await cli(['xy2sky', realImage(file)], pts.map(([x, y]) => `${x} ${y}`).join('\n') + '\n');
      expect(r.code, r.err).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines).toHaveLength(pts.length);
      lines.forEach((line, i) => {
        const [lon, lat] = line.split(' ').map(Number) as [number, number];
        expect(line).toMatch(/^\d+\.\d{9} -?\d+\.\d{9}$/);
        // 9 printed decimals: 5e-10 deg rounding on top of the 1e-7 bar
        expect(separationDeg(lon, lat, worlds[i]![0], worlds[i]![1])).toBeLessThan(1e-7);
      });
      const back = await cli(['sky2xy', realImage(file), '--fits'], lines.join('\n') + '\n');
      expect(back.code, back.err).toBe(0);
      back.out.trim().split('\n').forEach((line, i) => {
        const [x, y] = line.split(' ').map(Number) as [number, number];
        expect(Math.hypot(x - 1 - pts[i]![0], y - 1 - pts[i]![1])).toBeLessThan(1e-4);
      });
    }, 60_000);
  }

  it('reports bad lines with their number on stderr, keeps going, exits 65', async () => {
    const file = realImage('obit_CygnusA_VLA74MHz.fits');
    const r = await cli(['xy2sky', file, '--fits', '--sexagesimal', '--frame', 'fk5'], '47 60\nnot numbers\n\n48 60\n');
    expect(r.code).toBe(65);
    expect(r.err).toContain('line 2:');
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    // FITS pixel (47, 60) is CRPIX: CRVAL (FK4 B1950) converted to FK5 J2000, hms/dms appended
    expect(lines[0]).toMatch(/^\d+\.\d{9} \d+\.\d{9} \d\d:\d\d:\d\d\.\d{3} \+\d\d:\d\d:\d\d\.\d\d$/);
    const s = await cli(['sky2xy', file, '--frame', 'fk5'], `${lines[0]!.split(' ').slice(2).join(' ')}\n99:00:00 10\n`);
    expect(s.code).toBe(65);
    expect(s.err).toContain('line 2:');
    const [x, y] = s.out.trim().split(' ').map(Number) as [number, number];
    expect(Math.hypot(x - 46, y - 59)).toBeLessThan(0.01); // sexagesimal printed to 1 ms of time
  }, 60_000);

  it('rejects an unknown frame with a usage error', async () => {
    const r = await cli(['xy2sky', realImage('obit_CygnusA_VLA74MHz.fits'), '--frame', 'ecliptic'], '');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--frame');
  }, 60_000);
});
