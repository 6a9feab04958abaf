/**
 * Crowded fields: the emission mask of the masked background passes, when they stop, and the
 * whole-image estimate that runs them (`estimateBackground`; tiled runs drive the same passes in
 * tiledFinder.ts). The node statistics and the grid are background.ts's.
 */
import { computeNodes, fillMissingNodes, filterGrid, gridGeometry, imageNodeRange, planeLattice, wholeImageFrame, type BackgroundGrid, type LatticeMask, type PlaneFrame } from './background';
import { interpolateGrid, rowInterpolator } from './gridInterpolation';
import { dilateMask } from './labelIslands';
import { median } from './robustStats';
import type { BackgroundMaps, BeamPx, FinderOptions, ImagePlane } from './types';
import { beamFwhmPx } from './types';

/** Masked passes stop once the median node rms moves by less than this fraction. */
const MASK_CONVERGED = 0.005;
/** Mask reach around seed pixels, in beam FWHM: how far the mask follows emission above bkgMaskSigma. */
const MASK_REACH_BEAMS = 2;

/** Extra pixels a plane needs around the boxes it computes when masking (mask reach + growth). */
export function maskMarginPx(beam: BeamPx, opts: FinderOptions): number {
  const fwhm = beamFwhmPx(beam);
  // the lattice dilations round each reach to whole strides: up to half a stride more each
  return Math.round(MASK_REACH_BEAMS * fwhm) + Math.round(opts.bkgMaskGrowBeams * fwhm) + 2 + 2 * gridGeometry(beam, opts).stride;
}

/**
 * Mask for the masked passes (1 = exclude), on the sampling lattice (the only pixels the box
 * statistics read): lattice pixels above bkgMaskSigma within MASK_REACH_BEAMS of a lattice pixel above
 * seedSigma, grown by bkgMaskGrowBeams. A local rule on the global lattice (no flood fill), so a tile
 * with `maskMarginPx` of context computes the same mask as the whole image. Pure noise has no seeds
 * and so no mask, which keeps the rms unbiased. `maps` are plane-sized maps, or the grid to
 * interpolate them from.
 */
export function backgroundMask(
  plane: ImagePlane,
  frame: PlaneFrame,
  maps: BackgroundMaps | BackgroundGrid,
  beam: BeamPx,
  opts: FinderOptions,
  /** Work arrays of at least the lattice's size (their contents are overwritten; the mask's bits are `seeds`). */
  into?: { seeds: Uint8Array; above: Uint8Array },
): { mask: LatticeMask; fraction: number } {
  const { width: w, data } = plane;
  const stride = gridGeometry(beam, opts).stride;
  const lattice = planeLattice(plane, frame, stride);
  const { nx, ny, x0, y0 } = lattice;
  const seeds = into ? into.seeds.subarray(0, nx * ny).fill(0) : new Uint8Array(nx * ny);
  const above = into ? into.above.subarray(0, nx * ny).fill(0) : new Uint8Array(nx * ny);
  const bkgRow = new Float32Array(nx);
  const rmsRow = new Float32Array(nx);
  // a grid is interpolated at the lattice pixels only (the same float32 values as interpolateGrid)
  const fill = 'bkg' in maps && !('step' in maps) ? null : rowInterpolator(maps as BackgroundGrid, w, frame, x0, stride);
  // the loops are functions of their own: V8 compiles a long loop while it runs (on stack), and code
  // after the loop in the same function had never run then (each call deoptimised it again)
  const any = markAbove(data, w, lattice, fill, maps, bkgRow, rmsRow, opts.bkgMaskSigma, opts.seedSigma, above, seeds);
  if (!any) return { mask: { ...lattice, bits: seeds }, fraction: 0 };
  const fwhm = beamFwhmPx(beam);
  dilateMask(seeds, nx, ny, Math.round((MASK_REACH_BEAMS * fwhm) / stride));
  andInto(seeds, above);
  dilateMask(seeds, nx, ny, Math.round((opts.bkgMaskGrowBeams * fwhm) / stride));
  const m = countSet(seeds);
  return { mask: { ...lattice, bits: seeds }, fraction: m / seeds.length };
}

/** Marks the lattice pixels above `maskSigma` (in `above`) and `seedSigma` (in `seeds`); true when any seed. */
function markAbove(
  data: Float32Array,
  w: number,
  lattice: { nx: number; ny: number; x0: number; y0: number; stride: number },
  fill: ReturnType<typeof rowInterpolator> | null,
  maps: BackgroundMaps | BackgroundGrid,
  bkgRow: Float32Array,
  rmsRow: Float32Array,
  maskSigma: number,
  seedSigma: number,
  above: Uint8Array,
  seeds: Uint8Array,
): boolean {
  const { nx, ny, x0, y0, stride } = lattice;
  let any = false;
  for (let j = 0; j < ny; j++) {
    const y = y0 + j * stride;
    if (fill) fill(y, bkgRow, rmsRow, 0);
    else {
      const m = maps as BackgroundMaps;
      for (let i = 0; i < nx; i++) {
        bkgRow[i] = m.bkg[y * w + x0 + i * stride];
        rmsRow[i] = m.rms[y * w + x0 + i * stride];
      }
    }
    const row = y * w + x0;
    for (let i = 0; i < nx; i++) {
      const r = rmsRow[i];
      if (!(r > 0)) continue;
      const d = data[row + i * stride] - bkgRow[i];
      if (d > maskSigma * r) above[j * nx + i] = 1;
      if (d > seedSigma * r) {
        seeds[j * nx + i] = 1;
        any = true;
      }
    }
  }
  return any;
}

function andInto(a: Uint8Array, b: Uint8Array): void {
  for (let p = 0; p < a.length; p++) a[p] &= b[p];
}

function countSet(a: Uint8Array): number {
  let m = 0;
  for (let p = 0; p < a.length; p++) m += a[p];
  return m;
}

/** Relative change of the median node rms between two passes (per-node changes are dominated by box noise). */
export function medianRmsChange(a: Float32Array, b: Float32Array): number {
  const ma = median(Float32Array.from(a), a.length);
  const mb = median(Float32Array.from(b), b.length);
  return Math.abs(mb - ma) / Math.abs(ma);
}

/** True once another masked pass is not worth doing. */
export function maskPassesConverged(previous: BackgroundGrid, next: BackgroundGrid): boolean {
  return !(medianRmsChange(previous.rms, next.rms) >= MASK_CONVERGED);
}

export interface BackgroundEstimate extends BackgroundMaps {
  grid: BackgroundGrid;
  /** Fraction of the plane excluded in the last masked pass (0 without masking). */
  maskedFraction: number;
  /** Box-statistics passes done (1 = naive only). */
  passes: number;
}

/**
 * Background and rms maps for a whole image in memory. Pass 0 uses every finite pixel; each masked
 * pass masks bright emission found with the current maps (`backgroundMask`) and recomputes the box
 * statistics without it, until the rms settles or bkgMaskIterations passes are done.
 */
export function estimateBackground(plane: ImagePlane, beam: BeamPx, opts: FinderOptions): BackgroundEstimate {
  const frame = wholeImageFrame(plane);
  const geom = gridGeometry(beam, opts);
  const nodes = imageNodeRange(plane.width, plane.height, geom);
  let grid = computeNodes(plane, frame, geom, nodes, opts);
  fillMissingNodes(grid);
  filterGrid(grid, opts.bkgFilterNodes);
  let maskedFraction = 0;
  let passes = 1;
  for (let pass = 0; pass < opts.bkgMaskIterations; pass++) {
    const { mask, fraction } = backgroundMask(plane, frame, grid, beam, opts);
    // nothing to mask: the naive pass is the result
    if (fraction === 0) break;
    maskedFraction = fraction;
    const next = computeNodes(plane, frame, geom, nodes, opts, mask, grid);
    fillMissingNodes(next);
    filterGrid(next, opts.bkgFilterNodes);
    passes++;
    const done = maskPassesConverged(grid, next);
    grid = next;
    if (done) break;
  }
  return { ...interpolateGrid(grid, plane, frame), grid, maskedFraction, passes };
}
