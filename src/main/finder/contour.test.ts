import { describe, expect, it } from 'vitest';
import type { PlaneFrame } from './background';
import { islandContour, polygonArea } from './contour';
import { labelIslands, significanceAt } from './labelIslands';
import { randomField } from './testFields';
import type { BackgroundMaps, BBox, ImagePlane } from './types';

/** The first implementation (Map of edge links, Set of walked edges, fresh arrays per island): the reference. */
function referenceContour(plane: ImagePlane, maps: BackgroundMaps, labels: Int32Array, id: number, bbox: BBox, level: number, frame: PlaneFrame): number[] {
  const w = plane.width;
  const gx0 = bbox.xMin - 1 - frame.originX;
  const gy0 = bbox.yMin - 1 - frame.originY;
  const gw = bbox.xMax - bbox.xMin + 3;
  const gh = bbox.yMax - bbox.yMin + 3;
  const val = new Float64Array(gw * gh);
  const inside = new Uint8Array(gw * gh);
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      const x = gx0 + i;
      const y = gy0 + j;
      const k = j * gw + i;
      if (x < 0 || y < 0 || x >= w || y >= plane.height) {
        val[k] = level - 1;
        continue;
      }
      const s = significanceAt(plane, maps, y * w + x);
      if (labels[y * w + x] === id) {
        inside[k] = 1;
        val[k] = Math.max(s, level + 1e-6);
      } else val[k] = Number.isFinite(s) ? Math.min(s, level - 1e-3) : level - 1;
    }
  }
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
      const code = inside[a] | (inside[b] << 1) | (inside[d + 1] << 2) | (inside[d] << 3);
      const [top, right, bottom, left] = [2 * a, 2 * b + 1, 2 * d, 2 * a + 1];
      if (code === 1 || code === 14) link(left, top);
      else if (code === 2 || code === 13) link(top, right);
      else if (code === 3 || code === 12) link(left, right);
      else if (code === 4 || code === 11) link(right, bottom);
      else if (code === 6 || code === 9) link(top, bottom);
      else if (code === 7 || code === 8) link(left, bottom);
      else if (code === 5) (link(top, right), link(bottom, left));
      else if (code === 10) (link(left, top), link(right, bottom));
    }
  }
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
      const k = cur >> 1;
      const i = k % gw;
      const j = (k - i) / gw;
      const t = (val[k] - level) / (val[k] - val[cur & 1 ? k + gw : k + 1]);
      const x = bbox.xMin - 1 + i;
      const y = bbox.yMin - 1 + j;
      const [px, py] = cur & 1 ? [x, y + t] : [x + t, y];
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

function bboxOf(pixels: Int32Array, w: number, ox: number, oy: number): BBox {
  const b = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
  for (const p of pixels) {
    const x = (p % w) + ox;
    const y = Math.floor(p / w) + oy;
    b.xMin = Math.min(b.xMin, x);
    b.xMax = Math.max(b.xMax, x);
    b.yMin = Math.min(b.yMin, y);
    b.yMax = Math.max(b.yMax, y);
  }
  return b;
}

describe('islandContour', () => {
  const cases = [
    { name: 'smooth field, islands touching the plane edges', field: { width: 150, height: 120, seed: 21 }, origin: [0, 0] },
    { name: 'ragged islands (coarse quantization: saddle cells, holes) and NaN', field: { width: 130, height: 110, seed: 22, quantum: 1, nanFraction: 0.02 }, origin: [0, 0] },
    { name: 'a tile of a larger image (origin)', field: { width: 100, height: 90, seed: 23 }, origin: [512, 1024] },
  ];
  for (const c of cases) {
    it(`gives the outline of the Map/Set walk on every island: ${c.name}`, () => {
      const { plane, maps } = randomField(c.field);
      const [ox, oy] = c.origin;
      const frame = { originX: ox, originY: oy, imageWidth: 4096, imageHeight: 4096 };
      const found = labelIslands(plane, maps, 3.5, 1.5, 1);
      expect(found.count).toBeGreaterThan(10);
      let maxVertices = 0;
      for (let id = 1; id <= found.count; id++) {
        const bbox = bboxOf(found.pixels.subarray(found.offsets[id - 1], found.offsets[id]), plane.width, ox, oy);
        const want = referenceContour(plane, maps, found.labels, id, bbox, 1.5, frame);
        expect(islandContour(plane, maps, found.labels, id, bbox, 1.5, frame)).toEqual(want);
        maxVertices = Math.max(maxVertices, want.length / 2);
      }
      // large islands too (the scratch buffers grow)
      expect(maxVertices).toBeGreaterThan(40);
    });
  }

  it('outlines an island whose grid is over the kept scratch size, and small ones after it', () => {
    const w = 1040;
    const plane = { width: w, height: w, data: new Float32Array(w * w) };
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) plane.data[y * w + x] = Math.hypot(x - 519.5, y - 519.3) < 516 ? 10 : (x + y) % 97 === 0 ? 8 : 0;
    const maps = { bkg: new Float32Array(w * w), rms: new Float32Array(w * w).fill(1) };
    const found = labelIslands(plane, maps, 5, 2, 1);
    expect(found.count).toBeGreaterThan(2);
    const frame = { originX: 0, originY: 0, imageWidth: w, imageHeight: w };
    for (let id = 1; id <= found.count; id++) {
      const bbox = bboxOf(found.pixels.subarray(found.offsets[id - 1], found.offsets[id]), w, 0, 0);
      expect(islandContour(plane, maps, found.labels, id, bbox, 2, frame)).toEqual(referenceContour(plane, maps, found.labels, id, bbox, 2, frame));
    }
  });
});
