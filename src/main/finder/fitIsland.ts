/**
 * Multi-component elliptical Gaussian fit of one island: initial components from the deblended peaks,
 * bounded LM, then components added at the strongest residual while it exceeds residualSigma and the
 * Bayesian information criterion improves (this separates faint sources on the wings of bright ones,
 * which often have no local maximum of their own). A failed fit yields a flagged moment-based
 * component, never nothing.
 */
import { condonErrors, deconvolve } from './condon';
import { findIslandPeaks } from './deblend';
import { bic, boundsFor, buildFitRegion, rmsAt, type FitContext, type FitRegion } from './fitRegion';
import { evaluateModel, NPAR } from './gaussModel';
import { fitLevenbergMarquardt, scratchOf, type LmResult } from './levenbergMarquardt';
import { normalizePa, paToTheta, thetaToPa } from './measure';
import { pointBlendFirst, pointSourceFirst, pointSourceFit } from './pointFits';
import { splitBlend } from './splitBlend';
import type { Component, FitQuality, Island } from './types';
import { beamAreaPx, beamFwhmPx, FWHM_PER_SIGMA } from './types';

export { fitMarginPx, type FitContext } from './fitRegion';

export function fitIsland(ctx: FitContext, island: Island): Component[] {
  const { beam, opts, plane, maps } = ctx;
  const region = buildFitRegion(ctx, island);
  const npts = region.data.xs.length;
  const beamTheta = paToTheta(beam.paDeg);
  const { originX: ox, originY: oy } = ctx.frame;
  const peaks = findIslandPeaks(plane, maps, ctx.found, island.id, opts.deblendDropSigma, opts.deblendMinSepBeams * beamFwhmPx(beam), ox, oy)
    .slice(0, opts.maxComponents);
  const init: number[] = [];
  for (const pk of peaks) {
    const p = (pk.y - oy) * plane.width + (pk.x - ox);
    init.push(plane.data[p] - maps.bkg[p], pk.x, pk.y, beam.majorSigmaPx, beam.minorSigmaPx, beamTheta);
  }
  if (peaks.length === 1) {
    // a single component starts from the island's moments when they exceed the beam
    const e = island.ellipse;
    init[3] = Math.max(beam.majorSigmaPx, e.majorFwhmPx / FWHM_PER_SIGMA);
    init[4] = Math.max(beam.minorSigmaPx, e.minorFwhmPx / FWHM_PER_SIGMA);
    init[5] = paToTheta(e.paDeg);
  }
  if (npts <= init.length) return [momentComponent(island, 'failed')];
  if (peaks.length === 1) {
    const point = pointSourceFirst(ctx, island, region, init);
    if (point) return toComponents(ctx, island, point, npts, true);
  } else if (opts.pointBlendsFirst) {
    const points = pointBlendFirst(ctx, island, region, init, peaks.length);
    if (points) return toComponents(ctx, island, points, npts, true);
  }
  let best = fitLevenbergMarquardt(region.data, Float64Array.from(init), ...boundsFor(peaks.length, ctx, island, region), opts.maxFitIterations);
  if (best.failed || !Number.isFinite(best.chi2)) return [momentComponent(island, 'failed')];
  const model = scratchOf(region.data.scratch, 13, npts);
  while (best.params.length / NPAR < opts.maxComponents) {
    evaluateModel(best.params, region.data, model);
    let maxSig = -Infinity;
    let at = -1;
    for (const i of region.islandIdx) {
      const s = (region.data.values[i] - model[i]) * Math.sqrt(region.data.weights[i]);
      if (s > maxSig) {
        maxSig = s;
        at = i;
      }
    }
    if (maxSig < opts.residualSigma || npts <= best.params.length + NPAR) break;
    const amp = region.data.values[at] - model[at];
    const next = Float64Array.from([...best.params, amp, region.data.xs[at], region.data.ys[at], beam.majorSigmaPx, beam.minorSigmaPx, beamTheta]);
    const ncomp = next.length / NPAR;
    const trial = fitLevenbergMarquardt(region.data, next, ...boundsFor(ncomp, ctx, island, region), opts.maxFitIterations);
    if (trial.failed || !(bic(trial, region, ctx) < bic(best, region, ctx))) break;
    best = trial;
  }
  best = pruneComponents(ctx, island, region, best);
  const point = best.params.length === NPAR ? pointSourceFit(ctx, island, region, best) : null;
  if (point) return toComponents(ctx, island, point, npts, true);
  if (best.params.length === NPAR && opts.splitBlends) {
    const [lower, upper] = boundsFor(1, ctx, island, region);
    const split = splitBlend({ data: region.data, free: best, beam, lower, upper, maxIterations: opts.maxFitIterations, rmsAt: (x, y) => rmsAt(ctx, x, y), minSnr: opts.minComponentSnr });
    if (split) return toComponents(ctx, island, split, npts, true);
  }
  return toComponents(ctx, island, best, npts, false);
}

/**
 * Backward elimination: while more than one component, drop the faintest and refit; keep the simpler
 * model when the BIC does not get worse. Removes spurious peaks (e.g. the rim of a NaN hole).
 */
function pruneComponents(ctx: FitContext, island: Island, region: FitRegion, fit: LmResult): LmResult {
  const npts = region.data.xs.length;
  let best = dropFaintComponents(ctx, island, region, fit);
  while (best.params.length > NPAR) {
    const ncomp = best.params.length / NPAR;
    let weakest = 0;
    let weakestFlux = Infinity;
    for (let c = 0; c < ncomp; c++) {
      const o = c * NPAR;
      const f = best.params[o] * best.params[o + 3] * best.params[o + 4];
      if (f < weakestFlux) {
        weakestFlux = f;
        weakest = c;
      }
    }
    const init = withoutComponent(best.params, weakest);
    const trial = fitLevenbergMarquardt(region.data, init, ...boundsFor(ncomp - 1, ctx, island, region), ctx.opts.maxFitIterations);
    if (trial.failed || !(bic(trial, region, ctx) <= bic(best, region, ctx))) break;
    best = trial;
  }
  return best;
}

/** Without component c (of `params`). */
function withoutComponent(params: Float64Array, c: number): Float64Array {
  const out = new Float64Array(params.length - NPAR);
  out.set(params.subarray(0, c * NPAR));
  out.set(params.subarray((c + 1) * NPAR), c * NPAR);
  return out;
}

/**
 * While several components remain, the one with the lowest fitted S/N is dropped (and the rest
 * refitted) if that S/N is below opts.minComponentSnr. The rms is read from the maps at the
 * component's pixel, as toComponents does.
 */
function dropFaintComponents(ctx: FitContext, island: Island, region: FitRegion, fit: LmResult): LmResult {
  const { plane, maps, frame, opts } = ctx;
  let best = fit;
  while (best.params.length > NPAR && opts.minComponentSnr > 0) {
    const ncomp = best.params.length / NPAR;
    let weakest = -1;
    let weakestSnr = opts.minComponentSnr;
    for (let c = 0; c < ncomp; c++) {
      const o = c * NPAR;
      const px = Math.min(plane.width - 1, Math.max(0, Math.round(best.params[o + 1]) - frame.originX));
      const py = Math.min(plane.height - 1, Math.max(0, Math.round(best.params[o + 2]) - frame.originY));
      const snr = best.params[o] / maps.rms[py * plane.width + px];
      if (snr < weakestSnr) {
        weakestSnr = snr;
        weakest = c;
      }
    }
    if (weakest < 0) break;
    const trial = fitLevenbergMarquardt(region.data, withoutComponent(best.params, weakest), ...boundsFor(ncomp - 1, ctx, island, region), opts.maxFitIterations);
    if (trial.failed || !Number.isFinite(trial.chi2)) break;
    best = trial;
  }
  return best;
}

function toComponents(ctx: FitContext, island: Island, fit: LmResult, npts: number, pointModel: boolean): Component[] {
  const { beam, maps, plane } = ctx;
  const ncomp = fit.params.length / NPAR;
  const dof = Math.max(1, npts - (pointModel ? 3 * ncomp : fit.params.length));
  const out: Component[] = [];
  const beamAxes = { major: beam.majorSigmaPx, minor: beam.minorSigmaPx, thetaRad: paToTheta(beam.paDeg) };
  for (let c = 0; c < ncomp; c++) {
    const o = c * NPAR;
    // indexed reads, not destructuring: a typed array's iterator made this function ~4× larger to compile
    const P = fit.params;
    const amp = P[o], x = P[o + 1], y = P[o + 2], sa = P[o + 3], sb = P[o + 4], th = P[o + 5];
    // order the axes: theta always names the major axis
    const major = Math.max(sa, sb);
    const minor = Math.min(sa, sb);
    const theta = sa >= sb ? th : th + Math.PI / 2;
    const px = Math.min(plane.width - 1, Math.max(0, Math.round(x) - ctx.frame.originX));
    const py = Math.min(plane.height - 1, Math.max(0, Math.round(y) - ctx.frame.originY));
    const rms = maps.rms[py * plane.width + px];
    const err = condonErrors(amp, rms, major * FWHM_PER_SIGMA, minor * FWHM_PER_SIGMA, theta, ctx.noiseFwhmPx);
    const flux = (amp * 2 * Math.PI * major * minor) / beamAreaPx(beam);
    const dec = deconvolve({ major, minor, thetaRad: theta }, beamAxes);
    let quality: FitQuality = 'ok';
    if (!fit.converged) quality = 'notConverged';
    else if (anyAtBound(fit.atBound, o, o + NPAR)) quality = 'atBound';
    out.push({
      id: c + 1,
      islandId: island.id,
      peak: amp,
      peakErr: err.peakErr,
      flux,
      // a point-source model has no size errors: its flux error is the peak's
      fluxErr: (pointModel ? err.peakErr / Math.abs(amp) : err.fluxRelErr) * Math.abs(flux),
      x,
      y,
      xErr: err.xErr,
      yErr: err.yErr,
      majorSigmaPx: major,
      minorSigmaPx: minor,
      majorFwhmPx: major * FWHM_PER_SIGMA,
      minorFwhmPx: minor * FWHM_PER_SIGMA,
      majorFwhmErrPx: pointModel ? NaN : err.majorFwhmErr,
      minorFwhmErrPx: pointModel ? NaN : err.minorFwhmErr,
      paDeg: thetaToPa(theta),
      paErrDeg: pointModel ? NaN : err.paErrDeg,
      deconvMajorFwhmPx: dec.major * FWHM_PER_SIGMA,
      deconvMinorFwhmPx: dec.minor * FWHM_PER_SIGMA,
      deconvPaDeg: dec.major > 0 ? thetaToPa(dec.thetaRad) : 0,
      snr: amp / rms,
      chi2: fit.chi2,
      redChi2: fit.chi2 / dof,
      iterations: fit.iterations,
      fitQuality: quality,
      sizeFixed: pointModel,
    });
  }
  return out;
}

function anyAtBound(atBound: boolean[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (atBound[k]) return true;
  return false;
}

/** The island's own measurements as a component, for fits that could not be done. */
function momentComponent(island: Island, quality: FitQuality): Component {
  const e = island.ellipse;
  return {
    id: 1,
    islandId: island.id,
    peak: island.peak,
    peakErr: island.rmsAtPeak,
    flux: island.flux,
    fluxErr: island.fluxErr,
    x: island.x,
    y: island.y,
    xErr: NaN,
    yErr: NaN,
    majorSigmaPx: e.majorFwhmPx / FWHM_PER_SIGMA,
    minorSigmaPx: e.minorFwhmPx / FWHM_PER_SIGMA,
    majorFwhmPx: e.majorFwhmPx,
    minorFwhmPx: e.minorFwhmPx,
    majorFwhmErrPx: NaN,
    minorFwhmErrPx: NaN,
    paDeg: normalizePa(e.paDeg),
    paErrDeg: NaN,
    deconvMajorFwhmPx: NaN,
    deconvMinorFwhmPx: NaN,
    deconvPaDeg: NaN,
    snr: island.snr,
    chi2: NaN,
    redChi2: NaN,
    iterations: 0,
    fitQuality: quality,
    sizeFixed: false,
  };
}
