import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimProjection } from './projection';
import { defaultSimulationOptions, runSimulation } from './simulate';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-sim-proj-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readTruth(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const keys = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i]!, v])));
}

describe('SimProjection', () => {
  it('round-trips pixel → world → pixel for SIN and TAN, also near the pole and across RA 0', () => {
    for (const projection of ['SIN', 'TAN'] as const) {
      for (const [raDeg, decDeg] of [[187.5, -45], [0.2, 10], [45, 89.5], [300, -89]]) {
        const p = new SimProjection({ projection, width: 4000, height: 3000, raDeg: raDeg!, decDeg: decDeg!, pixelArcsec: 4 });
        for (const [x, y] of [[0, 0], [3999, 2999], [1999.5, 1499.5], [123.4, 2876.5]]) {
          const w = p.pixelToWorld(x!, y!)!;
          const back = p.worldToPixel(w.ra, w.dec)!;
          expect(Math.abs(back.x - x!)).toBeLessThan(1e-6);
          expect(Math.abs(back.y - y!)).toBeLessThan(1e-6);
        }
        const c = p.pixelToWorld(1999.5, 1499.5)!;
        expect(c.dec).toBeCloseTo(decDeg!, 9);
      }
    }
  });

  it('puts RA increasing to the left and north up', () => {
    const p = new SimProjection({ projection: 'SIN', width: 100, height: 100, raDeg: 10, decDeg: 0, pixelArcsec: 4 });
    const { north, east } = p.localAxes(10, 0);
    expect(north[1]).toBeCloseTo(1, 6);
    expect(east[0]).toBeCloseTo(-1, 6);
  });
});

describe('simulated FITS read back by astropy', () => {
  for (const projection of ['SIN', 'TAN'] as const) {
    it(`${projection}: astropy world of truth x,y equals truth ra,dec to 1e-6 deg; header and data agree`, async () => {
      const fitsPath = join(dir, `${projection}.fits`);
      const truthPath = join(dir, `${projection}.csv`);
      await runSimulation(
        { ...defaultSimulationOptions(), width: 1500, height: 1200, projection, raDeg: 359.8, decDeg: -62, densityPerDeg2: 400, seed: 4 },
        { fitsPath, truthPath, history: 'cirasa simulate --test' },
      );
      const truth = readTruth(truthPath);
      expect(truth.length).toBeGreaterThan(50);
      const script = `
import sys, json, csv, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
h = fits.open(sys.argv[1]); hd = h[0].header; d = h[0].data
w = WCS(hd)
rows = list(csv.DictReader(open(sys.argv[2])))
x = np.array([float(r['x']) for r in rows]); y = np.array([float(r['y']) for r in rows])
ra = np.array([float(r['ra']) for r in rows]); dec = np.array([float(r['dec']) for r in rows])
wr, wd = w.all_pix2world(x, y, 0)
dra = ((wr - ra + 180) % 360 - 180) * np.cos(np.radians(dec))
px, py = w.all_world2pix(ra, dec, 0)
print(json.dumps({"maxSep": float(np.max(np.hypot(dra, wd - dec))), "maxPix": float(np.max(np.hypot(px - x, py - y))),
  "bunit": hd['BUNIT'], "bmaj": hd['BMAJ'], "bmin": hd['BMIN'], "bpa": hd['BPA'], "radesys": hd['RADESYS'], "equinox": hd['EQUINOX'],
  "ctype": [hd['CTYPE1'], hd['CTYPE2']], "cdelt1": hd['CDELT1'], "history": str(hd['HISTORY']), "shape": list(d.shape), "dtype": str(d.dtype),
  "std": float(np.std(d)), "finite": bool(np.all(np.isfinite(d)))}))
`;
      const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, fitsPath, truthPath], { encoding: 'utf8' })) as Record<string, unknown>;
      expect(out.maxSep as number).toBeLessThan(1e-6);
      expect(out.maxPix as number).toBeLessThan(1e-3);
      expect(out).toMatchObject({ bunit: 'JY/BEAM', bpa: 0, radesys: 'FK5', equinox: 2000, ctype: [`RA---${projection}`, `DEC--${projection}`], shape: [1200, 1500], finite: true });
      expect(out.bmaj as number).toBeCloseTo(15 / 3600, 12);
      expect(out.bmin as number).toBeCloseTo(15 / 3600, 12);
      expect(out.cdelt1 as number).toBeLessThan(0);
      expect(out.dtype).toMatch(/f4|float32/);
      expect(out.history).toContain('cirasa simulate --test');
    });
  }
});
