import { describe, expect, it } from 'vitest';
import { findIslandPeaks } from './deblend';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane, unitMaps } from './synthetic';
import { FWHM_PER_SIGMA, type BackgroundMaps, type ImagePlane } from './types';
import { detectIslands } from './measure';
import { finderOptions } from './types';

// 15" beam on 4" pixels
const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };
const fwhm = 1.6 * FWHM_PER_SIGMA;
/** White pixel noise: Condon's uncorrelated limit θN ≈ 0.664 pixel (see condon.ts). */
const whiteNoise = { noiseFwhmPx: 0.664 };


describe('deblending peaks (persistence)', () => {
  it('one noiseless Gaussian has one peak; two separated ones joined by a bridge have two', () => {
    const p = makePlane(80, 40);
    addGaussian(p, { amp: 100, x: 20, y: 20, majorSigma: 2, minorSigma: 2, paDeg: 0 });
    const one = detectIslands(p, unitMaps(p), beam, finderOptions());
    expect(findIslandPeaks(p, unitMaps(p), one, 1, 3, 2)).toHaveLength(1);
    addGaussian(p, { amp: 40, x: 29, y: 20, majorSigma: 2, minorSigma: 2, paDeg: 0 });
    const two = detectIslands(p, unitMaps(p), beam, finderOptions());
    expect(two.count).toBe(1);
    const peaks = findIslandPeaks(p, unitMaps(p), two, 1, 3, 2);
    expect(peaks.map((k) => [k.x, k.y])).toEqual([[20, 20], [29, 20]]);
    expect(peaks[0].prominence).toBe(Infinity);
    // by symmetry the highest path between the peaks runs along y = 20: the saddle is its minimum
    let saddle = Infinity;
    for (let x = 20; x <= 29; x++) saddle = Math.min(saddle, p.data[20 * 80 + x]);
    expect(peaks[1].prominence).toBeCloseTo(p.data[20 * 80 + 29] - saddle, 4);
    // a high drop requirement merges them
    expect(findIslandPeaks(p, unitMaps(p), two, 1, peaks[1].prominence + 0.1, 2)).toHaveLength(1);
    // and a minimum separation larger than theirs keeps only the stronger
    expect(findIslandPeaks(p, unitMaps(p), two, 1, 3, 9.5)).toHaveLength(1);
  });
});

describe('island fitting', () => {
  it('single point source at S/N 50: flux within 1 % on average over 10 noise seeds; errors are honest', () => {
    const ratios: number[] = [];
    const predicted: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const p = makePlane(128, 128);
      addNoise(p, 1, seed);
      addGaussian(p, { amp: 50, x: 64.3, y: 63.8, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
      const r = runFinder(p, beam, {}, whiteNoise);
      expect(r.components).toHaveLength(1);
      const c = r.components[0];
      expect(c.fitQuality === 'ok' || c.fitQuality === 'atBound').toBe(true);
      expect(Math.hypot(c.x - 64.3, c.y - 63.8)).toBeLessThan(0.1);
      ratios.push(c.flux / 50);
      predicted.push(c.fluxErr / c.flux);
    }
    const mean = ratios.reduce((a, b) => a + b) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (ratios.length - 1));
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.04);
    // Condon's predicted flux error matches the scatter across seeds within a factor 1.6
    const pred = predicted.reduce((a, b) => a + b) / predicted.length;
    expect(sd / pred).toBeGreaterThan(1 / 1.6);
    expect(sd / pred).toBeLessThan(1.6);
  });

  it('resolved elliptical source: size, PA (E of N) and deconvolved size', () => {
    const p = makePlane(128, 128);
    addNoise(p, 0.1, 3);
    // intrinsic σ 3 × 1.2 at PA 60, convolved with the circular beam: σ² adds
    const maj = Math.hypot(3, 1.6), min = Math.hypot(1.2, 1.6);
    addGaussian(p, { amp: 30, x: 60.2, y: 70.9, majorSigma: maj, minorSigma: min, paDeg: 60 });
    const r = runFinder(p, beam, {}, whiteNoise);
    expect(r.components).toHaveLength(1);
    const c = r.components[0];
    expect(c.fitQuality).toBe('ok');
    expect(Math.abs(c.majorSigmaPx / maj - 1)).toBeLessThan(0.01);
    expect(Math.abs(c.minorSigmaPx / min - 1)).toBeLessThan(0.01);
    expect(c.paDeg).toBeCloseTo(60, 0);
    expect(c.deconvMajorFwhmPx / FWHM_PER_SIGMA).toBeCloseTo(3, 1);
    expect(c.deconvMinorFwhmPx / FWHM_PER_SIGMA).toBeCloseTo(1.2, 1);
    expect(c.deconvPaDeg).toBeCloseTo(60, 0);
    expect(c.flux / ((30 * maj * min) / (1.6 * 1.6)) - 1).toBeLessThan(0.01);
    expect(c.redChi2).toBeGreaterThan(0.8);
    expect(c.redChi2).toBeLessThan(1.2);
  });

  it('two sources 1 beam FWHM apart with flux ratio 1:5 are separated (positions within 0.2 beam)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const p = makePlane(128, 128);
      addNoise(p, 1, 100 + seed);
      const a = { amp: 100, x: 60.3, y: 64.1, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 };
      // separation one FWHM along a diagonal
      const b = { ...a, amp: 20, x: 60.3 + fwhm / Math.SQRT2, y: 64.1 + fwhm / Math.SQRT2 };
      addGaussian(p, a);
      addGaussian(p, b);
      const r = runFinder(p, beam);
      expect(r.islands).toHaveLength(1);
      expect(r.components).toHaveLength(2);
      const [c1, c2] = [...r.components].sort((u, v) => v.flux - u.flux);
      expect(Math.hypot(c1.x - a.x, c1.y - a.y)).toBeLessThan(0.2 * fwhm);
      expect(Math.hypot(c2.x - b.x, c2.y - b.y)).toBeLessThan(0.2 * fwhm);
      // the split of flux between blended components is loose at S/N 20 (free sizes); the total is not
      expect(Math.abs(c1.flux / 100 - 1)).toBeLessThan(0.15);
      expect(Math.abs(c2.flux / 20 - 1)).toBeLessThan(0.6);
      expect(Math.abs((c1.flux + c2.flux) / 120 - 1)).toBeLessThan(0.03);
    }
  });

  it('a faint compact source on the wing of a bright extended one is separated', () => {
    const p = makePlane(128, 128);
    addNoise(p, 1, 9);
    addGaussian(p, { amp: 200, x: 60, y: 60, majorSigma: 5, minorSigma: 4, paDeg: 20 });
    // 1.6 beam FWHM out, where the bright source is still ~100 σ
    const faint = { amp: 15, x: 66, y: 60, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 };
    addGaussian(p, faint);
    const r = runFinder(p, beam);
    expect(r.islands).toHaveLength(1);
    expect(r.components.length).toBe(2);
    const f = r.components.reduce((u, v) => (u.flux < v.flux ? u : v));
    expect(Math.hypot(f.x - faint.x, f.y - faint.y)).toBeLessThan(0.2 * fwhm);
    expect(Math.abs(f.peak / 15 - 1)).toBeLessThan(0.25);
  });

  it('a NaN hole in a source: flagged, still fitted from the remaining pixels', () => {
    const p = makePlane(100, 100);
    addNoise(p, 1, 4);
    addGaussian(p, { amp: 80, x: 50, y: 50, majorSigma: 2, minorSigma: 2, paDeg: 0 });
    for (let y = 49; y <= 51; y++) for (let x = 49; x <= 51; x++) p.data[y * 100 + x] = NaN;
    const r = runFinder(p, beam, {}, whiteNoise);
    expect(r.islands).toHaveLength(1);
    expect(r.islands[0].flags.nanNearby).toBe(true);
    expect(r.components).toHaveLength(1);
    const c = r.components[0];
    expect(Math.abs(c.peak / 80 - 1)).toBeLessThan(0.1);
    expect(Math.hypot(c.x - 50, c.y - 50)).toBeLessThan(0.3);
  });

  it('empty, constant and all-NaN images give zero sources', () => {
    const noise = makePlane(256, 256);
    addNoise(noise, 2e-5, 77);
    expect(runFinder(noise, beam).components).toHaveLength(0);
    expect(runFinder(makePlane(128, 128, 0.25), beam).components).toHaveLength(0);
    expect(runFinder(makePlane(64, 64, NaN), beam).components).toHaveLength(0);
  });

  it('a fit that cannot converge is flagged, not dropped; an unfittable island falls back to moments', () => {
    const p = makePlane(100, 100);
    addNoise(p, 1, 5);
    addGaussian(p, { amp: 60, x: 40, y: 40, majorSigma: 3, minorSigma: 2, paDeg: 30 });
    const capped = runFinder(p, beam, { maxFitIterations: 1 });
    expect(capped.components).toHaveLength(1);
    expect(capped.components[0].fitQuality).toBe('notConverged');
    expect(Number.isFinite(capped.components[0].flux)).toBe(true);
    // a two-pixel island with no margin has fewer pixels than parameters
    const q = makePlane(60, 60);
    addNoise(q, 1, 6);
    q.data[30 * 60 + 30] = 40;
    q.data[30 * 60 + 31] = 30;
    const tiny = runFinder(q, beam, { minPixels: 2, fitMarginBeams: 0 });
    expect(tiny.components).toHaveLength(1);
    expect(tiny.components[0].fitQuality).toBe('failed');
    expect(tiny.components[0].flux).toBeCloseTo(tiny.islands[0].flux, 10);
  });
});

describe('options schema', () => {
  it('exports as JSON schema with every default (for the UI and finder presets)', async () => {
    const { z } = await import('zod');
    const { FinderOptionsSchema } = await import('./types');
    const schema = z.toJSONSchema(FinderOptionsSchema, { io: 'input' }) as { properties: Record<string, { default?: unknown }> };
    expect(schema.properties.seedSigma.default).toBe(5);
    expect(schema.properties.mergeSigma.default).toBe(2.6);
    for (const [name, prop] of Object.entries(schema.properties)) expect(prop.default, name).toBeDefined();
  });
});

describe('the beam is the minimum fitted size', () => {
  it('sources narrower than the beam (noise spikes, bad data) are fitted no smaller than the beam', () => {
    const p = makePlane(120, 60);
    addNoise(p, 1, 17);
    // σ 0.9 px on a 1.6 px beam: unphysical for a restored image, the fit must stop at the beam
    addGaussian(p, { amp: 40, x: 30, y: 30, majorSigma: 0.9, minorSigma: 0.9, paDeg: 0 });
    addGaussian(p, { amp: 40, x: 90, y: 30, majorSigma: 2.4, minorSigma: 0.9, paDeg: 60 });
    const r = runFinder(p, beam, { splitBlends: false }, whiteNoise);
    expect(r.components).toHaveLength(2);
    for (const c of r.components) expect(c.minorSigmaPx).toBeGreaterThanOrEqual(1.6 - 1e-9);
    // the old 0.8-beam floor would have let them shrink below the beam
    const loose = runFinder(p, beam, { splitBlends: false, minSizeBeamFraction: 0.5 }, whiteNoise);
    expect(Math.min(...loose.components.map((c) => c.minorSigmaPx))).toBeLessThan(1.3);
  });
});
