import { describe, expect, it } from 'vitest';
import { noiseKernel, NoiseStripper } from '../simulate/noise';
import {
  bhKeepCount,
  controlFalseDetections,
  dropUnmeasured,
  expectedNoisePeaks,
  noisePeakLambda,
  noisePeakLevel,
  searchedPixels,
} from './falseDetections';
import { runFinder } from './runFinder';
import { addGaussian, makePlane, makeRng } from './synthetic';
import { canonicalize, controlMerged, runFinderTiled } from './tiledFinder';
import type { Component, FinderOptions, ImagePlane, Island } from './types';

const SIGMA = 1.6;
const beam = { majorSigmaPx: SIGMA, minorSigmaPx: SIGMA, paDeg: 0 };

/** Unit-variance noise as `cirasa simulate` makes it: white noise convolved with a beam of `sigma` px. */
function beamNoise(width: number, height: number, seed: number, sigma = SIGMA): ImagePlane {
  const data = new Float32Array(new SharedArrayBuffer(width * height * 4));
  new NoiseStripper(seed, width, noiseKernel(sigma), height).fill(0, height, data);
  return { width, height, data };
}

/**
 * Local maxima (3×3, border excluded) whose peak, interpolated by a parabola along x and y, is above
 * u: the brute-force count of the field's maxima (a pixel's value misses the peak between pixels).
 */
function peaksAbove(p: ImagePlane, u: number): number {
  const { width: w, data: d } = p;
  let n = 0;
  for (let y = 1; y < p.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const c = d[y * w + x];
      if (!(c > u - 0.5)) continue;
      let max = true;
      for (let dy = -1; dy <= 1 && max; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && d[(y + dy) * w + x + dx] > c) max = false;
      if (!max) continue;
      const [ax, bx, ay, by] = [d[y * w + x - 1], d[y * w + x + 1], d[(y - 1) * w + x], d[(y + 1) * w + x]];
      const peak = c - (ax - bx) ** 2 / (8 * (ax - 2 * c + bx)) - (ay - by) ** 2 / (8 * (ay - 2 * c + by));
      if (peak > u) n++;
    }
  }
  return n;
}

describe('F(u): expected noise peaks of a Gaussian random field', () => {
  it('matches the count of maxima on simulated beam-convolved noise (8 maps of 700², beam sigma 3 px)', () => {
    // white ⊗ beam has autocorrelation sigma √2·σ: λ = 1/(2σ²), half the control's beam-like assumption
    const sigma = 3;
    const truthLambda = 1 / (2 * sigma * sigma);
    expect(noisePeakLambda({ majorSigmaPx: sigma, minorSigmaPx: sigma, paDeg: 0 })).toBeCloseTo(2 * truthLambda, 12);
    const maps = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => beamNoise(700, 700, s, sigma));
    for (const u of [3, 3.5]) {
      const mean = maps.reduce((n, m) => n + peaksAbove(m, u), 0) / maps.length;
      const expected = expectedNoisePeaks(u, 698 * 698, truthLambda);
      // ~57 (u = 3) and ~13 (u = 3.5) per map: Poisson error of the mean over 8 maps ≤ 10 %
      expect(expected).toBeGreaterThan(10);
      expect(Math.abs(mean / expected - 1)).toBeLessThan(0.2);
    }
    // λ set 2× too large (the control's assumption on these sims) is far off: the check can fail
    const mean35 = maps.reduce((n, m) => n + peaksAbove(m, 3.5), 0) / maps.length;
    expect(mean35 / expectedNoisePeaks(3.5, 698 * 698, 2 * truthLambda)).toBeLessThan(0.7);
  });

  it('noisePeakLevel inverts F above 1σ', () => {
    const area = 16e6;
    const lambda = noisePeakLambda(beam);
    const u = noisePeakLevel(0.01, area, lambda);
    expect(expectedNoisePeaks(u, area, lambda)).toBeCloseTo(0.01, 6);
    expect(u).toBeGreaterThan(5.9);
    expect(u).toBeLessThan(6.4);
  });

  it('searched area: pixels with data and a positive finite rms', () => {
    const p = makePlane(10, 10, 1);
    p.data[3] = NaN;
    const rms = new Float32Array(100).fill(1);
    rms[50] = 0;
    rms[51] = NaN;
    expect(searchedPixels(p, { bkg: new Float32Array(100), rms })).toBe(97);
    expect(searchedPixels(p, { bkg: new Float32Array(100), rms }, { x0: 0, y0: 5, width: 10, height: 5 })).toBe(48);
  });
});

function island(id: number, snr: number): Island {
  return { id, snr } as Island;
}

describe('Benjamini–Hochberg on island significances', () => {
  // a 4000² map with the bench's beam: F(5) ≈ 7.5 with the control's λ
  const area = 16e6;
  const lambda = noisePeakLambda(beam);

  it('noise-level candidates alone: none kept; among a thousand strong sources: all kept', () => {
    expect(expectedNoisePeaks(5, area, lambda)).toBeGreaterThan(7);
    const noise = [5.3, 5.05, 5.1, 5.6];
    expect(bhKeepCount(noise, area, lambda, 0.01)).toBe(0);
    expect(bhKeepCount(noise, area, lambda, 0)).toBe(4); // off
    const strong = Array.from({ length: 1000 }, (_, k) => 8 + k / 10);
    expect(bhKeepCount([...noise, ...strong], area, lambda, 0.01)).toBe(1004);
  });

  it('is a step-up procedure: the largest k with F(s_k) ≤ q·k, even past a failing smaller k', () => {
    const s = [7, 5.3, 5.25, 5.2, 5.15, 5.12, 5.11, 5.1, 5.1, 5.1];
    const F = (u: number) => expectedNoisePeaks(u, area, lambda);
    const q = 0.5;
    let expected = 0;
    for (let k = 1; k <= s.length; k++) if (F(s[k - 1]) <= q * k) expected = k;
    expect(F(s[1]) > q * 2).toBe(true); // k = 2 fails on its own...
    expect(expected).toBeGreaterThan(2); // ...yet a larger k passes and keeps it
    expect(bhKeepCount([...s].reverse(), area, lambda, q)).toBe(expected);
  });

  it('drops the weakest islands with their components, keeps order and ids, reports the raised seed', () => {
    const islands = [island(1, 5.2), island(2, 30), island(3, 5.1), island(4, 12)];
    const components = [1, 2, 2, 3, 4].map((islandId, k) => ({ id: k, islandId }) as Component);
    const { result, summary } = controlFalseDetections({ islands, components }, { areaPx: area, lambda, rate: 0.01, seedSigma: 5 });
    expect(result.islands.map((i) => i.id)).toEqual([2, 4]);
    expect(result.components.map((c) => c.islandId)).toEqual([2, 2, 4]);
    expect(summary.kept).toBe(2);
    expect(summary.candidates).toBe(4);
    expect(expectedNoisePeaks(summary.thresholdSigma, area, lambda)).toBeCloseTo(0.02, 6);
    expect(summary.thresholdSigma).toBeLessThan(12);
    expect(summary.thresholdSigma).toBeGreaterThan(5.2);
  });
});

describe('components with an unmeasured flux', () => {
  it('are dropped below minFluxSnr, with islands left empty; NaN errors (failed fits) kept; 0 = off', () => {
    const comp = (islandId: number, flux: number, fluxErr: number) => ({ islandId, flux, fluxErr }) as Component;
    const islands = [island(1, 5.3), island(2, 9), island(3, 5.1)];
    const components = [comp(1, 3.5, 1), comp(2, 20, 1), comp(2, 3.9, 1), comp(3, 2, NaN)];
    const { result, dropped } = dropUnmeasured({ islands, components }, 4);
    expect(dropped).toBe(2);
    expect(result.islands.map((i) => i.id)).toEqual([2, 3]);
    expect(result.components).toEqual([components[1], components[3]]);
    expect(dropUnmeasured({ islands, components }, 0).result.components).toHaveLength(4);
  });

  it('are dropped after a tile merge also when every island stays (controlMerged)', () => {
    const comp = (id: number, islandId: number, flux: number) => ({ id, islandId, flux, fluxErr: 1 }) as Component;
    const islands = [{ ...island(1, 30), peakX: 3, peakY: 1 }, { ...island(2, 40), peakX: 5, peakY: 2 }];
    const components = [comp(1, 1, 20), comp(2, 1, 2), comp(1, 2, 30)];
    const opts = { falseDetectionRate: 0.01, seedSigma: 5, minFluxSnr: 4 } as FinderOptions;
    const controlled = controlMerged({ islands, components }, 1e4, beam, opts, 10);
    expect(controlled.falseDetections.unmeasuredComponents).toBe(1);
    expect(controlled.islands).toHaveLength(2);
    expect(controlled.components.map((c) => [c.islandId, c.id, c.flux])).toEqual([
      [1, 1, 20],
      [2, 1, 30],
    ]);
  });
});

describe('the finder with the control', () => {
  // 600² of beam-correlated noise with a 4σ seed: ~6 noise islands above the seed
  const opts = { seedSigma: 4, mergeSigma: 2.6 };
  const noise = (): ImagePlane => beamNoise(600, 600, 77);

  it('a noise-only image gives no source; a 7σ source on the same noise is kept alone', () => {
    const off = runFinder(noise(), beam, { ...opts, falseDetectionRate: 0 });
    expect(off.islands.length).toBeGreaterThanOrEqual(2); // what the control has to remove
    const on = runFinder(noise(), beam, opts);
    expect(on.islands).toHaveLength(0);
    expect(on.falseDetections!.candidates).toBe(off.islands.length);
    const p = noise();
    addGaussian(p, { amp: 7, x: 300.3, y: 250.6, majorSigma: SIGMA, minorSigma: SIGMA, paDeg: 0 });
    const one = runFinder(p, beam, opts);
    expect(one.islands).toHaveLength(1);
    expect(Math.hypot(one.islands[0].peakX - 300, one.islands[0].peakY - 251)).toBeLessThan(2);
    expect(one.components.every((c) => c.islandId === one.islands[0].id)).toBe(true);
  });

  it('a field with many sources keeps its seed threshold (nothing dropped at 5σ)', () => {
    const p = noise();
    const rng = makeRng(9);
    for (let k = 0; k < 150; k++) addGaussian(p, { amp: 5 * 10 ** rng(), x: 10 + rng() * 580, y: 10 + rng() * 580, majorSigma: SIGMA, minorSigma: SIGMA, paDeg: 0 });
    const on = runFinder(p, beam);
    const off = runFinder(p, beam, { falseDetectionRate: 0 });
    expect(on.islands.length).toBeGreaterThan(100);
    expect(on.islands.some((i) => i.snr < 5.5)).toBe(true);
    expect(on.islands).toEqual(off.islands);
    expect(on.components).toEqual(off.components);
    expect(on.falseDetections!.thresholdSigma).toBe(5);
  });

  it('tiled (any tile size, threads) == whole image when the control drops islands', async () => {
    const p = noise();
    addGaussian(p, { amp: 9, x: 120, y: 480, majorSigma: SIGMA, minorSigma: SIGMA, paDeg: 0 });
    const whole = runFinder(p, beam, opts);
    const ref = canonicalize(whole.islands, whole.components, p.width);
    expect(whole.falseDetections!.kept).toBeLessThan(whole.falseDetections!.candidates);
    const spec = { kind: 'memory' as const, width: p.width, height: p.height, data: p.data };
    for (const run of [{ tileSize: 128 }, { tileSize: 250, threads: 2 }]) {
      const tiled = await runFinderTiled(spec, beam, opts, run);
      expect(tiled.searchedPixels).toBe(600 * 600);
      expect(tiled.falseDetections).toEqual(whole.falseDetections);
      expect(tiled.islands).toEqual(ref.islands);
      expect(tiled.components).toEqual(ref.components);
    }
    // a part keeps every island of its tiles (the merge filters)
    const part = await runFinderTiled(spec, beam, opts, { tileSize: 128, part: { index: 0, count: 1 } });
    expect(part.falseDetections).toBeUndefined();
    expect(part.islands.length).toBe(runFinder(p, beam, { ...opts, falseDetectionRate: 0, minFluxSnr: 0 }).islands.length);
    expect(part.islands.length).toBeGreaterThan(whole.islands.length);
  });
});
