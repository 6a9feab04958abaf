/**
 * Sum of elliptical Gaussians and its analytic Jacobian.
 *
 * Per component 6 parameters: [amp, x0, y0, sa, sb, theta], where sa/sb are the sigmas (pixels) along
 * the axis at angle theta (radians, counter-clockwise from +x) and the perpendicular one. The
 * parametrisation has no ordering constraint (sa < sb is a rotated ellipse); `toEllipse` in the fitter
 * orders axes and converts theta to a PA.
 */

import type { FitScratch } from './levenbergMarquardt';

export const NPAR = 6;

export interface FitData {
  /** Pixel coordinates, values (background-subtracted) and weights (1/rms²) of the fitted pixels. */
  xs: Float64Array;
  ys: Float64Array;
  values: Float64Array;
  weights: Float64Array;
  /** Reusable work arrays for the fitter (optional). */
  scratch?: FitScratch;
}

/**
 * Model value at every point into `model`; when `jac` is given (length n·npar, row-major by point)
 * also fills ∂model/∂p.
 */
export function evaluateModel(
  params: Float64Array,
  data: FitData,
  model: Float64Array,
  jac?: Float64Array,
): void {
  const n = data.xs.length;
  const np = params.length;
  const ncomp = np / NPAR;
  model.fill(0, 0, n);
  if (jac) jac.fill(0, 0, n * np);
  for (let c = 0; c < ncomp; c++) {
    const o = c * NPAR;
    const amp = params[o];
    const x0 = params[o + 1];
    const y0 = params[o + 2];
    const sa = params[o + 3];
    const sb = params[o + 4];
    const th = params[o + 5];
    const cs = Math.cos(th);
    const sn = Math.sin(th);
    const ia = 1 / (sa * sa);
    const ib = 1 / (sb * sb);
    for (let i = 0; i < n; i++) {
      const dx = data.xs[i] - x0;
      const dy = data.ys[i] - y0;
      const u = dx * cs + dy * sn;
      const v = -dx * sn + dy * cs;
      const e = 0.5 * (u * u * ia + v * v * ib);
      if (e > 40) continue; // exp(−40) ≈ 4e−18: nothing to add
      const ex = Math.exp(-e);
      const g = amp * ex;
      model[i] += g;
      if (!jac) continue;
      const r = i * np + o;
      jac[r] = ex;
      jac[r + 1] = g * (u * cs * ia - v * sn * ib);
      jac[r + 2] = g * (u * sn * ia + v * cs * ib);
      jac[r + 3] = (g * u * u * ia) / sa;
      jac[r + 4] = (g * v * v * ib) / sb;
      jac[r + 5] = -g * u * v * (ia - ib);
    }
  }
}

/**
 * One Gaussian of fixed shape (sigmas sa/sb along theta): parameters [amp, x0, y0] only, for the
 * point-source refit. Half the Jacobian and a 3×3 normal matrix instead of 6×6 with pinned entries.
 */
export function fixedShapeModel(sa: number, sb: number, theta: number): (params: Float64Array, data: FitData, model: Float64Array, jac?: Float64Array) => void {
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  const ia = 1 / (sa * sa);
  const ib = 1 / (sb * sb);
  return (params, data, model, jac) => {
    const n = data.xs.length;
    const amp = params[0];
    const x0 = params[1];
    const y0 = params[2];
    const { xs, ys } = data;
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - x0;
      const dy = ys[i] - y0;
      const u = dx * cs + dy * sn;
      const v = -dx * sn + dy * cs;
      const e = 0.5 * (u * u * ia + v * v * ib);
      const ex = e > 40 ? 0 : Math.exp(-e);
      const g = amp * ex;
      model[i] = g;
      if (!jac) continue;
      const r = i * 3;
      jac[r] = ex;
      jac[r + 1] = g * (u * cs * ia - v * sn * ib);
      jac[r + 2] = g * (u * sn * ia + v * cs * ib);
    }
  };
}

/**
 * Several Gaussians of one fixed shape (size and orientation), each with amplitude and position
 * free: parameters [amp, x0, y0] per component; Jacobian rows of params.length.
 */
export function fixedShapeModelN(sa: number, sb: number, theta: number): (params: Float64Array, data: FitData, model: Float64Array, jac?: Float64Array) => void {
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  const ia = 1 / (sa * sa);
  const ib = 1 / (sb * sb);
  return (params, data, model, jac) => {
    const n = data.xs.length;
    const np = params.length;
    const { xs, ys } = data;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let o = 0; o < np; o += 3) {
        const dx = xs[i] - params[o + 1];
        const dy = ys[i] - params[o + 2];
        const u = dx * cs + dy * sn;
        const v = -dx * sn + dy * cs;
        const e = 0.5 * (u * u * ia + v * v * ib);
        const ex = e > 40 ? 0 : Math.exp(-e);
        const g = params[o] * ex;
        sum += g;
        if (!jac) continue;
        const r = i * np + o;
        jac[r] = ex;
        jac[r + 1] = g * (u * cs * ia - v * sn * ib);
        jac[r + 2] = g * (u * sn * ia + v * cs * ib);
      }
      model[i] = sum;
    }
  };
}
