import { describe, expect, it } from 'vitest';
import { wholeImageFrame } from './background';
import { buildFitRegion, noiseCorrelationPixels } from './fitRegion';
import { detectIslands } from './measure';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane, synthFlux, unitMaps } from './synthetic';
import { finderOptions, type BackgroundMaps, type ImagePlane } from './types';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };


describe('fit regions', () => {
  it('islands are sampled on the global half-beam lattice (every pixel for beams under 3 px)', () => {
    const p = makePlane(160, 80);
    addGaussian(p, { amp: 20, x: 40.3, y: 40, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 20, x: 111, y: 41, majorSigma: 6, minorSigma: 4, paDeg: 30 });
    const maps = unitMaps(p);
    const opts = finderOptions();
    const found = detectIslands(p, maps, beam, opts);
    const ctx = { plane: p, maps, found, beam, opts, noiseFwhmPx: 3.77, frame: wholeImageFrame(p) };
    const [compact, extended] = [...found.islands].sort((a, b) => a.x - b.x);
    for (const island of [compact, extended]) {
      const region = buildFitRegion(ctx, island);
      expect(region.sampleArea).toBe(4);
      expect(region.data.xs.every((x) => x % 2 === 0) && region.data.ys.every((y) => y % 2 === 0)).toBe(true);
    }
    // a 2.4-px beam: every pixel
    const narrow = { majorSigmaPx: 1, minorSigmaPx: 1, paDeg: 0 };
    const full = buildFitRegion({ ...ctx, beam: narrow }, compact);
    expect(full.sampleArea).toBe(1);
    expect(full.data.xs.some((x) => x % 2 === 1)).toBe(true);
    // the BIC counts independent samples: a quarter of the pixels, a quarter of the correlation area
    expect(noiseCorrelationPixels(ctx, { sampleArea: 4 }) * 4).toBeCloseTo(noiseCorrelationPixels(ctx, { sampleArea: 1 }), 10);
  });

  it('an extended source fitted on the lattice keeps its flux and size (10 noise seeds)', () => {
    const src = { amp: 12, x: 64.4, y: 63.7, majorSigma: 5, minorSigma: 3, paDeg: 40 };
    const ratios: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const p = makePlane(128, 128);
      addNoise(p, 1, seed);
      addGaussian(p, src);
      const r = runFinder(p, beam, {}, { noiseFwhmPx: 0.664 });
      expect(r.components).toHaveLength(1);
      const c = r.components[0];
      expect(Math.abs(c.majorSigmaPx / 5 - 1)).toBeLessThan(0.1);
      ratios.push(c.flux / synthFlux(src, beam.majorSigmaPx, beam.minorSigmaPx));
    }
    const mean = ratios.reduce((a, b) => a + b) / ratios.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
  });
});
