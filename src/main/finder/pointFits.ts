/**
 * Point-source models (size and PA pinned to the beam; amplitude and position free) for single
 * sources and blends: tried first and kept when freeing the sizes cannot pay their BIC penalty (by
 * the score statistic), and a refit of a single free component when the BIC prefers it.
 */
import { fixedShapeModel, fixedShapeModelN, NPAR } from './gaussModel';
import { fitLevenbergMarquardt, scoreStatistic, scratchOf, type LmResult } from './levenbergMarquardt';
import { paToTheta } from './measure';
import { bic, boundsFor, noiseCorrelationPixels, rmsAt, type FitContext, type FitRegion } from './fitRegion';
import type { Island } from './types';

/**
 * Free sizes must gain at least this fraction of the BIC penalty they cost (by the score statistic)
 * before the full free fit is worth doing; the margin covers the quadratic approximation.
 */
const POINT_SHORTCUT_MARGIN = 0.5;

/**
 * Shortcut for single-peak islands: fit the point-source model (3 parameters) first, and accept it
 * without the free 6-parameter fit when the score statistic shows freeing size and PA could gain
 * well under the BIC penalty of 3 parameters (so the BIC would prefer the point model anyway), and
 * the residual calls for no further component. Null: take the full path.
 */
export function pointSourceFirst(ctx: FitContext, island: Island, region: FitRegion, init: number[]): LmResult | null {
  const { beam, opts } = ctx;
  const npts = region.data.xs.length;
  const theta = paToTheta(beam.paDeg);
  const [lo, hi] = boundsFor(1, ctx, island, region);
  const model3 = fixedShapeModel(beam.majorSigmaPx, beam.minorSigmaPx, theta);
  const fit = fitLevenbergMarquardt(region.data, Float64Array.from(init.slice(0, 3)), lo.subarray(0, 3), hi.subarray(0, 3), opts.maxFitIterations, false, model3);
  if (fit.failed || !fit.converged || !Number.isFinite(fit.chi2) || fit.atBound.some(Boolean)) return null;
  const params = Float64Array.from([fit.params[0], fit.params[1], fit.params[2], beam.majorSigmaPx, beam.minorSigmaPx, theta]);
  const corr = noiseCorrelationPixels(ctx, region);
  const score = scoreStatistic(region.data, params);
  if (!(score / corr <= POINT_SHORTCUT_MARGIN * 3 * Math.log(Math.max(npts / corr, 2)))) return null;
  const model = scratchOf(region.data.scratch, 13, npts);
  model3(fit.params, region.data, model);
  for (const i of region.islandIdx) {
    if ((region.data.values[i] - model[i]) * Math.sqrt(region.data.weights[i]) >= opts.residualSigma) return null;
  }
  return { ...fit, params, atBound: [...fit.atBound, false, false, false] };
}

/**
 * `pointSourceFirst` for islands with several peaks (blends, the costly case in crowded fields): all
 * components as point sources (3 parameters each) first, accepted without the free fit when each is a
 * detection (≥ minComponentSnr), the score statistic shows freeing every size and PA would gain under
 * half their BIC penalty, and no residual calls for another component. Null: take the full path.
 */
export function pointBlendFirst(ctx: FitContext, island: Island, region: FitRegion, init: number[], ncomp: number): LmResult | null {
  const { beam, opts } = ctx;
  const npts = region.data.xs.length;
  // the rim of a NaN hole makes spurious peaks: the full path prunes them
  if (npts <= 3 * ncomp || island.flags.nanNearby) return null;
  const theta = paToTheta(beam.paDeg);
  const [lo6, hi6] = boundsFor(ncomp, ctx, island, region);
  const lo = new Float64Array(3 * ncomp), hi = new Float64Array(3 * ncomp), p0 = new Float64Array(3 * ncomp);
  for (let c = 0; c < ncomp; c++) {
    lo.set(lo6.subarray(c * NPAR, c * NPAR + 3), 3 * c);
    hi.set(hi6.subarray(c * NPAR, c * NPAR + 3), 3 * c);
    p0.set(init.slice(c * NPAR, c * NPAR + 3), 3 * c);
  }
  const modelN = fixedShapeModelN(beam.majorSigmaPx, beam.minorSigmaPx, theta);
  const fit = fitLevenbergMarquardt(region.data, p0, lo, hi, opts.maxFitIterations, false, modelN);
  if (fit.failed || !fit.converged || !Number.isFinite(fit.chi2) || fit.atBound.some(Boolean)) return null;
  const params = new Float64Array(ncomp * NPAR);
  const atBound: boolean[] = [];
  for (let c = 0; c < ncomp; c++) {
    const amp = fit.params[3 * c], x = fit.params[3 * c + 1], y = fit.params[3 * c + 2];
    if (!(amp / rmsAt(ctx, x, y) >= opts.minComponentSnr)) return null;
    params.set([amp, x, y, beam.majorSigmaPx, beam.minorSigmaPx, theta], c * NPAR);
    atBound.push(false, false, false, false, false, false);
  }
  const corr = noiseCorrelationPixels(ctx, region);
  const score = scoreStatistic(region.data, params);
  if (!(score / corr <= POINT_SHORTCUT_MARGIN * 3 * ncomp * Math.log(Math.max(npts / corr, 2)))) return null;
  const model = scratchOf(region.data.scratch, 13, npts);
  modelN(fit.params, region.data, model);
  for (const i of region.islandIdx) {
    if ((region.data.values[i] - model[i]) * Math.sqrt(region.data.weights[i]) >= opts.residualSigma) return null;
  }
  return { ...fit, params, atBound };
}

/**
 * A single component refitted as a point source (size and PA pinned to the beam). Returned when the
 * BIC prefers it: free sizes of faint unresolved sources are biased large by noise (the major axis is
 * the larger of two noisy widths), which biases their flux high by several per cent at S/N 10–20.
 */
export function pointSourceFit(ctx: FitContext, island: Island, region: FitRegion, free: LmResult): LmResult | null {
  const { beam, opts } = ctx;
  const npts = region.data.xs.length;
  const theta = paToTheta(beam.paDeg);
  // only amplitude and position are free: a 3-parameter model, expanded to 6 parameters afterwards
  const [lo, hi] = boundsFor(1, ctx, island, region);
  const model = fixedShapeModel(beam.majorSigmaPx, beam.minorSigmaPx, theta);
  const fit = fitLevenbergMarquardt(region.data, free.params.slice(0, 3), lo.subarray(0, 3), hi.subarray(0, 3), opts.maxFitIterations, false, model);
  if (fit.failed || !Number.isFinite(fit.chi2)) return null;
  const point: LmResult = {
    ...fit,
    params: Float64Array.from([fit.params[0], fit.params[1], fit.params[2], beam.majorSigmaPx, beam.minorSigmaPx, theta]),
    atBound: [...fit.atBound, false, false, false],
  };
  return bic(point, region, ctx, 3) <= bic(free, region, ctx) ? point : null;
}

