/**
 * Multi-component elliptical Gaussian fit of one island: initial components from the deblended peaks,
 * bounded LM, then components added at the strongest residual while it exceeds residualSigma and the
 * Bayesian information criterion improves (this separates faint sources on the wings of bright ones,
 * which often have no local maximum of their own). A failed fit yields a flagged moment-based
 * component, never nothing.
 */
import type { PlaneFrame } from './background';
import { condonErrors, deconvolve } from './condon';
import { findIslandPeaks } from './deblend';
import { evaluateModel, fixedShapeModel, NPAR, type FitData } from './gaussModel';
import type { IslandLabels } from './labelIslands';
import { FitScratch, fitLevenbergMarquardt, scoreStatistic, type LmResult } from './levenbergMarquardt';
import { normalizePa, paToTheta, thetaToPa } from './measure';
import { splitBlend } from './splitBlend';
import type { BackgroundMaps, BeamPx, Component, FinderOptions, FitQuality, ImagePlane, Island } from './types';
import { beamAreaPx, beamFwhmPx, FWHM_PER_SIGMA } from './types';

export interface FitContext {
  plane: ImagePlane;
  maps: BackgroundMaps;
  found: IslandLabels;
  beam: BeamPx;
  opts: FinderOptions;
  /** Noise correlation FWHM (pixels) for the Condon errors; the beam FWHM for restored images. */
  noiseFwhmPx: number;
  /** Where the plane sits in the image; every coordinate in and out is global. */
  frame: PlaneFrame;
  /** Work arrays shared by this context's fits (created on first use; fits run one at a time). */
  scratch?: FitScratch;
}

interface FitRegion {
  data: FitData;
  /** Index into `data` of each island pixel (for residual search), with its plane coordinates. */
  islandIdx: Int32Array;
  bounds: { xMin: number; xMax: number; yMin: number; yMax: number };
}

function buildFitRegion(ctx: FitContext, island: Island): FitRegion {
  const { plane, maps, found, frame } = ctx;
  const w = plane.width;
  const ox = frame.originX;
  const oy = frame.originY;
  const margin = fitMarginPx(ctx);
  // global bounds clipped to the image; the caller guarantees they lie inside the plane
  const x0 = Math.max(0, island.bbox.xMin - margin);
  const x1 = Math.min(frame.imageWidth - 1, island.bbox.xMax + margin);
  const y0 = Math.max(0, island.bbox.yMin - margin);
  const y1 = Math.min(frame.imageHeight - 1, island.bbox.yMax + margin);
  const merge = ctx.opts.mergeSigma;
  const cap = (x1 - x0 + 1) * (y1 - y0 + 1);
  const scratch = (ctx.scratch ??= new FitScratch());
  const xs = scratch.take(4, cap), ys = scratch.take(5, cap), vs = scratch.take(6, cap), ws = scratch.take(7, cap);
  const isl = new Int32Array(cap);
  let n = 0;
  let ni = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const p = (y - oy) * w + (x - ox);
      const own = found.labels[p] === island.id;
      const r = maps.rms[p];
      const v = plane.data[p] - maps.bkg[p];
      if (!(r > 0) || !Number.isFinite(v)) continue;
      // other emission above the merge level (other islands, sub-seed clumps) belongs to other fits;
      // decided from the maps alone, so a tile that does not see a neighbour's seed agrees
      if (!own && v > merge * r) continue;
      if (own) isl[ni++] = n;
      xs[n] = x;
      ys[n] = y;
      vs[n] = v;
      ws[n] = 1 / (r * r);
      n++;
    }
  }
  return {
    data: { xs: xs.subarray(0, n), ys: ys.subarray(0, n), values: vs.subarray(0, n), weights: ws.subarray(0, n), scratch },
    islandIdx: isl.subarray(0, ni),
    bounds: { xMin: island.bbox.xMin - 1, xMax: island.bbox.xMax + 1, yMin: island.bbox.yMin - 1, yMax: island.bbox.yMax + 1 },
  };
}

/** Pixels around an island's bounding box that enter its fit. */
export function fitMarginPx(ctx: Pick<FitContext, 'opts' | 'beam'>): number {
  return Math.ceil(ctx.opts.fitMarginBeams * beamFwhmPx(ctx.beam));
}

function boundsFor(ncomp: number, ctx: FitContext, island: Island, region: FitRegion): [Float64Array, Float64Array] {
  const lo = new Float64Array(ncomp * NPAR);
  const hi = new Float64Array(ncomp * NPAR);
  const b = region.bounds;
  const minSize = ctx.beam.minorSigmaPx * ctx.opts.minSizeBeamFraction;
  const maxSize = Math.max(b.xMax - b.xMin, b.yMax - b.yMin) + 2 * ctx.beam.majorSigmaPx;
  const maxAmp = 2 * Math.max(island.peak, 0) + 5 * island.rmsAtPeak;
  for (let c = 0; c < ncomp; c++) {
    const o = c * NPAR;
    lo.set([1e-3 * island.rmsAtPeak, b.xMin, b.yMin, minSize, minSize, -Infinity], o);
    hi.set([maxAmp, b.xMax, b.yMax, maxSize, maxSize, Infinity], o);
  }
  return [lo, hi];
}

/**
 * Bayesian information criterion with χ² and the number of data points counted in independent noise
 * samples: with beam-correlated noise one beam of pixels is one sample, and raw χ² differences would
 * reward fitting noise structure (extra components, free sizes of point sources).
 */
function bic(fit: LmResult, npts: number, ctx: FitContext, freeParams = fit.params.length): number {
  const corr = noiseCorrelationPixels(ctx);
  return fit.chi2 / corr + freeParams * Math.log(Math.max(npts / corr, 2));
}

/** Pixels per independent noise sample: the area of the noise correlation Gaussian (≥ 1). */
function noiseCorrelationPixels(ctx: FitContext): number {
  return Math.max(1, (Math.PI * ctx.noiseFwhmPx * ctx.noiseFwhmPx) / (4 * Math.LN2));
}

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
  }
  let best = fitLevenbergMarquardt(region.data, Float64Array.from(init), ...boundsFor(peaks.length, ctx, island, region), opts.maxFitIterations);
  if (best.failed || !Number.isFinite(best.chi2)) return [momentComponent(island, 'failed')];
  const model = new Float64Array(npts);
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
    if (trial.failed || !(bic(trial, npts, ctx) < bic(best, npts, ctx))) break;
    best = trial;
  }
  best = pruneComponents(ctx, island, region, best);
  const point = best.params.length === NPAR ? pointSourceFit(ctx, island, region, best) : null;
  if (point) return toComponents(ctx, island, point, npts, true);
  if (best.params.length === NPAR && opts.splitBlends) {
    const [lower, upper] = boundsFor(1, ctx, island, region);
    const rmsAt = (x: number, y: number): number => {
      const px = Math.min(plane.width - 1, Math.max(0, Math.round(x) - ctx.frame.originX));
      const py = Math.min(plane.height - 1, Math.max(0, Math.round(y) - ctx.frame.originY));
      return maps.rms[py * plane.width + px];
    };
    const split = splitBlend({ data: region.data, free: best, beam, lower, upper, maxIterations: opts.maxFitIterations, rmsAt, minSnr: opts.minComponentSnr });
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
    if (trial.failed || !(bic(trial, npts, ctx) <= bic(best, npts, ctx))) break;
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
function pointSourceFirst(ctx: FitContext, island: Island, region: FitRegion, init: number[]): LmResult | null {
  const { beam, opts } = ctx;
  const npts = region.data.xs.length;
  const theta = paToTheta(beam.paDeg);
  const [lo, hi] = boundsFor(1, ctx, island, region);
  const model3 = fixedShapeModel(beam.majorSigmaPx, beam.minorSigmaPx, theta);
  const fit = fitLevenbergMarquardt(region.data, Float64Array.from(init.slice(0, 3)), lo.subarray(0, 3), hi.subarray(0, 3), opts.maxFitIterations, false, model3);
  if (fit.failed || !fit.converged || !Number.isFinite(fit.chi2) || fit.atBound.some(Boolean)) return null;
  const params = Float64Array.from([fit.params[0], fit.params[1], fit.params[2], beam.majorSigmaPx, beam.minorSigmaPx, theta]);
  const corr = noiseCorrelationPixels(ctx);
  const score = scoreStatistic(region.data, params);
  if (!(score / corr <= POINT_SHORTCUT_MARGIN * 3 * Math.log(Math.max(npts / corr, 2)))) return null;
  const model = new Float64Array(npts);
  model3(fit.params, region.data, model);
  for (const i of region.islandIdx) {
    if ((region.data.values[i] - model[i]) * Math.sqrt(region.data.weights[i]) >= opts.residualSigma) return null;
  }
  return { ...fit, params, atBound: [...fit.atBound, false, false, false] };
}

/**
 * A single component refitted as a point source (size and PA pinned to the beam). Returned when the
 * BIC prefers it: free sizes of faint unresolved sources are biased large by noise (the major axis is
 * the larger of two noisy widths), which biases their flux high by several per cent at S/N 10–20.
 */
function pointSourceFit(ctx: FitContext, island: Island, region: FitRegion, free: LmResult): LmResult | null {
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
  return bic(point, npts, ctx, 3) <= bic(free, npts, ctx) ? point : null;
}

function toComponents(ctx: FitContext, island: Island, fit: LmResult, npts: number, pointModel: boolean): Component[] {
  const { beam, maps, plane } = ctx;
  const ncomp = fit.params.length / NPAR;
  const dof = Math.max(1, npts - (pointModel ? 3 * ncomp : fit.params.length));
  const out: Component[] = [];
  const beamAxes = { major: beam.majorSigmaPx, minor: beam.minorSigmaPx, thetaRad: paToTheta(beam.paDeg) };
  for (let c = 0; c < ncomp; c++) {
    const o = c * NPAR;
    const [amp, x, y, sa, sb, th] = fit.params.subarray(o, o + NPAR);
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
    else if (fit.atBound.slice(o, o + NPAR).some(Boolean)) quality = 'atBound';
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
