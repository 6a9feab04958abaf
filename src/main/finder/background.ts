/**
 * Background and noise maps: robust statistics (sigma-clipped median; rms from MAD or biweight) in
 * boxes centred on a regular grid, interpolated bilinearly.
 *
 * Crowded fields: when a large fraction of the pixels sit in the wings of sources, even clipped
 * statistics are biased high (the wings are below the clip level): the masked passes (backgroundMask.ts)
 * re-estimate the nodes with bright emission excluded.
 *
 * Tiling: the grid is GLOBAL. Node (I, J) sits at image pixel (I·step, J·step); its box is clipped
 * to the image, never to a tile. Interpolation weights (gridInterpolation.ts) come from integer arithmetic on global
 * coordinates, and the mask is a local rule (backgroundMask.ts). So any tile whose plane holds a node's box (plus the
 * mask reach, `maskMarginPx`) computes that node bit-for-bit as the whole image would, and any tile
 * interpolates the same values as the whole image.
 */
import { histogramStats, median } from './robustStats';
import type { BeamPx, FinderOptions, ImagePlane, Rect } from './types';
import { beamFwhmPx } from './types';

/** Cap on samples per box: boxes are subsampled on a global stride above this (keeps the cost linear). */
const MAX_BOX_SAMPLES = 16384;
/** A box needs this many usable pixels, else its node is filled from its neighbours. */
const MIN_BOX_SAMPLES = 30;

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
