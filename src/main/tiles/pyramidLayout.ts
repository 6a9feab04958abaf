/**
 * Geometry of a tile pyramid in DISPLAY orientation (see TileAddress in contract/resources.ts):
 * level k is ceil(W/2^k) × ceil(H/2^k); display row r of level k covers Pixel0 rows
 * y = H-1-(r·2^k+i). Levels ≥ 1 are stored in the cache file band by band (a band = one row of
 * tiles), level 1 first, band 0 (top) first, tiles of a band left to right, each tile row-major.
 * Every band except the last of a level is full height, so offsets are computed, never stored.
 */
export const TILE_SIZE = 256;

export interface LevelGeometry {
  level: number;
  width: number;
  height: number;
  tilesX: number;
  tilesY: number;
  /** Byte offset of the level's first band in the cache file (levels ≥ 1; 0 for level 0). */
  offset: number;
}

export interface PyramidLayout {
  width: number;
  height: number;
  tileSize: number;
  levels: LevelGeometry[];
  /** Bytes of tile data in the cache file (levels ≥ 1). */
  dataBytes: number;
}

/** Number of levels: down to the first level whose picture fits in one tile. */
export function levelCount(width: number, height: number, tileSize = TILE_SIZE): number {
  let n = 1;
  while (Math.ceil(Math.max(width, height) / 2 ** (n - 1)) > tileSize) n++;
  return n;
}

export function pyramidLayout(width: number, height: number, tileSize = TILE_SIZE): PyramidLayout {
  const levels: LevelGeometry[] = [];
  let offset = 0;
  const n = levelCount(width, height, tileSize);
  for (let k = 0; k < n; k++) {
    const w = Math.ceil(width / 2 ** k);
    const h = Math.ceil(height / 2 ** k);
    levels.push({ level: k, width: w, height: h, tilesX: Math.ceil(w / tileSize), tilesY: Math.ceil(h / tileSize), offset: k === 0 ? 0 : offset });
    if (k > 0) offset += w * h * 4;
  }
  return { width, height, tileSize, levels, dataBytes: offset };
}

export interface TileRect {
  /** Display-orientation rectangle of the tile inside its level. */
  x0: number;
  row0: number;
  width: number;
  height: number;
}

/** The tile's rectangle, or null when (level, tx, ty) is outside the pyramid. */
export function tileRect(layout: PyramidLayout, level: number, tx: number, ty: number): TileRect | null {
  const g = layout.levels[level];
  if (!g || !Number.isInteger(tx) || !Number.isInteger(ty) || tx < 0 || ty < 0 || tx >= g.tilesX || ty >= g.tilesY) return null;
  const s = layout.tileSize;
  return { x0: tx * s, row0: ty * s, width: Math.min(s, g.width - tx * s), height: Math.min(s, g.height - ty * s) };
}

/** Byte offset of band ty of a level ≥ 1 in the cache file. */
export function bandOffset(layout: PyramidLayout, level: number, ty: number): number {
  const g = layout.levels[level]!;
  return g.offset + ty * layout.tileSize * g.width * 4;
}

/** Byte offset of tile (tx, ty) of a level ≥ 1 in the cache file. */
export function tileOffset(layout: PyramidLayout, level: number, tx: number, ty: number): number {
  const g = layout.levels[level]!;
  const bandHeight = Math.min(layout.tileSize, g.height - ty * layout.tileSize);
  return bandOffset(layout, level, ty) + tx * layout.tileSize * bandHeight * 4;
}
