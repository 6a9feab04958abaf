import { describe, expect, it } from 'vitest';
import { euclideanCounts } from './sourceCounts';

describe('euclideanCounts', () => {
  it('is flat at the analytic level for a Euclidean population N(>S) = N0 (S/Smin)^-1.5', () => {
    // Deterministic quantiles of the power law instead of random draws: S_i = Smin · u_i^(-1/1.5).
    const n = 200_000;
    const sMin = 1e-4;
    const area = 0.01;
    const flux = Float64Array.from({ length: n }, (_, i) => sMin * ((i + 0.5) / n) ** (-1 / 1.5));
    // dN/dS = 1.5 N0 Smin^1.5 S^-2.5 / Ω  ⇒  S^2.5 dN/dS = 1.5 N0 Smin^1.5 / Ω at every S.
    const r = 10 ** (1 / 5);
    const exact = (1.5 * n * sMin ** 1.5) / area;
    // Bin [a, a·r], centre a·√r: n_b·S_c^2.5/(ΔS·Ω) = (exact level) · (1 − r^-1.5)·r^1.25 / (1.5·(r − 1)).
    const binFactor = ((1 - r ** -1.5) * r ** 1.25) / (1.5 * (r - 1));
    const bins = euclideanCounts(flux, area, 5).filter((b) => b.n > 2000);
    expect(bins.length).toBeGreaterThan(4);
    for (const b of bins.slice(1)) expect(b.value / (exact * binFactor)).toBeCloseTo(1, 2);
  });

  it('ignores non-positive and missing fluxes and needs an area', () => {
    expect(euclideanCounts([0, -1, NaN], 1)).toEqual([]);
    expect(euclideanCounts([1e-3], 0)).toEqual([]);
    const one = euclideanCounts([1e-3, 1e-3], 2, 5);
    expect(one).toHaveLength(1);
    expect(one[0]!.n).toBe(2);
    expect(one[0]!.loJy).toBeLessThanOrEqual(1e-3);
    expect(one[0]!.hiJy).toBeGreaterThan(1e-3);
  });
});
