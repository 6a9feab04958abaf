import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHeaderOnly } from '../fits';
import { parseWcs } from '../wcs';
import { defaultSimulationOptions, planSimulation, runSimulation } from './simulate';
import { renderAll } from './testHelpers';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-sim-wcs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D2R = Math.PI / 180;

/** Position angle (deg east of north) of b seen from a: the spherical-trigonometry definition. */
function positionAngle(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dra = (b.lon - a.lon) * D2R;
  const y = Math.sin(dra) * Math.cos(b.lat * D2R);
  const x = Math.cos(a.lat * D2R) * Math.sin(b.lat * D2R) - Math.sin(a.lat * D2R) * Math.cos(b.lat * D2R) * Math.cos(dra);
  return Math.atan2(y, x) / D2R;
}

describe('simulated truth against the app WCS module', () => {
  it('truth x,y ↔ ra,dec round-trip through parseWcs of the written header', async () => {
    for (const projection of ['SIN', 'TAN'] as const) {
      const fitsPath = join(dir, `${projection}.fits`);
      const truthPath = join(dir, `${projection}.csv`);
      await runSimulation(
        { ...defaultSimulationOptions(), width: 900, height: 1100, projection, raDeg: 0.5, decDeg: 70, densityPerDeg2: 500, seed: 8 },
        { fitsPath, truthPath },
      );
      const wcs = parseWcs((await readHeaderOnly(fitsPath)).values, fitsPath);
      const rows = readFileSync(truthPath, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      expect(rows.length).toBeGreaterThan(20);
      for (const r of rows) {
        const [x, y, ra, dec] = [Number(r[3]), Number(r[4]), Number(r[1]), Number(r[2])];
        const w = wcs.pixelToWorld({ x, y })!;
        const dra = (((w.lon - ra + 540) % 360) - 180) * Math.cos(dec * D2R);
        expect(Math.hypot(dra, w.lat - dec)).toBeLessThan(1e-6);
        const p = wcs.worldToPixel({ lon: ra, lat: dec, frame: wcs.frame })!;
        expect(Math.hypot(p.x - x, p.y - y)).toBeLessThan(1e-3);
      }
    }
  });

  it('extended sources far from the centre: the rendered major axis has the truth PA on the sky', async () => {
    // A wide field at high declination, where local north rotates by degrees across the image.
    const o = { ...defaultSimulationOptions(), width: 1024, height: 1024, pixelArcsec: 20, beamArcsec: 75, decDeg: 75, rmsJy: 0, count: 12, extendedFraction: 1, minSeparationArcsec: 4000, seed: 21 };
    const plan = planSimulation(o);
    const data = await renderAll(plan);
    const wcs = parseWcs(Object.fromEntries(plan.cards.filter((c) => c.value !== undefined).map((c) => [c.key, c.value!])));
    let checked = 0;
    for (const s of plan.sources) {
      if (s.bmin / s.bmaj > 0.8) continue;
      const half = Math.ceil((3 * s.bmaj) / o.pixelArcsec);
      if (s.x - half < 0 || s.y - half < 0 || s.x + half >= o.width || s.y + half >= o.height) continue;
      let cxx = 0;
      let cyy = 0;
      let cxy = 0;
      for (let y = Math.round(s.y) - half; y <= Math.round(s.y) + half; y++) {
        for (let x = Math.round(s.x) - half; x <= Math.round(s.x) + half; x++) {
          const v = data[y * o.width + x]!;
          cxx += v * (x - s.x) ** 2;
          cyy += v * (y - s.y) ** 2;
          cxy += v * (x - s.x) * (y - s.y);
        }
      }
      const theta = 0.5 * Math.atan2(2 * cxy, cxx - cyy); // major-axis angle from +x
      const tip = wcs.pixelToWorld({ x: s.x + 2 * Math.cos(theta), y: s.y + 2 * Math.sin(theta) })!;
      const pa = (positionAngle({ lon: s.ra, lat: s.dec }, tip) + 360) % 180;
      const diff = Math.abs((((pa - s.pa + 90) % 180) + 180) % 180 - 90);
      expect(diff).toBeLessThan(1);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
