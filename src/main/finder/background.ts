/**
 * Background and noise maps: robust statistics (sigma-clipped median; rms from MAD or biweight) in
 * boxes centred on a regular grid, interpolated bilinearly.
 *
 * Crowded fields: when a large fraction of the pixels sit in the wings of sources, even clipped
 * statistics are biased high (the wings are below the clip level). `estimateBackground` therefore
 * re-estimates with the detected islands masked and dilated (options.bkgMaskIterations passes).
 *
 * Tiling: grid nodes sit at GLOBAL multiples of the grid step (pass the plane's global origin), and
 * boxes are clipped only at the plane border, so a tile with a margin of ≥ box/2 + step gives the
 * same maps in its core as the whole image would.
 */
import { dilateMask, labelIslands } from './labelIslands';
import { histogramStats } from './robustStats';
import type { BackgroundMaps, BeamPx, FinderOptions, ImagePlane } from './types';
import { beamFwhmPx } from './types';

/** Cap on samples per box: boxes are subsampled on a global stride above this (keeps the cost linear). */
const MAX_BOX_SAMPLES = 16384;
/** Masked passes stop once the grid rms moves by less than this fraction (mean over nodes). */
const MASK_CONVERGED = 0.005;
/** A box needs this many usable pixels, else its node is filled from its neighbours. */
const MIN_BOX_SAMPLES = 30;

export interface GridGeometry {
  /** Box side and node step in pixels. */
  box: number;
  step: number;
  /** Global Pixel0 of the plane's pixel (0,0). */
  originX: number;
  originY: number;
}

export interface BackgroundGrid extends GridGeometry {
  nx: number;
  ny: number;
  /** Plane x/y of node (0,0) (≤ 0); node (i,j) sits at (firstX + i·step, firstY + j·step). */
  firstX: number;
  firstY: number;
  bkg: Float32Array;
  rms: Float32Array;
}

export function gridGeometry(beam: BeamPx, opts: FinderOptions, originX = 0, originY = 0): GridGeometry {
  const fwhm = beamFwhmPx(beam);
  const box = Math.max(16, Math.round(opts.bkgBoxBeams * fwhm));
  const step = Math.max(4, Math.round(opts.bkgGridBeams * fwhm));
  return { box, step, originX, originY };
}

/** Box statistics at every grid node; `mask` (1 = exclude) may be omitted. */
export function computeBackgroundGrid(
  plane: ImagePlane,
  geom: GridGeometry,
  opts: Pick<FinderOptions, 'bkgClipSigma' | 'rmsEstimator'>,
  mask?: Uint8Array,
): BackgroundGrid {
  const { width: w, height: h, data } = plane;
  const { box, step, originX, originY } = geom;
  const firstX = Math.floor(originX / step) * step - originX;
  const firstY = Math.floor(originY / step) * step - originY;
  const nx = Math.floor((w - 1 - firstX) / step) + 2;
  const ny = Math.floor((h - 1 - firstY) / step) + 2;
  const bkg = new Float32Array(nx * ny).fill(NaN);
  const rms = new Float32Array(nx * ny).fill(NaN);
  const half = box / 2;
  const stride = Math.max(1, Math.ceil(Math.sqrt((box * box) / MAX_BOX_SAMPLES)));
  const values = new Float32Array(Math.ceil(box / stride + 1) ** 2);
  const scratch = new Float32Array(values.length);
  for (let j = 0; j < ny; j++) {
    const yc = firstY + j * step;
    const ya = Math.max(0, Math.ceil(yc - half));
    const yb = Math.min(h - 1, Math.floor(yc + half));
    const ys = alignUp(ya, originY, stride);
    for (let i = 0; i < nx; i++) {
      const xc = firstX + i * step;
      const xa = Math.max(0, Math.ceil(xc - half));
      const xb = Math.min(w - 1, Math.floor(xc + half));
      const xs = alignUp(xa, originX, stride);
      let n = 0;
      for (let y = ys; y <= yb; y += stride) {
        const row = y * w;
        for (let x = xs; x <= xb; x += stride) {
          const p = row + x;
          const v = data[p];
          if (v === v && (mask === undefined || mask[p] === 0)) values[n++] = v;
        }
      }
      if (n < MIN_BOX_SAMPLES) continue;
      const s = histogramStats(values, n, scratch, opts.bkgClipSigma, opts.rmsEstimator);
      bkg[j * nx + i] = s.location;
      rms[j * nx + i] = s.scale;
    }
  }
  fillMissingNodes(bkg, rms, nx, ny);
  return { ...geom, nx, ny, firstX, firstY, bkg, rms };
}

/** First x ≥ a whose global coordinate is a multiple of the stride (tile-independent sampling). */
function alignUp(a: number, origin: number, stride: number): number {
  const g = a + origin;
  return a + ((stride - (g % stride)) % stride);
}

/** Nodes without enough pixels take the mean of valid neighbours, spreading outwards. */
function fillMissingNodes(bkg: Float32Array, rms: Float32Array, nx: number, ny: number): void {
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

/** Bilinear interpolation of the grid onto every pixel of a width × height plane. */
export function interpolateGrid(grid: BackgroundGrid, width: number, height: number): BackgroundMaps {
  const bkg = new Float32Array(width * height);
  const rms = new Float32Array(width * height);
  const { nx, ny, step, firstX, firstY } = grid;
  const ix = new Int32Array(width);
  const fx = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const t = (x - firstX) / step;
    const i = Math.min(nx - 2, Math.max(0, Math.floor(t)));
    ix[x] = i;
    fx[x] = Math.min(1, Math.max(0, t - i));
  }
  for (let y = 0; y < height; y++) {
    const t = (y - firstY) / step;
    const j = Math.min(ny - 2, Math.max(0, Math.floor(t)));
    const fy = Math.min(1, Math.max(0, t - j));
    const r0 = j * nx;
    const r1 = r0 + nx;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = ix[x];
      const f = fx[x];
      const g = 1 - f;
      const b0 = grid.bkg[r0 + i] * g + grid.bkg[r0 + i + 1] * f;
      const b1 = grid.bkg[r1 + i] * g + grid.bkg[r1 + i + 1] * f;
      bkg[row + x] = b0 * (1 - fy) + b1 * fy;
      const s0 = grid.rms[r0 + i] * g + grid.rms[r0 + i + 1] * f;
      const s1 = grid.rms[r1 + i] * g + grid.rms[r1 + i + 1] * f;
      rms[row + x] = s0 * (1 - fy) + s1 * fy;
    }
  }
  return { bkg, rms };
}

export interface BackgroundEstimate extends BackgroundMaps {
  grid: BackgroundGrid;
  /** Fraction of the plane excluded in the last masked pass (0 without masking). */
  maskedFraction: number;
  /** Box-statistics passes done (1 = naive only). */
  passes: number;
}

/**
 * Background and rms maps for a plane. Pass 0 uses every finite pixel; each masked pass detects
 * islands with the current maps (seeded at seedSigma, grown to bkgMaskSigma), dilates them by
 * bkgMaskGrowBeams and recomputes the box statistics without them.
 */
export function estimateBackground(
  plane: ImagePlane,
  beam: BeamPx,
  opts: FinderOptions,
  originX = 0,
  originY = 0,
): BackgroundEstimate {
  const geom = gridGeometry(beam, opts, originX, originY);
  let grid = computeBackgroundGrid(plane, geom, opts);
  let maps = interpolateGrid(grid, plane.width, plane.height);
  let maskedFraction = 0;
  let passes = 1;
  const growPx = opts.bkgMaskGrowBeams * beamFwhmPx(beam);
  for (let pass = 0; pass < opts.bkgMaskIterations; pass++) {
    const found = labelIslands(plane, maps, opts.seedSigma, opts.bkgMaskSigma, 1);
    if (found.count === 0) break;
    const mask = new Uint8Array(plane.width * plane.height);
    for (let k = 0; k < found.pixels.length; k++) mask[found.pixels[k]] = 1;
    dilateMask(mask, plane.width, plane.height, growPx);
    let m = 0;
    for (let k = 0; k < mask.length; k++) m += mask[k];
    maskedFraction = m / mask.length;
    const next = computeBackgroundGrid(plane, geom, opts, mask);
    passes++;
    const change = meanRelativeChange(grid.rms, next.rms);
    grid = next;
    maps = interpolateGrid(grid, plane.width, plane.height);
    // the mask has settled: another pass would find the same islands
    if (change < MASK_CONVERGED) break;
  }
  return { ...maps, grid, maskedFraction, passes };
}

/** Mean relative change between two rms grids (edge nodes with few pixels make a maximum too noisy). */
function meanRelativeChange(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(b[k] - a[k]) / Math.abs(a[k]);
    if (Number.isFinite(d)) {
      sum += d;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}
