import { describe, expect, it } from 'vitest';
import { noiseKernel, NoiseStripper } from './noise';
import { defaultSimulationOptions, planSimulation, type SimulationOptions } from './simulate';
import { FWHM_PER_SIGMA } from './sources';
import { renderAll, rms } from './testHelpers';

function opts(over: Partial<SimulationOptions>): SimulationOptions {
  return { ...defaultSimulationOptions(), width: 256, height: 256, ...over };
}

describe('simulate: determinism', () => {
  it('gives identical pixels and truth for the same seed, whatever the strip height', async () => {
    const o = opts({ width: 200, height: 170, densityPerDeg2: 3000, seed: 42 });
    const a = planSimulation(o);
    const b = planSimulation(o);
    expect(b.sources).toEqual(a.sources);
    expect(a.sources.length).toBeGreaterThan(10);
    const pa = await renderAll(a, { stripRows: 256 });
    const pb = await renderAll(b, { stripRows: 37 });
    expect(Buffer.from(pb.buffer).equals(Buffer.from(pa.buffer))).toBe(true);
  });

  it('changes with the seed', async () => {
    const a = await renderAll(planSimulation(opts({ seed: 1, count: 0 })));
    const b = await renderAll(planSimulation(opts({ seed: 2, count: 0 })));
    expect(a[1000]).not.toBe(b[1000]);
    expect(planSimulation(opts({ seed: 1 })).sources).not.toEqual(planSimulation(opts({ seed: 2 })).sources);
  });
});

describe('simulate: noise', () => {
  it('has unit variance before calibration (kernel normalised so Σk² = 1)', () => {
    const sigma = 15 / 4 / FWHM_PER_SIGMA;
    const w = 512;
    const rows = 512;
    const out = new Float32Array(w * rows);
    new NoiseStripper(7, w, noiseKernel(sigma), rows).fill(0, rows, out);
    expect(rms(out)).toBeGreaterThan(0.97);
    expect(rms(out)).toBeLessThan(1.03);
  });

  it('source-free map: measured rms equals the target within 3 %', async () => {
    for (const rmsJy of [20e-6, 1e-3]) {
      const data = await renderAll(planSimulation(opts({ width: 700, height: 500, count: 0, rmsJy, seed: 3 })));
      const measured = rms(data);
      expect(Math.abs(measured / rmsJy - 1)).toBeLessThan(0.03);
    }
  });

  it('is correlated on the beam scale like white noise ⊗ beam (analytic autocorrelation)', async () => {
    const o = opts({ width: 600, height: 600, count: 0, seed: 9 });
    const data = await renderAll(planSimulation(o));
    const sigma = o.beamArcsec / o.pixelArcsec / FWHM_PER_SIGMA;
    const var0 = rms(data) ** 2;
    const acf = (lag: number): number => {
      let s = 0;
      let n = 0;
      for (let y = 0; y < o.height; y++) {
        for (let x = 0; x + lag < o.width; x++) {
          s += data[y * o.width + x]! * data[y * o.width + x + lag]!;
          n++;
        }
      }
      return s / n / var0;
    };
    // White noise convolved with a Gaussian of σ has autocorrelation exp(−lag² / 4σ²).
    const lagHalfFwhm = Math.round(o.beamArcsec / o.pixelArcsec / 2); // 2 px
    expect(acf(lagHalfFwhm)).toBeGreaterThan(0.5);
    for (const lag of [1, 2, 4, 8]) expect(acf(lag)).toBeCloseTo(Math.exp((-lag * lag) / (4 * sigma * sigma)), 1);
  });
});

describe('simulate: sources (noise-free)', () => {
  it('point sources: the brightest pixel is the truth peak sampled at the nearest pixel centre', async () => {
    const o = opts({ width: 300, height: 300, rmsJy: 0, count: 12, extendedFraction: 0, minSeparationArcsec: 200, seed: 5 });
    const plan = planSimulation(o);
    const data = await renderAll(plan);
    const sigma = o.beamArcsec / o.pixelArcsec / FWHM_PER_SIGMA;
    expect(plan.sources.length).toBe(12);
    for (const s of plan.sources) {
      expect(s.type).toBe('point');
      expect(s.peak).toBe(s.flux);
      const ix = Math.round(s.x);
      const iy = Math.round(s.y);
      const r2 = (ix - s.x) ** 2 + (iy - s.y) ** 2;
      const expected = s.peak * Math.exp(-r2 / (2 * sigma * sigma));
      expect(data[iy * o.width + ix]! / expected).toBeCloseTo(1, 4);
      // Within half a pixel of the centre the sampled peak stays within 10 % of the truth.
      expect(data[iy * o.width + ix]! / s.peak).toBeGreaterThan(0.9);
    }
  });

  it('extended sources: Σ pixels / beam area = truth flux (1 %), moments give truth bmaj/bmin/PA', async () => {
    const o = opts({ width: 512, height: 512, rmsJy: 0, count: 8, extendedFraction: 1, minSeparationArcsec: 600, seed: 11 });
    const plan = planSimulation(o);
    const data = await renderAll(plan);
    const beamAreaPx = (Math.PI * o.beamArcsec ** 2) / (4 * Math.LN2) / o.pixelArcsec ** 2;
    let checkedPa = 0;
    for (const s of plan.sources) {
      expect(s.type).toBe('extended');
      const half = Math.ceil((4 * s.bmaj) / o.pixelArcsec);
      if (s.x - half < 0 || s.y - half < 0 || s.x + half >= o.width || s.y + half >= o.height) continue;
      let sum = 0;
      let mx = 0;
      let my = 0;
      let mxx = 0;
      let myy = 0;
      let mxy = 0;
      for (let y = Math.floor(s.y) - half; y <= Math.ceil(s.y) + half; y++) {
        for (let x = Math.floor(s.x) - half; x <= Math.ceil(s.x) + half; x++) {
          const v = data[y * o.width + x]!;
          const dx = x - s.x;
          const dy = y - s.y;
          sum += v;
          mx += v * dx;
          my += v * dy;
          mxx += v * dx * dx;
          myy += v * dy * dy;
          mxy += v * dx * dy;
        }
      }
      expect(Math.abs(sum / beamAreaPx / s.flux - 1)).toBeLessThan(0.01);
      expect(Math.abs(mx / sum)).toBeLessThan(0.01);
      expect(Math.abs(my / sum)).toBeLessThan(0.01);
      const cxx = mxx / sum;
      const cyy = myy / sum;
      const cxy = mxy / sum;
      const tr = (cxx + cyy) / 2;
      const det = Math.sqrt(((cxx - cyy) / 2) ** 2 + cxy * cxy);
      const fwhm = (variance: number): number => Math.sqrt(variance) * FWHM_PER_SIGMA * o.pixelArcsec;
      expect(fwhm(tr + det) / s.bmaj).toBeCloseTo(1, 2);
      expect(fwhm(tr - det) / s.bmin).toBeCloseTo(1, 2);
      if (s.bmin / s.bmaj < 0.85) {
        // Major-axis direction in pixels → PA east of north with north = +y and east = −x (CDELT1 < 0).
        const theta = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
        const pa = (((Math.atan2(-Math.cos(theta), Math.sin(theta)) * 180) / Math.PI) % 180 + 180) % 180;
        const diff = Math.abs(((pa - s.pa + 90) % 180 + 180) % 180 - 90);
        expect(diff).toBeLessThan(1.5);
        checkedPa++;
      }
    }
    expect(checkedPa).toBeGreaterThan(2);
  });
});
