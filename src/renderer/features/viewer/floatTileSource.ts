import OpenSeadragon from 'openseadragon';
import type { ImageInfo } from '../../../shared/contract/images';
import { tilePath, type TileAddress } from '../../../shared/contract/resources';
import type { FloatTile } from '../../api/client';
import { osdMaxLevel, osdMinLevel, pyramidLevelFor } from './tileLevels';

/** OSD cache data type of a raw float tile; coloured into 'context2d' by the tile-invalidated handler. */
export const FLOAT_TILE_TYPE = 'cirasa-float32';

export interface FloatTileSourceOptions {
  info: ImageInfo;
  fetchTile(t: TileAddress, signal: AbortSignal): Promise<FloatTile>;
  /** Called once per tile request actually sent (the automation hook counts them). */
  onRequest(): void;
  /** A sampled preview arrived (pyramid not built yet); the viewer swaps in the exact data later. */
  onPreview(t: TileAddress, tile: FloatTile): void;
}

/**
 * A TileSource whose tiles are float32 arrays fetched from the contract's tile resource, kept in OSD's
 * cache as FLOAT_TILE_TYPE so recolouring re-runs the LUT without refetching.
 */
export function createFloatTileSource(options: FloatTileSourceOptions): OpenSeadragon.TileSource {
  const { info } = options;
  const maxLevel = osdMaxLevel(info.width, info.height);
  const minLevel = osdMinLevel(info.width, info.height, info.pyramid.levels);
  const address = (level: number, x: number, y: number): TileAddress => ({
    imageId: info.imageId,
    level: pyramidLevelFor(level, maxLevel),
    tx: x,
    ty: y,
  });
  const custom = {
    width: info.width,
    height: info.height,
    tileSize: info.pyramid.tileSize,
    tileOverlap: 0,
    minLevel,
    maxLevel,
    // The URL is only OSD's cache key; the download below fetches through the client.
    getTileUrl: (level: number, x: number, y: number) => tilePath(address(level, x, y)),
    hasTransparency: () => true,
    downloadTileStart(job: OpenSeadragon.ImageJob) {
      const controller = new AbortController();
      job.userData = { controller };
      const t = address(job.tile.level, job.tile.x, job.tile.y);
      options.onRequest();
      options.fetchTile(t, controller.signal).then(
        (tile) => {
          if (tile.preview) options.onPreview(t, tile);
          job.finish(tile, null, FLOAT_TILE_TYPE);
        },
        (err: unknown) => job.fail(`Tile ${tilePath(t)}: ${err instanceof Error ? err.message : String(err)}`, null),
      );
    },
    downloadTileAbort(job: OpenSeadragon.ImageJob) {
      (job.userData as { controller?: AbortController } | undefined)?.controller?.abort();
    },
  };
  return new OpenSeadragon.TileSource(custom as unknown as OpenSeadragon.TileSourceOptions);
}
