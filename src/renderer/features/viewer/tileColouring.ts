import OpenSeadragon from 'openseadragon';
import type { FloatTile } from '../../api/client';
import { colourTile, type ColourLut } from './colourApi';
import { FLOAT_TILE_TYPE } from './floatTileSource';

/** Colour one float tile into a new 2D canvas context with the given LUT. */
export function colourToContext(tile: FloatTile, lut: ColourLut): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = tile.width;
  canvas.height = tile.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: false })!;
  const image = ctx.createImageData(tile.width, tile.height);
  colourTile(tile.data, lut, image.data);
  ctx.putImageData(image, 0, 0);
  return ctx;
}

let convertersLearned = false;

/**
 * Teach OSD's (global) type converter about float tiles: a copy (for its working caches) and a direct
 * conversion to 'context2d' used only as a fallback; the normal path is the tile-invalidated handler,
 * which leaves the float data as the tile's ORIGINAL cache so a recolour never refetches.
 * `lutOf` finds the LUT of the viewer a tile belongs to.
 */
export function learnFloatTileType(lutOf: (tile: OpenSeadragon.Tile) => ColourLut | null): void {
  if (convertersLearned) return;
  convertersLearned = true;
  OpenSeadragon.converter.learn(FLOAT_TILE_TYPE, FLOAT_TILE_TYPE, (_tile, d: FloatTile) => ({ ...d, data: d.data.slice() }), 1, 1);
  OpenSeadragon.converter.learn(
    FLOAT_TILE_TYPE,
    'context2d',
    (tile, d: FloatTile) => {
      const lut = lutOf(tile);
      if (!lut) throw new Error('No colour table for this tile');
      return colourToContext(d, lut);
    },
    1,
    2,
  );
}

interface CacheLike {
  type: string;
  getDataAs(type?: string, copy?: boolean): Promise<unknown>;
}

/** Read a tile's float data straight from its original cache (no copy: colouring only reads it). */
export async function originalFloatData(tile: OpenSeadragon.Tile): Promise<FloatTile | null> {
  const cache = tile.getCache(tile.originalCacheKey) as unknown as CacheLike | undefined;
  if (!cache || cache.type !== FLOAT_TILE_TYPE) return null;
  const data = (await cache.getDataAs(FLOAT_TILE_TYPE, false)) as FloatTile | undefined;
  return data ?? null;
}
