/**
 * Island labelling: 8-connected flood fill from seed pixels (significance > seedSigma) over pixels
 * with significance > floodSigma. NaN pixels and pixels with a non-positive or non-finite rms are
 * never part of an island.
 */
import type { BackgroundMaps, ImagePlane } from './types';

export interface IslandLabels {
  /** Per pixel: island id (1-based) or 0. */
  labels: Int32Array;
  /** Number of islands. */
  count: number;
  /** Pixel indices (y·width + x) of island id k are pixels[offsets[k-1] .. offsets[k]). */
  offsets: Int32Array;
  pixels: Int32Array;
  /** True when the plane has no NaN pixel (measureIsland then skips its NaN-neighbour test). */
  nanFree?: boolean;
  /** Island k's plane-pixel bounding box at [4(k−1) …]: xMin, xMax, yMin, yMax. */
  boxes: Int32Array;
}

/** Significance of pixel i, or NaN where it is undefined (blank pixel, zero/NaN rms). */
export function significanceAt(plane: ImagePlane, maps: BackgroundMaps, i: number): number {
  const r = maps.rms[i];
  if (!(r > 0) || !Number.isFinite(r)) return NaN;
  return (plane.data[i] - maps.bkg[i]) / r;
}

export function labelIslands(
  plane: ImagePlane,
  maps: BackgroundMaps,
  seedSigma: number,
  floodSigma: number,
  minPixels: number,
  /** Where to write the labels (n zeros), else a new array. */
  labelsInto?: Int32Array,
): IslandLabels {
  const { width: w, height: h, data } = plane;
  const { bkg, rms } = maps;
  const n = w * h;
  const labels = labelsInto ?? new Int32Array(n);
  // pixels found below the flood level, and those of islands under minPixels, are marked with this
  // so no other island pixel or seed tests them again; `marked` lists them for the reset at the end
  const MARKED = -1;
  let marked: Int32Array = new Int32Array(1024);
  let nMarked = 0;
  let pixels: Int32Array = new Int32Array(1024);
  let used = 0;
  const offsets: number[] = [0];
  let stack: Int32Array = new Int32Array(1024);
  let boxes: Int32Array = new Int32Array(1024);
  let id = 0;
  const near = new Int32Array(8);
  let sawNaN = false;
  const offsets8 = Int32Array.of(-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1);
  for (let start = 0; start < n; start++) {
    // the data test first: it fails for almost every pixel (NaN data, NaN or zero rms fail below)
    const r0 = rms[start];
    const d0 = data[start] - bkg[start];
    if (!(d0 > seedSigma * r0)) {
      if (d0 !== d0) sawNaN = true; // NaN data (or background): recorded for `nanFree`
      continue;
    }
    if (labels[start] !== 0) continue;
    // written so that NaN data, NaN/zero rms all answer false
    if (!(r0 > 0 && r0 < Infinity && d0 > floodSigma * r0)) continue;
    const label = id + 1;
    const first = used;
    let bx0 = w, bx1 = -1, by0 = h, by1 = -1;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    while (sp > 0) {
      const p = stack[--sp];
      if (used === pixels.length) pixels = grow(pixels);
      pixels[used++] = p;
      const px = p % w;
      const py = (p - px) / w;
      if (px < bx0) bx0 = px;
      if (px > bx1) bx1 = px;
      if (py < by0) by0 = py;
      if (py > by1) by1 = py;
      // the neighbour order (rows −1…1, columns −1…1) fixes the pixel order of the island
      const interior = px > 0 && px < w - 1 && py > 0 && py < h - 1;
      let nq = 0;
      if (interior) {
        for (let m = 0; m < 8; m++) near[m] = p + offsets8[m];
        nq = 8;
      } else {
        for (let dy = -1; dy <= 1; dy++) {
          const qy = py + dy;
          if (qy < 0 || qy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const qx = px + dx;
            if ((dx === 0 && dy === 0) || qx < 0 || qx >= w) continue;
            near[nq++] = qy * w + qx;
          }
        }
      }
      for (let m = 0; m < nq; m++) {
        const q = near[m];
        if (labels[q] !== 0) continue;
        const r = rms[q];
        if (r > 0 && r < Infinity && data[q] - bkg[q] > floodSigma * r) {
          labels[q] = label;
          if (sp === stack.length) stack = grow(stack);
          stack[sp++] = q;
        } else {
          labels[q] = MARKED;
          if (nMarked === marked.length) marked = grow(marked);
          marked[nMarked++] = q;
        }
      }
    }
    if (used - first < minPixels) {
      for (let k = first; k < used; k++) {
        labels[pixels[k]] = MARKED;
        if (nMarked === marked.length) marked = grow(marked);
        marked[nMarked++] = pixels[k];
      }
      used = first;
      continue;
    }
    id = label;
    offsets.push(used);
    if (4 * id > boxes.length) boxes = grow(boxes);
    boxes[4 * id - 4] = bx0;
    boxes[4 * id - 3] = bx1;
    boxes[4 * id - 2] = by0;
    boxes[4 * id - 1] = by1;
  }
  for (let k = 0; k < nMarked; k++) labels[marked[k]] = 0;
  return { labels, count: id, offsets: Int32Array.from(offsets), pixels: pixels.slice(0, used), boxes: boxes.slice(0, 4 * id), nanFree: !sawNaN };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** In-place square dilation of a 0/1 mask by `radius` pixels (separable running max, row-major passes). */
export function dilateMask(mask: Uint8Array, width: number, height: number, radius: number): void {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return;
  // two functions, one loop each: V8 compiles a long loop while it runs, and code after it in the
  // same function had never run then (a deoptimisation per call)
  dilateRows(mask, width, height, r);
  dilateColumns(mask, width, height, r);
}

const NONE = -(1 << 30);

/** A pixel is set if a set pixel lies within r along its row. */
function dilateRows(mask: Uint8Array, width: number, height: number, r: number): void {
  const tmp = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = NONE; // x of the last set pixel seen
    for (let x = 0; x < width + r; x++) {
      if (x < width && mask[row + x]) last = x;
      const out = x - r;
      if (out >= 0) tmp[out] = x - last <= 2 * r ? 1 : 0;
    }
    mask.set(tmp, row);
  }
}

/**
 * The same along columns, walked row by row (cache friendly): lastY[x] is the last row with column x
 * set; row y is read before row y − r is written, and rows are read only once.
 */
function dilateColumns(mask: Uint8Array, width: number, height: number, r: number): void {
  const lastY = new Int32Array(width).fill(NONE);
  for (let y = 0; y < height + r; y++) {
    if (y < height) {
      const row = y * width;
      for (let x = 0; x < width; x++) if (mask[row + x]) lastY[x] = y;
    }
    const out = y - r;
    if (out < 0) continue;
    const orow = out * width;
    for (let x = 0; x < width; x++) mask[orow + x] = y - lastY[x] <= 2 * r ? 1 : 0;
  }
}
