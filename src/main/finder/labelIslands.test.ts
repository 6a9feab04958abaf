import { describe, expect, it } from 'vitest';
import { labelIslands, type IslandLabels } from './labelIslands';
import { measureIsland } from './measure';
import { randomField } from './testFields';
import type { BackgroundMaps, ImagePlane } from './types';

/** The first implementation (a flood that re-tests every neighbour, a full pass to clear rejects): the reference. */
function referenceLabels(plane: ImagePlane, maps: BackgroundMaps, seedSigma: number, floodSigma: number, minPixels: number): Omit<IslandLabels, 'boxes'> {
  const { width: w, height: h, data } = plane;
  const { bkg, rms } = maps;
  const n = w * h;
  const labels = new Int32Array(n);
  const above = (i: number): boolean => {
    const r = rms[i];
    return r > 0 && r < Infinity && data[i] - bkg[i] > floodSigma * r;
  };
  const pixels: number[] = [];
  const offsets: number[] = [0];
  let id = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] !== 0) continue;
    const r0 = rms[start];
    if (!(r0 > 0 && r0 < Infinity && data[start] - bkg[start] > seedSigma * r0)) continue;
    if (!above(start)) continue;
    const label = id + 1;
    const first = pixels.length;
    const stack = [start];
    labels[start] = label;
    while (stack.length > 0) {
      const p = stack.pop()!;
      pixels.push(p);
      const px = p % w;
      const py = (p - px) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const qx = px + dx;
          const qy = py + dy;
          if ((dx === 0 && dy === 0) || qx < 0 || qx >= w || qy < 0 || qy >= h) continue;
          const q = qy * w + qx;
          if (labels[q] !== 0 || !above(q)) continue;
          labels[q] = label;
          stack.push(q);
        }
      }
    }
    if (pixels.length - first < minPixels) {
      for (let k = first; k < pixels.length; k++) labels[pixels[k]] = -1;
      pixels.length = first;
      continue;
    }
    id = label;
    offsets.push(pixels.length);
  }
  for (let i = 0; i < n; i++) if (labels[i] === -1) labels[i] = 0;
  return { labels, count: id, offsets: Int32Array.from(offsets), pixels: Int32Array.from(pixels) };
}

describe('labelIslands', () => {
  const cases = [
    { name: 'smooth field', field: { width: 150, height: 110, seed: 1 }, seed: 5, flood: 2.6, minPixels: 5 },
    { name: 'NaN data and bad rms (0, NaN, ∞, < 0)', field: { width: 120, height: 97, seed: 2, nanFraction: 0.02, badRmsFraction: 0.02 }, seed: 4, flood: 2, minPixels: 3 },
    { name: 'quantized, every island kept', field: { width: 64, height: 200, seed: 3, quantum: 0.5 }, seed: 3, flood: 1.5, minPixels: 1 },
    { name: 'seed below the flood level', field: { width: 100, height: 100, seed: 4 }, seed: 2, flood: 3, minPixels: 2 },
  ];
  for (const c of cases) {
    it(`gives the islands, pixel order and labels of the plain flood fill: ${c.name}`, () => {
      const { plane, maps } = randomField(c.field);
      const got = labelIslands(plane, maps, c.seed, c.flood, c.minPixels);
      const want = referenceLabels(plane, maps, c.seed, c.flood, c.minPixels);
      expect(want.count).toBeGreaterThan(10);
      expect(got.count).toBe(want.count);
      expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
      expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels));
      // no marks left behind: 0 outside islands, the island's id inside
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      // each island's bounding box is the extent of its pixels
      const w = plane.width;
      for (let id = 1; id <= got.count; id++) {
        const px = Array.from(got.pixels.subarray(got.offsets[id - 1], got.offsets[id]));
        const xs = px.map((p) => p % w);
        const ys = px.map((p) => Math.floor(p / w));
        expect(Array.from(got.boxes.subarray(4 * id - 4, 4 * id))).toEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]);
      }
    });
  }

  it('says whether the plane has NaN pixels; the NaN-adjacent flag is the same as without that hint', () => {
    const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };
    const clean = randomField({ width: 90, height: 90, seed: 31 });
    expect(labelIslands(clean.plane, clean.maps, 4, 2, 1).nanFree).toBe(true);
    const holes = randomField({ width: 90, height: 90, seed: 32, nanFraction: 0.01 });
    const found = labelIslands(holes.plane, holes.maps, 4, 2, 1);
    expect(found.nanFree).toBe(false);
    const flags = (f: IslandLabels): boolean[] => Array.from({ length: f.count }, (_, k) => measureIsland(holes.plane, holes.maps, f, k + 1, beam, 2).flags.nanNearby);
    expect(flags(found)).toEqual(flags({ ...found, nanFree: undefined }));
    expect(flags(found).some(Boolean)).toBe(true);
    // a single NaN far from any island
    clean.plane.data[0] = NaN;
    expect(labelIslands(clean.plane, clean.maps, 4, 2, 1).nanFree).toBe(false);
  });

  it('drops islands under minPixels and leaves their pixels unlabelled', () => {
    const { plane, maps } = randomField({ width: 120, height: 120, seed: 9 });
    const all = labelIslands(plane, maps, 4, 2, 1);
    const big = labelIslands(plane, maps, 4, 2, 6);
    const sizes = Array.from({ length: all.count }, (_, k) => all.offsets[k + 1] - all.offsets[k]);
    expect(sizes.some((s) => s < 6)).toBe(true);
    expect(big.count).toBe(sizes.filter((s) => s >= 6).length);
    expect(big.labels.filter((l) => l !== 0).length).toBe(big.pixels.length);
  });
});
