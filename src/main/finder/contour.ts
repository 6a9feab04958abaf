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
  const val = new Float64Array(gw * gh);
  const inside = new Uint8Array(gw * gh);
  for (let j = 0; j < gh; j++) {
    const y = gy0 + j;
    for (let i = 0; i < gw; i++) {
      const x = gx0 + i;
      const k = j * gw + i;
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
  // edge keys: horizontal edge from grid (i,j) to (i+1,j) → 2k; vertical (i,j) to (i,j+1) → 2k+1
  const links = new Map<number, number[]>();
  const link = (e1: number, e2: number): void => {
    (links.get(e1) ?? links.set(e1, []).get(e1)!).push(e2);
    (links.get(e2) ?? links.set(e2, []).get(e2)!).push(e1);
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
  const point = (e: number): [number, number] => {
    const k = e >> 1;
    const i = k % gw;
    const j = (k - i) / gw;
    const k2 = e & 1 ? k + gw : k + 1;
    const t = (val[k] - level) / (val[k] - val[k2]);
    const x = bbox.xMin - 1 + i;
    const y = bbox.yMin - 1 + j;
    return e & 1 ? [x, y + t] : [x + t, y];
  };
  let best: number[] = [];
  let bestArea = -1;
  const seen = new Set<number>();
  for (const start of links.keys()) {
    if (seen.has(start)) continue;
    const poly: number[] = [];
    let prev = -1;
    let cur = start;
    while (!seen.has(cur)) {
      seen.add(cur);
      const [px, py] = point(cur);
      // 1/1000 pixel is far below any use of an outline, and halves the catalogue's text
      poly.push(Math.round(px * 1000) / 1000, Math.round(py * 1000) / 1000);
      const next = links.get(cur)!.find((e) => e !== prev && !seen.has(e));
      if (next === undefined) break;
      prev = cur;
      cur = next;
    }
    const area = Math.abs(polygonArea(poly));
    if (area > bestArea) {
      bestArea = area;
      best = poly;
    }
  }
  return best;
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
