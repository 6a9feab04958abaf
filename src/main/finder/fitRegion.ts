/**
 * What an island fit works on: the fit context, the region of pixels entering the fit (island +
 * margin, other emission excluded), parameter bounds and the BIC used for every model choice.
 */
import type { PlaneFrame } from './background';
import { NPAR, type FitData } from './gaussModel';
import type { IslandLabels } from './labelIslands';
import { FitScratch, type LmResult } from './levenbergMarquardt';
import type { BackgroundMaps, BeamPx, FinderOptions, ImagePlane, Island } from './types';
import { beamFwhmPx } from './types';

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

export interface FitRegion {
  data: FitData;
  /**
   * Pixels each data point stands for: stride² on the global half-beam lattice (every stride-th pixel in
   * x and y; see `fitStride`). χ² and counts are then
   * per lattice sample, and `noiseCorrelationPixels` shrinks by the same factor, so the BIC is unchanged.
   */
  sampleArea: number;
  /** Index into `data` of each island pixel (for residual search), with its plane coordinates. */
  islandIdx: Int32Array;
  bounds: { xMin: number; xMax: number; yMin: number; yMax: number };
}

/**
 * Fits sample the region on the global half-beam lattice (every round(FWHM/2)-th pixel in x and y):
 * beam-correlated noise sampled every half FWHM keeps nearly all of its information (bench/finder:
 * completeness, reliability and flux scatter unchanged on the power-law and crowded maps), at a
 * quarter of the cost for a 4-px beam. Beams under 3 px FWHM are fitted on every pixel.
 */
function fitStride(beam: FitContext['beam']): number {
  return Math.max(1, Math.round(beamFwhmPx(beam) / 2));
}

export function buildFitRegion(ctx: FitContext, island: Island): FitRegion {
  const { plane, maps, found, frame } = ctx;
  const stride = fitStride(ctx.beam);
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
  const isl = scratch.takeInt(0, cap);
  let n = 0;
  let ni = 0;
  // the lattice is global (multiples of stride), so every tile samples an island alike
  const xFirst = x0 + ((stride - (x0 % stride)) % stride);
  for (let y = y0 + ((stride - (y0 % stride)) % stride); y <= y1; y += stride) {
    for (let x = xFirst; x <= x1; x += stride) {
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
    sampleArea: stride * stride,
    bounds: { xMin: island.bbox.xMin - 1, xMax: island.bbox.xMax + 1, yMin: island.bbox.yMin - 1, yMax: island.bbox.yMax + 1 },
  };
}

/** Pixels around an island's bounding box that enter its fit. */
export function fitMarginPx(ctx: Pick<FitContext, 'opts' | 'beam'>): number {
  return Math.ceil(ctx.opts.fitMarginBeams * beamFwhmPx(ctx.beam));
}

export function boundsFor(ncomp: number, ctx: FitContext, island: Island, region: FitRegion): [Float64Array, Float64Array] {
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
export function bic(fit: LmResult, region: FitRegion, ctx: FitContext, freeParams = fit.params.length): number {
  const corr = noiseCorrelationPixels(ctx, region);
  return fit.chi2 / corr + freeParams * Math.log(Math.max(region.data.xs.length / corr, 2));
}

/**
 * Data points per independent noise sample: the area of the noise correlation Gaussian in pixels
 * over the pixels each point stands for (≥ 1).
 */
export function noiseCorrelationPixels(ctx: FitContext, region: Pick<FitRegion, 'sampleArea'>): number {
  return Math.max(1, (Math.PI * ctx.noiseFwhmPx * ctx.noiseFwhmPx) / (4 * Math.LN2) / region.sampleArea);
}

/** Noise rms at a global position (nearest pixel of the plane). */
export function rmsAt(ctx: Pick<FitContext, 'plane' | 'maps' | 'frame'>, x: number, y: number): number {
  const { plane, maps, frame } = ctx;
  const px = Math.min(plane.width - 1, Math.max(0, Math.round(x) - frame.originX));
  const py = Math.min(plane.height - 1, Math.max(0, Math.round(y) - frame.originY));
  return maps.rms[py * plane.width + px];
}
