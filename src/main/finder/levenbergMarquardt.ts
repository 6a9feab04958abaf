/**
 * Bounded Levenberg–Marquardt for the Gaussian model (analytic Jacobian from gaussModel).
 * Bounds by projection, with parameters that sit on a bound and are pushed outwards frozen for the
 * step (a simple active set), so a point source whose size wants to shrink below the floor does not
 * stall the other parameters.
 */
import { evaluateModel, type FitData } from './gaussModel';

/** Model values (and, when `jac` is given, ∂model/∂p row-major by point) of `params` at the data points. */
export type ModelFn = (params: Float64Array, data: FitData, model: Float64Array, jac?: Float64Array) => void;

/** Convergence: a χ² gain below CONVERGED_CHI2_ABS + CONVERGED_CHI2_REL·χ² ends the fit. */
const CONVERGED_CHI2_ABS = 1e-2;
const CONVERGED_CHI2_REL = 1e-6;

/**
 * Work arrays reused across the fits of one thread (grown on demand), so a run of 10⁵ fits does not
 * allocate and collect its models and Jacobians each time: a typed array over 64 bytes lives outside
 * the JS heap, costs ~0.5 µs to make and is swept by V8's background threads, which then compete with
 * the finder's workers for the cores. Slots: 0–3 LM / score models and Jacobians, 4–7 fit regions,
 * 8–12 LM / score normal equations, 13 an island's residual model (fitIsland, pointFits).
 */
export class FitScratch {
  private bufs: Float64Array[] = [];
  private ints: Int32Array[] = [];

  /** Slot k as an array of exactly `len` values (contents undefined). */
  take(k: number, len: number): Float64Array {
    let b = this.bufs[k];
    if (!b || b.length < len) this.bufs[k] = b = new Float64Array(Math.max(len, 2 * (b?.length ?? 0), 256));
    return b.subarray(0, len);
  }

  /** Integer slot k (its own numbering), as `take`. */
  takeInt(k: number, len: number): Int32Array {
    let b = this.ints[k];
    if (!b || b.length < len) this.ints[k] = b = new Int32Array(Math.max(len, 2 * (b?.length ?? 0), 256));
    return b.subarray(0, len);
  }
}

/** Slot k of `scratch`, or a new array without one. */
export function scratchOf(scratch: FitScratch | undefined, k: number, len: number): Float64Array {
  return scratch ? scratch.take(k, len) : new Float64Array(len);
}

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
  evaluate: ModelFn = evaluateModel,
): LmResult {
  const n = data.xs.length;
  const np = init.length;
  // the parameters are returned: a new array (not scratch)
  const p = new Float64Array(np);
  for (let i = 0; i < np; i++) p[i] = Math.min(upper[i], Math.max(lower[i], init[i]));
  // current and trial model/Jacobian: an accepted trial is swapped in rather than evaluated again
  const sc = data.scratch;
  let model = sc ? sc.take(0, n) : new Float64Array(n);
  let jac = sc ? sc.take(1, n * np) : new Float64Array(n * np);
  let trialModel = sc ? sc.take(2, n) : new Float64Array(n);
  let trialJac = sc ? sc.take(3, n * np) : new Float64Array(n * np);
  const trial = scratchOf(sc, 8, np);
  const a = scratchOf(sc, 9, np * np);
  const g = scratchOf(sc, 10, np);
  const m = scratchOf(sc, 11, np * np);
  const delta = scratchOf(sc, 12, np);
  const chi2Of = (params: Float64Array, into: Float64Array, intoJac: Float64Array): number => {
    evaluate(params, data, into, intoJac);
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
      // χ² is in units of the pixel noise: a step gaining < 1e-2 moves the parameters by a few
      // hundredths of their errors at most (less with beam-correlated noise, where one independent
      // sample spans a beam of pixels), far below anything the BIC decisions or the errors notice
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

/**
 * Score (Lagrange-multiplier) statistic of `params` under `evaluate`: the χ² decrease a Gauss–Newton
 * step in all parameters predicts, gᵀ(JᵀWJ)⁻¹g. Near a constrained fit (e.g. a point source) it
 * estimates what freeing the constrained parameters would gain without fitting them. Parameters with
 * an all-zero Jacobian column (θ of a circular Gaussian) gain nothing and are skipped. NaN if singular.
 */
export function scoreStatistic(data: FitData, params: Float64Array, evaluate: ModelFn = evaluateModel): number {
  const n = data.xs.length;
  const np = params.length;
  const model = data.scratch ? data.scratch.take(0, n) : new Float64Array(n);
  const jac = data.scratch ? data.scratch.take(1, n * np) : new Float64Array(n * np);
  evaluate(params, data, model, jac);
  const a = scratchOf(data.scratch, 9, np * np);
  const g = scratchOf(data.scratch, 10, np);
  buildNormal(data, model, jac, np, a, g);
  for (let i = 0; i < np; i++) {
    if (a[i * np + i] === 0) {
      for (let k = 0; k < np; k++) a[i * np + k] = a[k * np + i] = 0;
      a[i * np + i] = 1;
      g[i] = 0;
    }
  }
  const x = scratchOf(data.scratch, 8, np);
  x.set(g);
  if (!choleskySolve(a, x, np)) return NaN;
  let s = 0;
  for (let i = 0; i < np; i++) s += g[i] * x[i];
  return s;
}

/** a = JᵀWJ, g = JᵀW(values − model). */
function buildNormal(data: FitData, model: Float64Array, jac: Float64Array, np: number, a: Float64Array, g: Float64Array): void {
  if (np === 6) return buildNormal6(data, model, jac, a, g);
  if (np === 3) return buildNormal3(data, model, jac, a, g);
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

/**
 * `buildNormal` for one free Gaussian (the common case): the 21 sums live in locals instead of being
 * loaded and stored through the matrix for every pixel.
 */
function buildNormal6(data: FitData, model: Float64Array, jac: Float64Array, a: Float64Array, g: Float64Array): void {
  const n = data.xs.length;
  const values = data.values;
  const weights = data.weights;
  let g0 = 0, a00 = 0, a01 = 0, a02 = 0, a03 = 0, a04 = 0, a05 = 0, g1 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0, g2 = 0, a22 = 0, a23 = 0, a24 = 0, a25 = 0, g3 = 0, a33 = 0, a34 = 0, a35 = 0, g4 = 0, a44 = 0, a45 = 0, g5 = 0, a55 = 0;
  for (let i = 0, row = 0; i < n; i++, row += 6) {
    const w = weights[i];
    const r = (values[i] - model[i]) * w;
    const j0 = jac[row + 0];
    const j1 = jac[row + 1];
    const j2 = jac[row + 2];
    const j3 = jac[row + 3];
    const j4 = jac[row + 4];
    const j5 = jac[row + 5];
    g0 += j0 * r;
    const w0 = w * j0;
    a00 += w0 * j0; a01 += w0 * j1; a02 += w0 * j2; a03 += w0 * j3; a04 += w0 * j4; a05 += w0 * j5;
    g1 += j1 * r;
    const w1 = w * j1;
    a11 += w1 * j1; a12 += w1 * j2; a13 += w1 * j3; a14 += w1 * j4; a15 += w1 * j5;
    g2 += j2 * r;
    const w2 = w * j2;
    a22 += w2 * j2; a23 += w2 * j3; a24 += w2 * j4; a25 += w2 * j5;
    g3 += j3 * r;
    const w3 = w * j3;
    a33 += w3 * j3; a34 += w3 * j4; a35 += w3 * j5;
    g4 += j4 * r;
    const w4 = w * j4;
    a44 += w4 * j4; a45 += w4 * j5;
    g5 += j5 * r;
    const w5 = w * j5;
    a55 += w5 * j5;
  }
  g[0] = g0; g[1] = g1; g[2] = g2; g[3] = g3; g[4] = g4; g[5] = g5;
  a[0] = a00;
  a[1] = a[6] = a01;
  a[2] = a[12] = a02;
  a[3] = a[18] = a03;
  a[4] = a[24] = a04;
  a[5] = a[30] = a05;
  a[7] = a11;
  a[8] = a[13] = a12;
  a[9] = a[19] = a13;
  a[10] = a[25] = a14;
  a[11] = a[31] = a15;
  a[14] = a22;
  a[15] = a[20] = a23;
  a[16] = a[26] = a24;
  a[17] = a[32] = a25;
  a[21] = a33;
  a[22] = a[27] = a34;
  a[23] = a[33] = a35;
  a[28] = a44;
  a[29] = a[34] = a45;
  a[35] = a55;
}

/** `buildNormal` for the fixed-shape (point-source) model: amplitude and position only. */
function buildNormal3(data: FitData, model: Float64Array, jac: Float64Array, a: Float64Array, g: Float64Array): void {
  const n = data.xs.length;
  const values = data.values;
  const weights = data.weights;
  let g0 = 0, g1 = 0, g2 = 0, a00 = 0, a01 = 0, a02 = 0, a11 = 0, a12 = 0, a22 = 0;
  for (let i = 0, row = 0; i < n; i++, row += 3) {
    const w = weights[i];
    const r = (values[i] - model[i]) * w;
    const j0 = jac[row];
    const j1 = jac[row + 1];
    const j2 = jac[row + 2];
    g0 += j0 * r;
    g1 += j1 * r;
    g2 += j2 * r;
    const w0 = w * j0;
    const w1 = w * j1;
    a00 += w0 * j0; a01 += w0 * j1; a02 += w0 * j2;
    a11 += w1 * j1; a12 += w1 * j2;
    a22 += w * j2 * j2;
  }
  g[0] = g0; g[1] = g1; g[2] = g2;
  a[0] = a00; a[1] = a[3] = a01; a[2] = a[6] = a02;
  a[4] = a11; a[5] = a[7] = a12;
  a[8] = a22;
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
