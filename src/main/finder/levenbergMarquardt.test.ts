import { describe, expect, it } from 'vitest';
import { evaluateModel, type FitData } from './gaussModel';
import { fitLevenbergMarquardt, scoreStatistic, type ModelFn } from './levenbergMarquardt';
import { makeNormal, makeRng } from './synthetic';

function grid(size: number, f: (x: number, y: number) => number, noise: number, seed: number): FitData {
  const normal = makeNormal(makeRng(seed));
  const n = size * size;
  const d: FitData = { xs: new Float64Array(n), ys: new Float64Array(n), values: new Float64Array(n), weights: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const x = k % size;
    const y = Math.floor(k / size);
    d.xs[k] = x;
    d.ys[k] = y;
    d.values[k] = f(x, y) + noise * normal();
    d.weights[k] = 1 / (noise * noise);
  }
  return d;
}

const chi2 = (d: FitData, params: Float64Array, model: ModelFn): number => {
  const m = new Float64Array(d.xs.length);
  model(params, d, m);
  let s = 0;
  for (let i = 0; i < m.length; i++) s += d.weights[i] * (d.values[i] - m[i]) ** 2;
  return s;
};

describe('scoreStatistic', () => {
  it('equals the exact χ² decrease for a model linear in its parameters', () => {
    // model a·x + b: χ² is quadratic, so the Gauss–Newton prediction is exact
    const linear: ModelFn = (p, d, model, jac) => {
      for (let i = 0; i < d.xs.length; i++) {
        model[i] = p[0] * d.xs[i] + p[1];
        if (jac) {
          jac[2 * i] = d.xs[i];
          jac[2 * i + 1] = 1;
        }
      }
    };
    const d = grid(12, (x) => 0.3 * x - 1, 0.5, 3);
    // closed-form least squares (equal weights)
    const n = d.xs.length;
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      sx += d.xs[i];
      sy += d.values[i];
      sxx += d.xs[i] ** 2;
      sxy += d.xs[i] * d.values[i];
    }
    const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const b = (sy - a * sx) / n;
    const start = Float64Array.from([0.1, 0.5]);
    const exact = chi2(d, start, linear) - chi2(d, Float64Array.from([a, b]), linear);
    expect(scoreStatistic(d, start, linear) / exact).toBeCloseTo(1, 9);
  });

  it('predicts what freeing the size of a slightly resolved source gains (vs the real free fit)', () => {
    const truth = Float64Array.from([10, 15.3, 14.8, 2.0, 1.8, 0.4]);
    const d = grid(30, () => 0, 1, 5);
    const m = new Float64Array(d.xs.length);
    evaluateModel(truth, d, m);
    for (let i = 0; i < m.length; i++) d.values[i] += m[i];
    const lo = Float64Array.from([0, 0, 0, 0.5, 0.5, -Infinity]);
    const hi = Float64Array.from([100, 30, 30, 20, 20, Infinity]);
    // point model: sizes pinned at 1.6 (the "beam"), PA 0
    const pinnedLo = Float64Array.from([0, 0, 0, 1.6, 1.6, 0]);
    const pinnedHi = Float64Array.from([100, 30, 30, 1.6, 1.6, 0]);
    const point = fitLevenbergMarquardt(d, Float64Array.from([8, 15, 15, 1.6, 1.6, 0]), pinnedLo, pinnedHi, 100);
    const free = fitLevenbergMarquardt(d, point.params, lo, hi, 100);
    const gain = point.chi2 - free.chi2;
    expect(gain).toBeGreaterThan(20);
    expect(scoreStatistic(d, point.params) / gain).toBeGreaterThan(0.7);
    expect(scoreStatistic(d, point.params) / gain).toBeLessThan(1.5);
  });

  it('skips a parameter with no effect (θ of a circular Gaussian) instead of failing', () => {
    const d = grid(20, () => 0, 1, 7);
    const p = Float64Array.from([5, 10, 10, 1.6, 1.6, 0]);
    const m = new Float64Array(d.xs.length);
    evaluateModel(p, d, m);
    for (let i = 0; i < m.length; i++) d.values[i] += m[i];
    const s = scoreStatistic(d, p);
    expect(Number.isFinite(s)).toBe(true);
    expect(s).toBeGreaterThanOrEqual(0);
  });
});
