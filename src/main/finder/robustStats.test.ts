import { describe, expect, it } from 'vitest';
import { biweightScale, clippedStats, histogramStats, median, selectKth, MAD_TO_SIGMA } from './robustStats';
import { makeNormal, makeRng } from './synthetic';

function sorted(a: number[]): number[] {
  return [...a].sort((p, q) => p - q);
}

describe('robust statistics', () => {
  it('selectKth and median agree with a full sort (odd, even, duplicates, constant)', () => {
    const rng = makeRng(3);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const vals = Array.from({ length: n }, () => Math.round(rng() * 20));
      const s = sorted(vals);
      for (const k of [0, n >> 1, n - 1]) expect(selectKth(Float64Array.from(vals), n, k)).toBe(s[k]);
      const expected = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      expect(median(Float64Array.from(vals), n)).toBe(expected);
    }
    expect(median(new Float64Array(50).fill(7), 50)).toBe(7);
    expect(median(new Float64Array(0), 0)).toBeNaN();
  });

  it('MAD and biweight scales of N(3, 2²) are 2 within 3 %; clipping ignores 10 % outliers', () => {
    const normal = makeNormal(makeRng(5));
    const n = 20000;
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = 3 + 2 * normal();
    for (let i = 0; i < n / 10; i++) v[i] = 1000 + i; // gross outliers
    const scratch = new Float32Array(n);
    const mad = clippedStats(Float32Array.from(v), n, scratch, 3, 'mad');
    expect(mad.location).toBeCloseTo(3, 1);
    expect(Math.abs(mad.scale / 2 - 1)).toBeLessThan(0.03);
    expect(mad.count).toBeLessThan(0.91 * n);
    const bw = clippedStats(Float32Array.from(v), n, scratch, 3, 'biweight');
    expect(Math.abs(bw.scale / 2 - 1)).toBeLessThan(0.03);
  });

  it('biweight of a pure normal sample matches its standard deviation', () => {
    const normal = makeNormal(makeRng(9));
    const n = 50000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = normal();
    const madv = Float64Array.from(v, (x) => Math.abs(x));
    const mad = median(madv, n);
    expect(Math.abs(mad * MAD_TO_SIGMA - 1)).toBeLessThan(0.02);
    expect(Math.abs(biweightScale(v, n, 0, mad) - 1)).toBeLessThan(0.02);
  });
});

describe('histogram statistics', () => {
  it('agree with the exact clipped statistics on clean, contaminated and skewed samples', () => {
    const normal = makeNormal(makeRng(21));
    const rng = makeRng(22);
    const cases: Float32Array[] = [];
    const n = 6000;
    const clean = new Float32Array(n);
    for (let i = 0; i < n; i++) clean[i] = 5 + 0.3 * normal();
    cases.push(clean);
    const outliers = Float32Array.from(clean);
    for (let i = 0; i < n; i += 9) outliers[i] = 50 + rng() * 100;
    cases.push(outliers);
    const skewed = new Float32Array(n);
    for (let i = 0; i < n; i++) skewed[i] = normal() + (rng() < 0.3 ? 3 * rng() ** 3 : 0);
    cases.push(skewed);
    const scratch = new Float32Array(n);
    for (const v of cases) {
      for (const est of ['mad', 'biweight'] as const) {
        const exact = clippedStats(Float32Array.from(v), n, scratch, 3, est, 20);
        const hist = histogramStats(v, n, scratch, 3, est);
        expect(Math.abs(hist.location - exact.location)).toBeLessThan(0.01 * exact.scale);
        expect(Math.abs(hist.scale / exact.scale - 1)).toBeLessThan(0.01);
      }
    }
  });
  it('small boxes (300–1000 samples, as half-beam sampling gives) agree with the exact path well inside its own scatter', () => {
    const normal = makeNormal(makeRng(5));
    const rng = makeRng(6);
    for (const n of [300, 600, 1000]) {
      const scratch = new Float32Array(n);
      for (let k = 0; k < 100; k++) {
        const v = new Float32Array(n);
        for (let i = 0; i < n; i++) v[i] = normal() + (rng() < 0.2 ? 3 * rng() ** 3 : 0);
        const exact = clippedStats(Float32Array.from(v), n, scratch, 3, 'mad', 20);
        const hist = histogramStats(v, n, scratch, 3, 'mad');
        // the MAD scale itself scatters by ~1/√(0.74 n): 6.7 % at n = 300
        expect(Math.abs(hist.location - exact.location)).toBeLessThan(0.04 * exact.scale);
        expect(Math.abs(hist.scale / exact.scale - 1)).toBeLessThan(0.04);
      }
    }
  });
  it('falls back to exact statistics for constant and small samples', () => {
    const scratch = new Float32Array(5000);
    const flat = new Float32Array(5000).fill(2.5);
    expect(histogramStats(flat, 5000, scratch, 3, 'mad')).toMatchObject({ location: 2.5, scale: 0 });
    const small = Float32Array.from([1, 2, 3, 4, 100]);
    expect(histogramStats(small, 5, scratch, 3, 'mad')).toEqual(clippedStats(Float32Array.from(small), 5, scratch, 3, 'mad'));
    expect(small[4]).toBe(100); // input untouched
  });
});

describe('clipping bias', () => {
  it('the clipped MAD factor matches the truncated normal, and corrected scales are unbiased', async () => {
    const { clippedMadFactor, erf } = await import('./robustStats');
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778, 6);
    expect(clippedMadFactor(3)).toBeCloseTo(0.996853, 5); // Python math.erf, same definition
    expect(clippedMadFactor(100)).toBeCloseTo(1, 6);
    const normal = makeNormal(makeRng(1));
    const n = 5625;
    const v = new Float32Array(n);
    const s = new Float32Array(n);
    let hist = 0;
    let exact = 0;
    const K = 200;
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) v[i] = normal();
      hist += histogramStats(v, n, s, 3, 'mad').scale / K;
      exact += clippedStats(Float32Array.from(v), n, s, 3, 'mad').scale / K;
    }
    // the per-sample scatter is ~1 %, so 200 samples pin the mean to ~0.07 %
    expect(Math.abs(hist - 1)).toBeLessThan(0.002);
    expect(Math.abs(exact - 1)).toBeLessThan(0.002);
  });
});
