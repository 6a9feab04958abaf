import { describe, expect, it } from 'vitest';
import { evaluateModel, NPAR, type FitData } from './gaussModel';
import { fitLevenbergMarquardt } from './levenbergMarquardt';
import { makeNormal, makeRng } from './synthetic';

function grid(w: number, h: number): FitData {
  const n = w * h;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i % w;
    ys[i] = Math.floor(i / w);
  }
  return { xs, ys, values: new Float64Array(n), weights: new Float64Array(n).fill(1) };
}

describe('Gaussian model and LM fit', () => {
  it('analytic Jacobian matches central finite differences', () => {
    const data = grid(20, 20);
    const p = Float64Array.from([5, 9.3, 10.2, 2.5, 1.7, 0.6, 2, 12, 8, 1.8, 1.8, 0]);
    const n = data.xs.length;
    const jac = new Float64Array(n * p.length);
    evaluateModel(p, data, new Float64Array(n), jac);
    const mp = new Float64Array(n), mm = new Float64Array(n);
    for (let k = 0; k < p.length; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(p[k]));
      const pp = Float64Array.from(p); pp[k] += h;
      const pm = Float64Array.from(p); pm[k] -= h;
      evaluateModel(pp, data, mp);
      evaluateModel(pm, data, mm);
      for (let i = 0; i < n; i += 7) {
        const fd = (mp[i] - mm[i]) / (2 * h);
        expect(Math.abs(jac[i * p.length + k] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('recovers noiseless parameters exactly and respects bounds', () => {
    const data = grid(30, 30);
    const truth = Float64Array.from([10, 14.6, 15.2, 3, 1.8, 0.4]);
    evaluateModel(truth, data, data.values);
    const lo = Float64Array.from([0, 0, 0, 1, 1, -Infinity]);
    const hi = Float64Array.from([100, 29, 29, 20, 20, Infinity]);
    const fit = fitLevenbergMarquardt(data, Float64Array.from([7, 15, 15, 2, 2, 0]), lo, hi, 200);
    expect(fit.converged).toBe(true);
    for (let k = 0; k < NPAR - 1; k++) expect(fit.params[k]).toBeCloseTo(truth[k], 5);
    expect(Math.cos(2 * (fit.params[5] - truth[5]))).toBeCloseTo(1, 8);
    // a floor above the true minor sigma: the fit sits on it and says so
    const lo2 = Float64Array.from([0, 0, 0, 2.2, 2.2, -Infinity]);
    const bounded = fitLevenbergMarquardt(data, Float64Array.from([7, 15, 15, 2.5, 2.5, 0]), lo2, hi, 200);
    expect(Math.min(bounded.params[3], bounded.params[4])).toBeCloseTo(2.2, 10);
    expect(bounded.atBound.some(Boolean)).toBe(true);
  });

  it('covariance from JᵀWJ predicts the scatter of fitted amplitudes (χ² statistics are right)', () => {
    const data = grid(24, 24);
    const truth = Float64Array.from([20, 11.5, 12.2, 2, 2, 0]);
    const clean = new Float64Array(data.xs.length);
    evaluateModel(truth, data, clean);
    const normal = makeNormal(makeRng(17));
    const amps: number[] = [];
    let predicted = 0;
    const lo = Float64Array.from([0, 0, 0, 0.5, 0.5, -Infinity]);
    const hi = Float64Array.from([1e3, 23, 23, 20, 20, Infinity]);
    for (let t = 0; t < 60; t++) {
      for (let i = 0; i < clean.length; i++) data.values[i] = clean[i] + normal();
      const fit = fitLevenbergMarquardt(data, Float64Array.from([15, 12, 12, 2.5, 2.5, 0]), lo, hi, 100, true);
      amps.push(fit.params[0]);
      predicted += Math.sqrt(fit.covariance![0]) / 60;
    }
    const mean = amps.reduce((a, b) => a + b) / amps.length;
    const sd = Math.sqrt(amps.reduce((a, b) => a + (b - mean) ** 2, 0) / (amps.length - 1));
    expect(Math.abs(mean - 20)).toBeLessThan(3 * sd / Math.sqrt(amps.length) + 0.05);
    expect(sd / predicted).toBeGreaterThan(0.7);
    expect(sd / predicted).toBeLessThan(1.4);
  });
});
