import { describe, expect, it } from 'vitest';
import { findIslandPeaks, orderByDecreasing, type IslandPeak } from './deblend';
import { labelIslands, significanceAt, type IslandLabels } from './labelIslands';
import { makeRng } from './synthetic';
import { randomField } from './testFields';
import type { BackgroundMaps, ImagePlane } from './types';

/** The first implementation (persistence on every island, Array sort): the reference for the fast paths. */
function referencePeaks(plane: ImagePlane, maps: BackgroundMaps, found: IslandLabels, id: number, dropSigma: number, minSepPx: number): IslandPeak[] {
  const w = plane.width;
  const start = found.offsets[id - 1];
  const n = found.offsets[id] - start;
  const pix = found.pixels.subarray(start, start + n);
  const sig = Array.from(pix, (p) => significanceAt(plane, maps, p));
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => sig[b] - sig[a]);
  const local = new Map<number, number>();
  pix.forEach((p, k) => local.set(p, k));
  const parent = new Int32Array(n).fill(-1);
  const peakOf = new Int32Array(n);
  const prominence = new Float64Array(n).fill(Infinity);
  const isPeak = new Uint8Array(n);
  const find = (k: number): number => (parent[k] === k ? k : find(parent[k]));
  for (const k of order) {
    parent[k] = k;
    peakOf[k] = k;
    const x = pix[k] % w;
    const y = (pix[k] - x) / w;
    isPeak[k] = 1;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if ((dx === 0 && dy === 0) || xx < 0 || xx >= w) continue;
        const q = local.get((y + dy) * w + xx);
        if (q === undefined || parent[q] === -1) continue;
        const ra = find(k);
        const rb = find(q);
        isPeak[k] = 0;
        if (ra === rb) continue;
        const [hi, lo] = sig[peakOf[ra]] >= sig[peakOf[rb]] ? [peakOf[ra], peakOf[rb]] : [peakOf[rb], peakOf[ra]];
        if (lo !== k) prominence[lo] = sig[lo] - sig[k];
        parent[rb] = ra;
        peakOf[ra] = hi;
      }
    }
  }
  const candidates: IslandPeak[] = [];
  for (let k = 0; k < n; k++) if (isPeak[k]) candidates.push({ x: pix[k] % w, y: Math.floor(pix[k] / w), snr: sig[k], prominence: prominence[k] });
  candidates.sort((a, b) => b.snr - a.snr);
  const kept: IslandPeak[] = [];
  for (const c of candidates) {
    if (kept.length > 0 && c.prominence < dropSigma) continue;
    if (kept.some((k) => Math.hypot(k.x - c.x, k.y - c.y) < minSepPx)) continue;
    kept.push(c);
  }
  return kept;
}

describe('findIslandPeaks', () => {
  const cases = [
    { name: 'smooth field', field: { width: 160, height: 120, seed: 11 } },
    { name: 'quantized: equal neighbours (ties) everywhere', field: { width: 140, height: 100, seed: 12, quantum: 0.25 } },
    { name: 'coarsely quantized, with NaN holes', field: { width: 120, height: 120, seed: 13, quantum: 1, nanFraction: 0.01 } },
  ];
  for (const c of cases) {
    it(`gives the peaks and prominences of the persistence pass on every island: ${c.name}`, () => {
      const { plane, maps } = randomField(c.field);
      const found = labelIslands(plane, maps, 4, 2, 3);
      expect(found.count).toBeGreaterThan(10);
      let single = 0;
      let several = 0;
      for (const [drop, sep] of [[0.5, 1], [3, 2.5]]) {
        for (let id = 1; id <= found.count; id++) {
          const want = referencePeaks(plane, maps, found, id, drop, sep);
          expect(findIslandPeaks(plane, maps, found, id, drop, sep)).toEqual(want);
          if (want.length === 1) single++;
          else several++;
        }
      }
      // both paths are exercised
      expect(single).toBeGreaterThan(10);
      expect(several).toBeGreaterThan(3);
    });
  }

  it('reports global pixels when the plane is a tile (origin)', () => {
    const { plane, maps } = randomField({ width: 80, height: 80, seed: 14 });
    const found = labelIslands(plane, maps, 4, 2, 3);
    for (let id = 1; id <= found.count; id++) {
      const local = findIslandPeaks(plane, maps, found, id, 3, 2);
      expect(findIslandPeaks(plane, maps, found, id, 3, 2, 1000, 2000)).toEqual(local.map((p) => ({ ...p, x: p.x + 1000, y: p.y + 2000 })));
    }
  });
});

describe('orderByDecreasing', () => {
  it('is a stable sort by decreasing value (equal values in index order)', () => {
    const rng = makeRng(5);
    for (const n of [0, 1, 2, 3, 7, 64, 1000, 1031]) {
      const v = Float64Array.from({ length: n }, () => Math.round(rng() * 20) / 4);
      const want = Array.from({ length: n }, (_, k) => k).sort((a, b) => v[b] - v[a]);
      expect(Array.from(orderByDecreasing(v))).toEqual(want);
    }
  });
});
