import { describe, expect, it } from 'vitest';
import { levelCount, pyramidLayout } from '../../../main/tiles/pyramidLayout';
import { osdMaxLevel, osdMinLevel, pyramidLevelFor, tilesAtLevel } from './tileLevels';

// OpenSeadragon's own formulas (tilesource.js getLevelScale / getNumTiles), written out: it needs a DOM to load.
const osdScale = (level: number, maxLevel: number) => 1 / 2 ** (maxLevel - level);
const osdNumTiles = (w: number, h: number, ts: number, level: number, maxLevel: number) => ({
  cols: Math.ceil((osdScale(level, maxLevel) * w) / ts),
  rows: Math.ceil((osdScale(level, maxLevel) * h) / ts),
});

describe('OSD level ↔ pyramid level', () => {
  const sizes: [number, number][] = [
    [192, 192],
    [1000, 1000],
    [2048, 2048],
    [6000, 4500],
    [32000, 17001],
  ];
  it.each(sizes)('every OSD level the viewer may request exists in the pyramid with the same tile grid (%i×%i)', (w, h) => {
    const layout = pyramidLayout(w, h, 256);
    const max = osdMaxLevel(w, h);
    const min = osdMinLevel(w, h, levelCount(w, h, 256));
    for (let level = min; level <= max; level++) {
      const k = pyramidLevelFor(level, max);
      const geometry = layout.levels[k];
      expect(geometry, `pyramid level ${k} for OSD level ${level}`).toBeDefined();
      expect({ cols: geometry!.tilesX, rows: geometry!.tilesY }).toEqual(osdNumTiles(w, h, 256, level, max));
      expect(tilesAtLevel(w, h, 256, k)).toEqual(osdNumTiles(w, h, 256, level, max));
    }
    // Full resolution is pyramid level 0, the coarsest fits one tile.
    expect(pyramidLevelFor(max, max)).toBe(0);
    expect(tilesAtLevel(w, h, 256, pyramidLevelFor(min, max))).toEqual({ cols: 1, rows: 1 });
  });
});
