/**
 * Bilinear interpolation of a background grid (background.ts: nodes on a GLOBAL lattice of step
 * `grid.step`) onto the pixels of a plane placed by a `PlaneFrame`. Weights come from integer
 * arithmetic on global coordinates, so every tile interpolates exactly the values of the whole image.
 */
import type { BackgroundGrid, PlaneFrame } from './background';
import type { BackgroundMaps } from './types';

/** Bilinear interpolation of the (global) grid onto every pixel of a plane placed by `frame`. */
export function interpolateGrid(grid: BackgroundGrid, plane: { width: number; height: number }, frame: PlaneFrame, into?: BackgroundMaps): BackgroundMaps {
  const { width, height } = plane;
  const bkg = into ? into.bkg : new Float32Array(width * height);
  const rms = into ? into.rms : new Float32Array(width * height);
  const row = rowInterpolator(grid, width, frame);
  for (let y = 0; y < height; y++) row(y, bkg, rms, y * width);
  return { bkg, rms };
}

/**
 * Interpolates plane row y into bkgOut/rmsOut (float32) from offset `at`: the `count` pixels
 * x = xFirst + k·xStep (default: the whole row). Integer arithmetic on global coordinates: identical
 * weights in every tile.
 */
export function rowInterpolator(
  grid: BackgroundGrid,
  width: number,
  frame: PlaneFrame,
  xFirst = 0,
  xStep = 1,
): (y: number, bkgOut: Float32Array, rmsOut: Float32Array, at: number) => void {
  const { nx, ny, step, i0, j0 } = grid;
  const gb = grid.bkg;
  const gr = grid.rms;
  const count = xFirst < width ? Math.floor((width - 1 - xFirst) / xStep) + 1 : 0;
  const ix = new Int32Array(count);
  const fx = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const [i, f] = cellOf(xFirst + k * xStep + frame.originX, step, i0, nx);
    ix[k] = i;
    fx[k] = f;
  }
  // runs of pixels between the same two nodes: [segFrom[s], segFrom[s + 1]) lies in cell segCell[s]
  const segFrom: number[] = [];
  const segCell: number[] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0 || ix[k] !== ix[k - 1]) {
      segFrom.push(k);
      segCell.push(ix[k]);
    }
  }
  segFrom.push(count);
  const nSeg = segCell.length;
  // the row's nodes blended along y first (nx values), then each pixel blends two of them along x
  const rb = new Float64Array(nx);
  const rr = new Float64Array(nx);
  return (y, bkgOut, rmsOut, at) => {
    const [j, fy] = cellOf(y + frame.originY, step, j0, ny);
    const r0 = j * nx;
    const r1 = r0 + nx;
    const gy = 1 - fy;
    for (let i = 0; i < nx; i++) {
      rb[i] = gb[r0 + i] * gy + gb[r1 + i] * fy;
      rr[i] = gr[r0 + i] * gy + gr[r1 + i] * fy;
    }
    for (let s = 0; s < nSeg; s++) {
      const i = segCell[s];
      const b0 = rb[i];
      const db = rb[i + 1] - b0;
      const r0 = rr[i];
      const dr = rr[i + 1] - r0;
      const end = segFrom[s + 1];
      for (let x = segFrom[s]; x < end; x++) {
        const f = fx[x];
        bkgOut[at + x] = b0 + db * f;
        rmsOut[at + x] = r0 + dr * f;
      }
    }
  };
}

/** Local cell index (left node, within the grid block) and weight of global coordinate g. */
function cellOf(g: number, step: number, first: number, n: number): [number, number] {
  const cell = Math.floor(g / step);
  const i = Math.min(n - 2, Math.max(0, cell - first));
  const f = cell - first === i ? (g - cell * step) / step : cell - first < i ? 0 : 1;
  return [i, f];
}
