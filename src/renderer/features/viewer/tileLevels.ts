/**
 * OpenSeadragon level ↔ pyramid level. OSD counts levels up from a 1-pixel image (its max level is full
 * resolution); our pyramid counts down from full resolution (level k = block mean of 2^k × 2^k pixels).
 */
export function osdMaxLevel(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height, 1)));
}

export function pyramidLevelFor(osdLevel: number, maxLevel: number): number {
  return maxLevel - osdLevel;
}

/** The coarsest OSD level the pyramid can serve: OSD must never ask for a level we do not have. */
export function osdMinLevel(width: number, height: number, pyramidLevels: number): number {
  return Math.max(0, osdMaxLevel(width, height) - (pyramidLevels - 1));
}

/** Tile grid of pyramid level k in display orientation (matches OSD's getNumTiles for level maxLevel − k). */
export function tilesAtLevel(width: number, height: number, tileSize: number, k: number): { cols: number; rows: number } {
  const w = Math.ceil(width / 2 ** k);
  const h = Math.ceil(height / 2 ** k);
  return { cols: Math.ceil(w / tileSize), rows: Math.ceil(h / tileSize) };
}
