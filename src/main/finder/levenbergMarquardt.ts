/**
 * Bounded Levenberg–Marquardt for the Gaussian model (analytic Jacobian from gaussModel).
 * Bounds by projection, with parameters that sit on a bound and are pushed outwards frozen for the
 * step (a simple active set), so a point source whose size wants to shrink below the floor does not
 * stall the other parameters.
 */
import { evaluateModel, type FitData } from './gaussModel';

/** Convergence: a χ² gain below CONVERGED_CHI2_ABS + CONVERGED_CHI2_REL·χ² ends the fit. */
const CONVERGED_CHI2_ABS = 1e-3;
const CONVERGED_CHI2_REL = 1e-6;

export interface LmResult {
  params: Float64Array;
  chi2: number;
  iterations: number;
  converged: boolean;
  /** Singular normal matrix or a non-finite χ² at the start. */
  failed: boolean;
  /** Per parameter: on its lower or upper bound at the end (never for pinned parameters, lower = upper). */
  atBound: boolean[];
  /** Inverse of JᵀWJ at the solution (parameter covariance when weights are 1/σ²); null unless asked for or singular. */
  covariance: Float64Array | null;
}

export function fitLevenbergMarquardt(
  data: FitData,
  init: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  maxIterations: number,
  withCovariance = false,
): LmResult {
  const n = data.xs.length;
  const np = init.length;
  const p = Float64Array.from(init, (v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  // current and trial model/Jacobian: an accepted trial is swapped in rather than evaluated again
  let model = new Float64Array(n);
  let jac = new Float64Array(n * np);
  let trialModel = new Float64Array(n);
  let trialJac = new Float64Array(n * np);
  const trial = new Float64Array(np);
  const a = new Float64Array(np * np);
  const g = new Float64Array(np);
  const m = new Float64Array(np * np);
  const delta = new Float64Array(np);
  const chi2Of = (params: Float64Array, into: Float64Array, intoJac: Float64Array): number => {
    evaluateModel(params, data, into, intoJac);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = data.values[i] - into[i];
      s += data.weights[i] * r * r;
    }
    return s;
  };
  let chi2 = chi2Of(p, model, jac);
  if (!Number.isFinite(chi2)) {
    return { params: p, chi2, iterations: 0, converged: false, failed: true, atBound: [], covariance: null };
  }
  let lambda = 1e-3;
  let iterations = 0;
  let converged = false;
  let needNormal = true;
  while (iterations < maxIterations) {
    if (needNormal) {
      buildNormal(data, model, jac, np, a, g);
      needNormal = false;
    }
    iterations++;
    for (let i = 0; i < np * np; i++) m[i] = a[i];
    for (let i = 0; i < np; i++) {
      m[i * np + i] += lambda * Math.max(a[i * np + i], 1e-12);
      delta[i] = g[i];
      const pushedOut = (p[i] <= lower[i] && g[i] < 0) || (p[i] >= upper[i] && g[i] > 0);
      if (pushedOut) {
        for (let k = 0; k < np; k++) m[i * np + k] = m[k * np + i] = 0;
        m[i * np + i] = 1;
        delta[i] = 0;
      }
    }
    if (!choleskySolve(m, delta, np)) {
      lambda *= 10;
      if (lambda > 1e12) break;
      continue;
    }
    let maxRel = 0;
    for (let i = 0; i < np; i++) {
      trial[i] = Math.min(upper[i], Math.max(lower[i], p[i] + delta[i]));
      maxRel = Math.max(maxRel, Math.abs(trial[i] - p[i]) / (Math.abs(p[i]) + 1e-3));
    }
    const c2 = chi2Of(trial, trialModel, trialJac);
    if (Number.isFinite(c2) && c2 <= chi2) {
      const improvement = chi2 - c2;
      p.set(trial);
      [model, trialModel] = [trialModel, model];
      [jac, trialJac] = [trialJac, jac];
      chi2 = c2;
      needNormal = true;
      lambda = Math.max(lambda / 10, 1e-10);
      // χ² is in units of the pixel noise: a step gaining < 1e-3 moves the parameters by a tiny
      // fraction of their errors (and far less than any BIC decision notices)
      if (improvement <= CONVERGED_CHI2_ABS + CONVERGED_CHI2_REL * chi2 || maxRel < 1e-8) {
        converged = true;
        break;
      }
    } else {
      lambda *= 10;
      // no downhill step at any damping: we are at the (bounded) minimum
      if (lambda > 1e10 || maxRel < 1e-10) {
        converged = true;
        break;
      }
    }
  }
  let covariance: Float64Array | null = null;
  if (withCovariance) {
    if (needNormal) buildNormal(data, model, jac, np, a, g);
    covariance = invertSymmetric(a, np);
  }
  // a pinned parameter (lower = upper) is fixed by the caller, not "at a bound"
  const atBound = Array.from(p, (v, i) => lower[i] < upper[i] && (v <= lower[i] || v >= upper[i]));
  return { params: p, chi2, iterations, converged, failed: false, atBound, covariance };
}

/** a = JᵀWJ, g = JᵀW(values − model). */
function buildNormal(data: FitData, model: Float64Array, jac: Float64Array, np: number, a: Float64Array, g: Float64Array): void {
  a.fill(0);
  g.fill(0);
  const n = data.xs.length;
  for (let i = 0; i < n; i++) {
    const w = data.weights[i];
    const r = (data.values[i] - model[i]) * w;
    const row = i * np;
    for (let j = 0; j < np; j++) {
      const jj = jac[row + j];
      if (jj === 0) continue;
      g[j] += jj * r;
      const wj = w * jj;
      for (let k = j; k < np; k++) a[j * np + k] += wj * jac[row + k];
    }
  }
  for (let j = 0; j < np; j++) for (let k = 0; k < j; k++) a[j * np + k] = a[k * np + j];
}

/** Solves m x = b in place (b ← x) by Cholesky; false if m is not positive definite. */
function choleskySolve(m: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = m[j * n + j];
    for (let k = 0; k < j; k++) d -= m[j * n + k] * m[j * n + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    m[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = m[i * n + j];
      for (let k = 0; k < j; k++) s -= m[i * n + k] * m[j * n + k];
      m[i * n + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= m[i * n + k] * b[k];
    b[i] = s / m[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= m[k * n + i] * b[k];
    b[i] = s / m[i * n + i];
  }
  return true;
}

/** Inverse of a symmetric positive-definite matrix (column by column through Cholesky), or null. */
export function invertSymmetric(a: Float64Array, n: number): Float64Array | null {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const m = Float64Array.from(a);
    col.fill(0);
    col[c] = 1;
    if (!choleskySolve(m, col, n)) return null;
    for (let r = 0; r < n; r++) inv[r * n + c] = col[r];
  }
  return inv;
}
