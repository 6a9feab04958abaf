import { describe, it, expect } from 'vitest';
import { crossMatch, matchRadiusPx } from './crossMatch';
import type { Detection, MatchOptions, TruthSource } from './types';

const beam = 4; // px FWHM → point-source radius 2 px
const opts: MatchOptions = { beamFwhmPx: beam };
const pt = (id: number, x: number, y: number, peak = 10): TruthSource => ({ id, x, y, peak, flux: peak, majorFwhmPx: beam, type: 'point' });
const det = (id: number, x: number, y: number, flux = NaN): Detection => ({ id, x, y, flux });

describe('crossMatch', () => {
  it('matches the nearest detection within half a beam and nothing beyond', () => {
    const truth = [pt(1, 100, 100), pt(2, 200, 200)];
    const dets = [det(1, 101, 101), det(2, 100, 97.9), det(3, 202.01, 200)];
    const m = crossMatch(truth, dets, opts);
    expect(Array.from(m.truthToDetection)).toEqual([0, -1]);
    expect(Array.from(m.detectionToTruth)).toEqual([0, -1, -1]);
    expect(m.pairs).toHaveLength(1);
    expect(m.pairs[0].distancePx).toBeCloseTo(Math.SQRT2, 12);
  });

  it('is one-to-one: two truths near one detection give it to the closer', () => {
    const truth = [pt(1, 10, 10), pt(2, 11.5, 10)];
    const m = crossMatch(truth, [det(1, 11, 10)], opts);
    expect(Array.from(m.truthToDetection)).toEqual([-1, 0]);
  });

  it('greedy by distance: closest pairs first, a freed truth takes its next detection', () => {
    // T1–D1 1.0, T2–D1 0.5, T1–D2 0.5: greedy keeps T2–D1 and T1–D2.
    const truth = [pt(1, 0, 0), pt(2, 1.5, 0)];
    const dets = [det(1, 1, 0), det(2, -0.5, 0)];
    const m = crossMatch(truth, dets, opts);
    expect(Array.from(m.truthToDetection)).toEqual([1, 0]);
    expect(m.pairs.map((p) => p.distancePx)).toEqual([0.5, 0.5]);
  });

  it('an extended source matches within half its own major FWHM', () => {
    const ext: TruthSource = { ...pt(1, 50, 50), majorFwhmPx: 12, type: 'extended' };
    expect(matchRadiusPx(ext, opts)).toBe(6);
    expect(matchRadiusPx(pt(2, 0, 0), { beamFwhmPx: beam, radiusFraction: 1 })).toBe(4);
    const m = crossMatch([ext], [det(1, 55, 50)], opts);
    expect(m.pairs).toHaveLength(1);
    expect(crossMatch([ext], [det(1, 56.1, 50)], opts).pairs).toHaveLength(0);
  });

  it('finds pairs across grid cells and at negative coordinates; ignores non-finite detections', () => {
    const truth = [pt(1, -0.5, -0.5), pt(2, 3.9, 0)];
    const dets = [det(1, 0.5, -0.5), det(2, 4.1, 0), det(3, NaN, 0)];
    const m = crossMatch(truth, dets, opts);
    expect(Array.from(m.truthToDetection)).toEqual([0, 1]);
  });

  it('agrees with a brute-force greedy matcher on a random crowded field', () => {
    let s = 12345;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const truth = Array.from({ length: 600 }, (_, i) =>
      i % 7 === 0 ? { ...pt(i, rnd() * 200, rnd() * 200), majorFwhmPx: 4 + rnd() * 12, type: 'extended' as const } : pt(i, rnd() * 200, rnd() * 200),
    );
    const dets = Array.from({ length: 500 }, (_, i) => det(i, rnd() * 200, rnd() * 200));
    const m = crossMatch(truth, dets, opts);

    // Independent reference: all pairs, O(N·M), same rule.
    const all: [number, number, number][] = [];
    truth.forEach((t, ti) =>
      dets.forEach((d, di) => {
        const dist = Math.hypot(d.x - t.x, d.y - t.y);
        if (dist <= 0.5 * Math.max(beam, t.majorFwhmPx)) all.push([dist, ti, di]);
      }),
    );
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const tUsed = new Set<number>();
    const dUsed = new Set<number>();
    const ref: string[] = [];
    for (const [, ti, di] of all) {
      if (tUsed.has(ti) || dUsed.has(di)) continue;
      tUsed.add(ti);
      dUsed.add(di);
      ref.push(`${ti}-${di}`);
    }
    expect(ref.length).toBeGreaterThan(50);
    expect(m.pairs.map((p) => `${p.truth}-${p.detection}`).sort()).toEqual(ref.sort());
  });

  it('scales to a 200 000-source truth list', () => {
    const truth = Array.from({ length: 200_000 }, (_, i) => pt(i, (i % 1000) * 10, Math.floor(i / 1000) * 10));
    const m = crossMatch(truth, [det(1, 5010.5, 70), det(2, 5, 5)], opts);
    expect(Array.from(m.detectionToTruth)).toEqual([7501, -1]);
  });

  it('handles empty inputs and rejects a non-positive beam', () => {
    expect(crossMatch([], [det(1, 0, 0)], opts).detectionToTruth[0]).toBe(-1);
    expect(crossMatch([pt(1, 0, 0)], [], opts).truthToDetection[0]).toBe(-1);
    expect(() => crossMatch([pt(1, 0, 0)], [det(1, 0, 0)], { beamFwhmPx: 0 })).toThrow(/beamFwhmPx/);
  });
});
