/**
 * Background and noise maps: robust statistics (sigma-clipped median; rms from MAD or biweight) in
 * boxes centred on a regular grid, interpolated bilinearly.
 *
 * Crowded fields: when a large fraction of the pixels sit in the wings of sources, even clipped
 * statistics are biased high (the wings are below the clip level). `estimateBackground` therefore
 * re-estimates with bright emission masked (options.bkgMaskIterations passes, see `backgroundMask`).
 *
 * Tiling: the grid is GLOBAL. Node (I, J) sits at image pixel (I·step, J·step); its box is clipped
 * to the image, never to a tile. Interpolation weights (gridInterpolation.ts) come from integer arithmetic on global
 * coordinates, and the mask is a local rule. So any tile whose plane holds a node's box (plus the
 * mask reach, `maskMarginPx`) computes that node bit-for-bit as the whole image would, and any tile
 * interpolates the same values as the whole image.
 */
import { interpolateGrid, rowInterpolator } from './gridInterpolation';
import { dilateMask } from './labelIslands';
import { histogramStats, median } from './robustStats';
import type { BackgroundMaps, BeamPx, FinderOptions, ImagePlane, Rect } from './types';
import { beamFwhmPx } from './types';

/** Cap on samples per box: boxes are subsampled on a global stride above this (keeps the cost linear). */
const MAX_BOX_SAMPLES = 16384;
/** Masked passes stop once the median node rms moves by less than this fraction. */
const MASK_CONVERGED = 0.005;
/** A box needs this many usable pixels, else its node is filled from its neighbours. */
const MIN_BOX_SAMPLES = 30;
/** Mask reach around seed pixels, in beam FWHM: how far the mask follows emission above bkgMaskSigma. */
const MASK_REACH_BEAMS = 2;

export interface GridGeometry {
  /** Box side and node step in pixels (integers). */
  box: number;
  step: number;
  /**
   * Sampling stride inside a box, on the global pixel lattice, in every pass: half the beam FWHM (or
   * more for huge boxes). Beam-correlated noise sampled every half beam keeps nearly all of its
   * information (a 20-beam box still holds ~90 % of its independent samples) at a quarter of the cost
   * for a 4-px beam, and the masks of the masked passes are computed on the same lattice.
   */
  stride: number;
}

/** Where a plane sits in the image: global Pixel0 of its (0,0), and the image size. */
export interface PlaneFrame {
  originX: number;
  originY: number;
  imageWidth: number;
  imageHeight: number;
}

export function wholeImageFrame(plane: ImagePlane): PlaneFrame {
  return { originX: 0, originY: 0, imageWidth: plane.width, imageHeight: plane.height };
}

/** A block of global nodes: node (i0 + i, j0 + j) is stored at [j·nx + i]; NaN = not computed/empty. */
export interface BackgroundGrid extends GridGeometry {
  i0: number;
  j0: number;
  nx: number;
  ny: number;
  bkg: Float32Array;
  rms: Float32Array;
}

export function gridGeometry(beam: BeamPx, opts: FinderOptions): GridGeometry {
  const fwhm = beamFwhmPx(beam);
  const box = Math.max(16, Math.round(opts.bkgBoxBeams * fwhm));
  const step = Math.max(4, Math.round(opts.bkgGridBeams * fwhm));
  const stride = Math.max(1, Math.ceil(Math.sqrt((box * box) / MAX_BOX_SAMPLES)), Math.round(fwhm / 2));
  return { box, step, stride };
}

/** Node index range covering an image: the last node lies at or beyond the last pixel. */
export function imageNodeRange(imageWidth: number, imageHeight: number, geom: GridGeometry): Rect {
  return { x0: 0, y0: 0, width: Math.floor((imageWidth - 1) / geom.step) + 2, height: Math.floor((imageHeight - 1) / geom.step) + 2 };
}

/** Pixels (global, clipped to the image) of the box of node (i, j). */
export function nodeBox(i: number, j: number, geom: GridGeometry, imageWidth: number, imageHeight: number): { xa: number; xb: number; ya: number; yb: number } {
  const half = geom.box / 2;
  const xc = i * geom.step;
  const yc = j * geom.step;
  return {
    xa: Math.max(0, Math.ceil(xc - half)),
    xb: Math.min(imageWidth - 1, Math.floor(xc + half)),
    ya: Math.max(0, Math.ceil(yc - half)),
    yb: Math.min(imageHeight - 1, Math.floor(yc + half)),
  };
}

/** Extra pixels a plane needs around the boxes it computes when masking (mask reach + growth). */
export function maskMarginPx(beam: BeamPx, opts: FinderOptions): number {
  const fwhm = beamFwhmPx(beam);
  // the lattice dilations round each reach to whole strides: up to half a stride more each
  return Math.round(MASK_REACH_BEAMS * fwhm) + Math.round(opts.bkgMaskGrowBeams * fwhm) + 2 + 2 * gridGeometry(beam, opts).stride;
}

/**
 * A 0/1 mask (1 = exclude) on the sampling lattice of a plane: the pixels whose GLOBAL x and y are
 * multiples of `stride`. Lattice pixel (i, j) is plane pixel (x0 + i·stride, y0 + j·stride).
 */
export interface LatticeMask {
  stride: number;
  x0: number;
  y0: number;
  nx: number;
  ny: number;
  bits: Uint8Array;
}

/** The sampling lattice of a plane placed by `frame` (no bits yet). */
export function planeLattice(plane: { width: number; height: number }, frame: PlaneFrame, stride: number): Omit<LatticeMask, 'bits'> {
  const x0 = (stride - (frame.originX % stride)) % stride;
  const y0 = (stride - (frame.originY % stride)) % stride;
  const nx = x0 < plane.width ? Math.floor((plane.width - 1 - x0) / stride) + 1 : 0;
  const ny = y0 < plane.height ? Math.floor((plane.height - 1 - y0) / stride) + 1 : 0;
  return { stride, x0, y0, nx, ny };
}

/**
 * Box statistics for the nodes in `nodes` (global node indices). Every node's box (clipped to the
 * image) must lie inside the plane. `mask` (on this plane's lattice at geom.stride) may be omitted;
 * `previous` (the grid the mask was made from) centres each box's histogram (no subsample median).
 */
export function computeNodes(
  plane: ImagePlane,
  frame: PlaneFrame,
  geom: GridGeometry,
  nodes: Rect,
  opts: Pick<FinderOptions, 'bkgClipSigma' | 'rmsEstimator'>,
  mask?: LatticeMask,
  previous?: BackgroundGrid,
): BackgroundGrid {
  const nx = nodes.width;
  const ny = nodes.height;
  const bkg = new Float32Array(nx * ny).fill(NaN);
  const rms = new Float32Array(nx * ny).fill(NaN);
  // the loop is a function of its own: V8 compiles it on stack while it runs, and code after a loop
  // in the same function (this literal) had never run then (each pass deoptimised it again)
  nodeStatsInto(bkg, rms, plane, frame, geom, nodes, opts, mask, previous);
  return { box: geom.box, step: geom.step, stride: geom.stride, i0: nodes.x0, j0: nodes.y0, nx, ny, bkg, rms };
}

function nodeStatsInto(
  bkg: Float32Array,
  rms: Float32Array,
  plane: ImagePlane,
  frame: PlaneFrame,
  geom: GridGeometry,
  nodes: Rect,
  opts: Pick<FinderOptions, 'bkgClipSigma' | 'rmsEstimator'>,
  mask: LatticeMask | undefined,
  previous: BackgroundGrid | undefined,
): void {
  const { width: w, data } = plane;
  const nx = nodes.width;
  const ny = nodes.height;
  const stride = geom.stride;
  if (mask && mask.stride !== stride) throw new Error(`background: mask lattice stride ${mask.stride} ≠ sampling stride ${stride}`);
  const values = new Float32Array(Math.ceil(geom.box / stride + 1) ** 2);
  const scratch = new Float32Array(values.length);
  // everything the loops read in locals of fixed types: this runs once per node block and pass on
  // each worker, and property loads on objects of varying shape (a grid, a mask or none) made V8
  // deoptimise and recompile it on every pass
  const { originX, originY, imageWidth, imageHeight } = frame;
  const clip = opts.bkgClipSigma;
  const estimator = opts.rmsEstimator;
  const bits = mask ? mask.bits : null;
  const mx0 = mask ? mask.x0 : 0, my0 = mask ? mask.y0 : 0, mnx = mask ? mask.nx : 0;
  const prevBkg = previous ? previous.bkg : null, prevRms = previous ? previous.rms : null;
  const pi0 = previous ? previous.i0 : 0, pj0 = previous ? previous.j0 : 0, pnx = previous ? previous.nx : 0;
  const { x0: nodeX0, y0: nodeY0 } = nodes;
  // one flat loop over the nodes: a nested loop's outer increment had not run yet when V8 compiled
  // the inner loop on stack (a deoptimisation per pass)
  for (let k = 0; k < nx * ny; k++) {
    const j = Math.floor(k / nx);
    const i = k - j * nx;
    const b = nodeBox(nodeX0 + i, nodeY0 + j, geom, imageWidth, imageHeight);
    // sample on a global stride so every tile picks the same pixels
    const xs = b.xa + ((stride - (b.xa % stride)) % stride);
    const ys = b.ya + ((stride - (b.ya % stride)) % stride);
    let n = 0;
    for (let y = ys; y <= b.yb; y += stride) {
      const row = (y - originY) * w - originX;
      if (bits !== null) {
        // lattice index of (xs, y): both lie on the lattice
        let m = ((y - originY - my0) / stride) * mnx + (xs - originX - mx0) / stride;
        for (let x = xs; x <= b.xb; x += stride, m++) {
          const v = data[row + x];
          if (v === v && bits[m] === 0) values[n++] = v;
        }
      } else {
        for (let x = xs; x <= b.xb; x += stride) {
          const v = data[row + x];
          if (v === v) values[n++] = v;
        }
      }
    }
    if (n < MIN_BOX_SAMPLES) continue;
    let roughLocation = NaN;
    let roughScale = NaN;
    if (prevBkg !== null && prevRms !== null) {
      const kp = (nodeY0 + j - pj0) * pnx + (nodeX0 + i - pi0);
      roughLocation = prevBkg[kp];
      roughScale = prevRms[kp];
    }
    const s = histogramStats(values, n, scratch, clip, estimator, 10, roughLocation, roughScale);
    bkg[k] = s.location;
    rms[k] = s.scale;
  }
}

/** Copies a block of nodes into a larger grid (both in global node indices). */
export function mergeNodes(into: BackgroundGrid, part: BackgroundGrid): void {
  for (let j = 0; j < part.ny; j++) {
    for (let i = 0; i < part.nx; i++) {
      const k = (part.j0 + j - into.j0) * into.nx + (part.i0 + i - into.i0);
      into.bkg[k] = part.bkg[j * part.nx + i];
      into.rms[k] = part.rms[j * part.nx + i];
    }
  }
}

/** Nodes without enough pixels take the mean of valid neighbours, spreading outwards (whole grid only). */
export function fillMissingNodes(grid: BackgroundGrid): void {
  const { bkg, rms, nx, ny } = grid;
  for (let pass = 0; pass < nx + ny; pass++) {
    const missing: number[] = [];
    for (let k = 0; k < nx * ny; k++) if (Number.isNaN(bkg[k])) missing.push(k);
    if (missing.length === 0 || missing.length === nx * ny) return;
    const fills: [number, number, number][] = [];
    for (const k of missing) {
      const i = k % nx;
      const j = (k - i) / nx;
      let sb = 0;
      let sr = 0;
      let c = 0;
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          const jj = j + dj;
          if (ii < 0 || jj < 0 || ii >= nx || jj >= ny) continue;
          const q = jj * nx + ii;
          if (Number.isNaN(bkg[q])) continue;
          sb += bkg[q];
          sr += rms[q];
          c++;
        }
      }
      if (c > 0) fills.push([k, sb / c, sr / c]);
    }
    for (const [k, b, r] of fills) {
      bkg[k] = b;
      rms[k] = r;
    }
  }
}

/**
 * Median filter of the node values over a size × size neighbourhood (size odd; 1 = none), like
 * SExtractor's BACK_FILTERSIZE: suppresses the statistical scatter of single boxes (with
 * beam-correlated noise a box holds only a few hundred independent samples), which would otherwise
 * lower the local threshold here and there and let noise peaks through. Applied to the whole grid.
 */
export function filterGrid(grid: BackgroundGrid, size: number): void {
  const h = Math.floor(size / 2);
  if (h < 1) return;
  const { nx, ny } = grid;
  const buf = new Float64Array((2 * h + 1) ** 2);
  for (const arr of [grid.bkg, grid.rms]) {
    const src = Float32Array.from(arr);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        let n = 0;
        for (let dj = -h; dj <= h; dj++) {
          const jj = j + dj;
          if (jj < 0 || jj >= ny) continue;
          for (let di = -h; di <= h; di++) {
            const ii = i + di;
            if (ii < 0 || ii >= nx) continue;
            const v = src[jj * nx + ii];
            if (v === v) buf[n++] = v;
          }
        }
        if (n > 0) arr[j * nx + i] = median(buf, n);
      }
    }
  }
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
