/**
 * Island outline by marching squares on the significance map at the merge level, restricted to the
 * island's own pixels (neighbouring islands and NaN count as outside). Saddle cells are resolved as
 * connected, matching the islands' 8-connectivity, so one island gives one outer loop.
 */
import type { PlaneFrame } from './background';
import { significanceAt } from './labelIslands';
import type { BackgroundMaps, BBox, ImagePlane } from './types';

/**
 * Closed outer polygon [x0, y0, x1, y1, …] (Pixel0) of island `id` in `labels`, at significance
 * `level`. The first point is not repeated at the end. Empty when the island has no pixel.
 */
export function islandContour(
  plane: ImagePlane,
  maps: BackgroundMaps,
  labels: Int32Array,
  id: number,
  bbox: BBox,
  level: number,
  frame: PlaneFrame = { originX: 0, originY: 0, imageWidth: plane.width, imageHeight: plane.height },
): number[] {
  const w = plane.width;
  // padded grid covering bbox ± 1 pixel; bbox and output are global, (gx0, gy0) is plane-local
  const gx0 = bbox.xMin - 1 - frame.originX;
  const gy0 = bbox.yMin - 1 - frame.originY;
  const gw = bbox.xMax - bbox.xMin + 3;
  const gh = bbox.yMax - bbox.yMin + 3;
  const cells = gw * gh;
  const sc = scratchFor(cells);
  const { val, inside, linkA, linkB, seen, order } = sc;
  for (let j = 0; j < gh; j++) {
    const y = gy0 + j;
    for (let i = 0; i < gw; i++) {
      const x = gx0 + i;
      const k = j * gw + i;
      inside[k] = 0;
      if (x < 0 || y < 0 || x >= w || y >= plane.height) {
        val[k] = level - 1;
        continue;
      }
      const p = y * w + x;
      const s = significanceAt(plane, maps, p);
      if (labels[p] === id) {
        inside[k] = 1;
        val[k] = Math.max(s, level + 1e-6);
      } else {
        // outside pixels stay below the level even if they belong to another island
        val[k] = Number.isFinite(s) ? Math.min(s, level - 1e-3) : level - 1;
      }
    }
  }
  // edge keys: horizontal edge from grid (i,j) to (i+1,j) → 2k; vertical (i,j) to (i,j+1) → 2k+1.
  // An edge borders two cells, so it has at most two links: linkA (first made), linkB; `order`
  // lists the linked edges in the order of their first link (the walk starts from them in turn)
  let nOrder = 0;
  const link1 = (e: number, to: number): void => {
    if (linkA[e] < 0) {
      linkA[e] = to;
      order[nOrder++] = e;
    } else linkB[e] = to;
  };
  const link = (e1: number, e2: number): void => {
    link1(e1, e2);
    link1(e2, e1);
  };
  for (let j = 0; j < gh - 1; j++) {
    for (let i = 0; i < gw - 1; i++) {
      const a = j * gw + i;
      const b = a + 1;
      const d = a + gw;
      const c = d + 1;
      const code = inside[a] | (inside[b] << 1) | (inside[c] << 2) | (inside[d] << 3);
      if (code === 0 || code === 15) continue;
      const top = 2 * a;
      const right = 2 * b + 1;
      const bottom = 2 * d;
      const left = 2 * a + 1;
      switch (code) {
        case 1: case 14: link(left, top); break;
        case 2: case 13: link(top, right); break;
        case 3: case 12: link(left, right); break;
        case 4: case 11: link(right, bottom); break;
        case 6: case 9: link(top, bottom); break;
        case 7: case 8: link(left, bottom); break;
        case 5: link(top, right); link(bottom, left); break; // a, c inside and connected: cut b and d
        case 10: link(left, top); link(right, bottom); break; // b, d inside and connected: cut a and c
      }
    }
  }
  let best: number[] = [];
  let bestArea = -1;
  for (let o = 0; o < nOrder; o++) {
    const start = order[o];
    if (seen[start]) continue;
    const poly: number[] = [];
    let cur = start;
    while (!seen[cur]) {
      seen[cur] = 1;
      const k = cur >> 1;
      const i = k % gw;
      const j = (k - i) / gw;
      const k2 = cur & 1 ? k + gw : k + 1;
      const t = (val[k] - level) / (val[k] - val[k2]);
      const x = bbox.xMin - 1 + i;
      const y = bbox.yMin - 1 + j;
      const px = cur & 1 ? x : x + t;
      const py = cur & 1 ? y + t : y;
      // 1/1000 pixel is far below any use of an outline, and halves the catalogue's text
      poly.push(Math.round(px * 1000) / 1000, Math.round(py * 1000) / 1000);
      // the first link not walked yet (the one we came from is seen)
      const a = linkA[cur];
      const b = linkB[cur];
      const next = a >= 0 && !seen[a] ? a : b >= 0 && !seen[b] ? b : -1;
      if (next < 0) break;
      cur = next;
    }
    const area = Math.abs(polygonArea(poly));
    if (area > bestArea) {
      bestArea = area;
      best = poly;
    }
  }
  // leave the scratch edges unlinked and unseen for the next island
  for (let o = 0; o < nOrder; o++) {
    const e = order[o];
    linkA[e] = -1;
    linkB[e] = -1;
    seen[e] = 0;
  }
  return best;
}

interface ContourScratch {
  val: Float64Array;
  inside: Uint8Array;
  /** Per edge (2 per cell): linked edges or −1, and walked; all −1/0 between calls. */
  linkA: Int32Array;
  linkB: Int32Array;
  seen: Uint8Array;
  order: Int32Array;
}

// per thread (module instance) and reused by every island: 10⁵ islands allocated ~6 arrays each
let scratch: ContourScratch | undefined;
// ~35 bytes per cell: larger grids (big extended islands) get arrays of their own, not kept
const MAX_KEPT_CELLS = 1 << 20;

function scratchFor(cells: number): ContourScratch {
  if (scratch && scratch.val.length >= cells) return scratch;
  const size = Math.max(cells, 2 * (scratch?.val.length ?? 512));
  const fresh = {
    val: new Float64Array(size),
    inside: new Uint8Array(size),
    linkA: new Int32Array(2 * size).fill(-1),
    linkB: new Int32Array(2 * size).fill(-1),
    seen: new Uint8Array(2 * size),
    order: new Int32Array(2 * size),
  };
  if (size <= MAX_KEPT_CELLS) scratch = fresh;
  return fresh;
}

/** Signed shoelace area of a flat [x, y, …] polygon. */
export function polygonArea(poly: number[]): number {
  let s = 0;
  const n = poly.length / 2;
  for (let k = 0; k < n; k++) {
    const m = (k + 1) % n;
    s += poly[2 * k] * poly[2 * m + 1] - poly[2 * m] * poly[2 * k + 1];
  }
  return s / 2;
}
