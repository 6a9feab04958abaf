import { describe, it, expect } from 'vitest';
import { evaluateFinder, madOf, medianOf } from './metrics';
import type { Detection, TruthSource } from './types';

const beam = 4;
const src = (id: number, x: number, peak: number, type: 'point' | 'extended' = 'point', flux = peak): TruthSource => ({
  id, x, y: 100, peak, flux, majorFwhmPx: type === 'extended' ? 12 : beam, type,
});
const det = (id: number, x: number, flux: number, y = 100): Detection => ({ id, x, y, flux });

describe('medianOf / madOf', () => {
  it('median of odd and even counts, NaN when empty; unscaled MAD', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([NaN, 5])).toBe(5);
    expect(medianOf([])).toBeNaN();
    expect(madOf([1, 2, 3, 4, 100])).toBe(1);
  });
});

describe('evaluateFinder', () => {
  // rms 1: true S/N = peak. Sources are 50 px apart so each detection can match only its own source.
  const truth = [
    src(1, 0, 4), // 3–5: matched
    src(2, 50, 6), // 5–7: missed
    src(3, 100, 6), // 5–7: matched at 0.4 px
    src(4, 150, 12), // 10–20 point: matched at 0.8 px, flux ratio 1.05
    src(5, 200, 30), // 20–50 point: matched at 1.2 px, flux ratio 0.97
    src(6, 250, 100, 'extended', 400), // >50 extended: matched at 2 px (inside its 6 px radius), flux ratio ignored
    src(7, 300, 60, 'extended', 200), // >50 extended: missed
    src(8, 350, 2), // below every bin: matched, counts for reliability only
  ];
  const dets = [
    det(1, 0.3, 4),
    det(2, 100.4, 6),
    det(3, 150.8, 12.6),
    det(4, 201.2, 29.1),
    det(5, 252, 100),
    det(6, 350, NaN),
    det(7, 500, 50), // spurious
    det(8, 306.5, 60), // spurious: 6.5 px from the extended source 7, just outside its 6 px radius
  ];

  const m = evaluateFinder(truth, dets, { beamFwhmPx: beam, rms: 1 });

  it('counts matches and detections', () => {
    expect(m.nTruth).toBe(8);
    expect(m.nDetections).toBe(8);
    expect(m.nMatched).toBe(6);
  });

  it('completeness per true S/N bin, NaN for an empty bin', () => {
    expect(m.bins.map((b) => [b.lo, b.hi, b.hit, b.total])).toEqual([
      [3, 5, 1, 1],
      [5, 7, 1, 2],
      [7, 10, 0, 0],
      [10, 20, 1, 1],
      [20, 50, 1, 1],
      [50, Infinity, 1, 2],
    ]);
    expect(m.bins[1].value).toBe(0.5);
    expect(m.bins[2].value).toBeNaN();
  });

  it('overall completeness above 5σ, reliability, extended completeness', () => {
    expect(m.completeness).toEqual({ hit: 4, total: 6, value: 4 / 6 });
    expect(m.reliability).toEqual({ hit: 6, total: 8, value: 0.75 });
    expect(m.extendedCompleteness).toEqual({ hit: 1, total: 2, value: 0.5 });
  });

  it('flux ratio over point sources above 10σ only: median and unscaled MAD', () => {
    expect(m.fluxRatio.n).toBe(2);
    expect(m.fluxRatio.median).toBeCloseTo((1.05 + 0.97) / 2, 12);
    expect(m.fluxRatio.mad).toBeCloseTo(0.04, 12);
  });

  it('median position error in beams over matched sources above 5σ', () => {
    // 0.4, 0.8, 1.2, 2.0 px / 4 px = 0.1, 0.2, 0.3, 0.5 beams
    expect(m.positionErrorBeams.n).toBe(4);
    expect(m.positionErrorBeams.median).toBeCloseTo(0.25, 12);
  });

  it('uses the map rms for S/N', () => {
    const m2 = evaluateFinder(truth, dets, { beamFwhmPx: beam, rms: 2 });
    // S/N halves: 4 → 2 (out of the bins), 6 → 3 (one missed, one matched), 12 → 6, 30 → 15, 100 → 50, 60 → 30.
    expect(m2.bins[0]).toMatchObject({ hit: 1, total: 2 });
    expect(m2.bins[5]).toMatchObject({ hit: 1, total: 1 });
    expect(m2.completeness).toMatchObject({ hit: 3, total: 4 });
    expect(m2.fluxRatio.n).toBe(1);
  });

  it('noise-only map: zero truth gives NaN completeness and reliability 0 for any detection', () => {
    const e = evaluateFinder([], [det(1, 5, 1)], { beamFwhmPx: beam, rms: 1 });
    expect(e.completeness.value).toBeNaN();
    expect(e.reliability).toEqual({ hit: 0, total: 1, value: 0 });
    const none = evaluateFinder([], [], { beamFwhmPx: beam, rms: 1 });
    expect(none.reliability.value).toBeNaN();
    expect(none.fluxRatio.median).toBeNaN();
    expect(() => evaluateFinder([], [], { beamFwhmPx: beam, rms: 0 })).toThrow(/rms/);
  });
});
