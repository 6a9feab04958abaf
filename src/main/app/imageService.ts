import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { EventMap, EventName } from '../../shared/contract/events';
import type { HeaderCards, ImageInfo, ImageStats, PixelValue } from '../../shared/contract/images';
import type { TileAddress } from '../../shared/contract/resources';
import { openFitsImage, type FitsImage } from '../fits';
import { FirstViewGate, type FirstViewGateOptions } from '../tiles/firstViewGate';
import {
  cacheFilePath,
  computeTileDirect,
  computePreviewBand,
  identityKey,
  openPyramidFile,
  pruneCache,
  touchPyramidFile,
  PyramidBuild,
  pyramidLayout,
  readLevel0Tile,
  readPyramidTile,
  removeStaleTempFiles,
  sampleImageStats,
  tileRect,
  TileLru,
  type OpenedPyramid,
  type PyramidLayout,
  type SourceIdentity,
  type StartWorker,
  type Tile,
} from '../tiles';
import { parseWcs } from '../wcs';
import { startWorker as defaultStartWorker } from './workers';

/** Short WCS description like "RA---SIN/DEC--SIN, FK5 J2000", or null when there is no usable celestial WCS. */
function describeWcs(cards: HeaderCards): string | null {
  try {
    return parseWcs(cards).describe();
  } catch {
    return null;
  }
}

export interface ImageServiceOptions {
  /** Folder of the pyramid cache files (created on first use). */
  cacheDir: string;
  onEvent: <K extends EventName>(name: K, payload: EventMap[K]) => void;
  /** Size bound of the pyramid cache folder (default 20 GB); least recently used pyramids go first. */
  cacheMaxBytes?: number;
  /** Injected in tests to observe or replace the worker. */
  startWorker?: StartWorker;
  /** When a cold build may start (default: after the first view is served; see FirstViewGate). */
  firstViewGate?: FirstViewGateOptions;
}

/** Preview bands kept per image while its pyramid builds (a level-1 band of a 16384² image is 8 MB). */
const MAX_PREVIEW_BANDS = 16;

interface OpenImage {
  id: string;
  refs: number;
  fits: FitsImage;
  layout: PyramidLayout;
  info: ImageInfo;
  /** Finished cache file (opened from disk), or the build in progress / done in this session. */
  cached: OpenedPyramid | null;
  build: PyramidBuild | null;
  /** Holds a cold build back until the first view's tiles are served. */
  gate: FirstViewGate | null;
  /** Preview bands being computed or recently computed (by "level/ty"), shared by their tiles' requests. */
  previewBands: Map<string, Promise<Tile[]>>;
  /** Aborted by the last close: stops the build. */
  closing: AbortController;
}

/**
 * Open images, their statistics and their tile pyramids. Opening the same plane of the same file
 * version twice returns the same imageId (reference counted) and reuses its build.
 */
export class ImageService {
  private readonly images = new Map<string, Promise<OpenImage>>();
  private readonly lru = new TileLru();
  private readonly startWorker: StartWorker;
  private cacheDirReady: Promise<void> | null = null;

  constructor(private readonly options: ImageServiceOptions) {
    this.startWorker = options.startWorker ?? ((name, o) => defaultStartWorker(name, o));
  }

  /** Open a FITS image plane. Errors: fits.* from the reader. Returns once stats and tiles are servable. */
  async open(input: { path: string; hdu?: number; plane?: number[] }): Promise<ImageInfo> {
    const fits = await openFitsImage(resolve(input.path), { hdu: input.hdu, plane: input.plane });
    const identity: SourceIdentity = { path: fits.path, fileSizeBytes: fits.fileSizeBytes, mtimeMs: fits.mtimeMs, hdu: fits.hdu, plane: [...fits.plane] };
    const id = identityKey(identity);
    const existing = this.images.get(id);
    if (existing) {
      await fits.close();
      const img = await existing;
      img.refs++;
      return this.currentInfo(img);
    }
    const pending = this.load(id, identity, fits);
    this.images.set(id, pending);
    try {
      return this.currentInfo(await pending);
    } catch (err) {
      this.images.delete(id);
      await fits.close().catch(() => undefined);
      throw err;
    }
  }

  private async load(id: string, identity: SourceIdentity, fits: FitsImage): Promise<OpenImage> {
    const layout = pyramidLayout(fits.width, fits.height);
    let cached: OpenedPyramid | null = null;
    let build: PyramidBuild | null = null;
    let gate: FirstViewGate | null = null;
    let stats: ImageStats;
    const closing = new AbortController();
    if (layout.levels.length === 1) {
      stats = await sampleImageStats(fits);
    } else {
      await this.ensureCacheDir();
      cached = await openPyramidFile(cacheFilePath(this.options.cacheDir, id), identity);
      if (cached && cached.layout.tileSize !== layout.tileSize) {
        await cached.file.close();
        cached = null;
      }
      if (cached) {
        stats = cached.meta.stats;
        void touchPyramidFile(cacheFilePath(this.options.cacheDir, id));
      } else {
        // Start the pass first: the stats sample is read meanwhile with a few positioned reads.
        let resolveStats!: (s: ImageStats) => void;
        let rejectStats!: (e: unknown) => void;
        const statsPromise = new Promise<ImageStats>((res, rej) => ((resolveStats = res), (rejectStats = rej)));
        gate = new FirstViewGate(this.options.firstViewGate);
        build = new PyramidBuild({
          startAfter: gate.open,
          identity,
          cacheDir: this.options.cacheDir,
          layout,
          stats: statsPromise,
          startWorker: this.startWorker,
          signal: closing.signal,
          onProgress: (fraction) => this.options.onEvent('tiles.progress', { imageId: id, fraction }),
          onReady: (elapsedMs) => {
            this.images.get(id)?.then((img) => img.previewBands.clear(), () => undefined);
            this.options.onEvent('tiles.ready', { imageId: id, elapsedMs });
            void this.prune();
          },
          onFailed: (message) => this.options.onEvent('tiles.failed', { imageId: id, message }),
        });
        try {
          stats = await sampleImageStats(fits);
          resolveStats(stats);
        } catch (err) {
          rejectStats(err);
          gate.releaseNow();
          await build.stop();
          throw err;
        }
      }
    }
    const info: ImageInfo = {
      imageId: id,
      path: fits.path,
      fileName: basename(fits.path),
      fileSizeBytes: fits.fileSizeBytes,
      hdu: fits.hdu,
      plane: [...fits.plane],
      planeAxes: fits.planeAxes,
      width: fits.width,
      height: fits.height,
      bitpix: fits.bitpix,
      bunit: fits.bunit,
      beam: fits.beam,
      cards: fits.header.values,
      headerText: fits.header.text,
      wcsSummary: describeWcs(fits.header.values),
      stats,
      pyramid: { tileSize: layout.tileSize, levels: layout.levels.length, ready: build === null, cached: cached !== null },
      warnings: [...fits.warnings],
    };
    if (build === null) queueMicrotask(() => this.options.onEvent('tiles.ready', { imageId: id, elapsedMs: 0 }));
    return { id, refs: 1, fits, layout, info, cached, build, gate, previewBands: new Map(), closing };
  }

  private ensureCacheDir(): Promise<void> {
    // An unusable cache folder is not fatal: the build then fails and tiles are computed from the image.
    this.cacheDirReady ??= mkdir(this.options.cacheDir, { recursive: true })
      .then(() => removeStaleTempFiles(this.options.cacheDir))
      .catch(() => undefined);
    return this.cacheDirReady;
  }

  /** Trim the cache folder to its size bound, sparing the pyramids of open images. */
  private async prune(): Promise<void> {
    const keep = new Set([...this.images.keys()].map((id) => cacheFilePath(this.options.cacheDir, id)));
    await pruneCache(this.options.cacheDir, this.options.cacheMaxBytes ?? 20e9, keep);
  }

  private currentInfo(img: OpenImage): ImageInfo {
    const ready = img.build === null || img.build.ready;
    return { ...img.info, pyramid: { ...img.info.pyramid, ready } };
  }

  private async get(imageId: string): Promise<OpenImage> {
    const p = this.images.get(imageId);
    if (!p) throw new AppError('image.notOpen', `No open image with id ${imageId}`, { imageId });
    return p;
  }

  /**
   * A float32 tile in display orientation. Level 0 is read from the FITS file; levels ≥ 1 from the
   * cache, or — while the build has not reached the tile's band — as a sampled preview (`preview: true`,
   * never cached here). Errors: image.notOpen, tiles.notFound.
   */
  async readTile(t: TileAddress): Promise<Tile> {
    const img = await this.get(t.imageId);
    if (!tileRect(img.layout, t.level, t.tx, t.ty)) {
      throw new AppError('tiles.notFound', `No tile ${t.level}/${t.tx}/${t.ty} in ${img.info.fileName} (${img.layout.levels.length} levels)`, { ...t });
    }
    const key = `${t.imageId}/${t.level}/${t.tx}/${t.ty}`;
    const hit = this.lru.get(key);
    if (hit) return hit;
    // While a cold build waits for the first view, every tile served counts towards "the view is served".
    const gate = img.build && !img.build.ready ? img.gate : null;
    gate?.requestStarted();
    try {
      let tile: Tile | null;
      if (t.level === 0) tile = await readLevel0Tile(img.fits, img.layout, t.tx, t.ty);
      else if (img.cached) tile = await readPyramidTile(img.cached.file, img.layout, t.level, t.tx, t.ty);
      else if (!img.build!.ready && !img.build!.hasBand(t.level, t.ty) && !img.build!.failed) {
        // Not built yet: answer a sampled preview now rather than keep the first view waiting for the pass.
        return (await this.previewBand(img, t.level, t.ty))[t.tx]!;
      } else tile = (await img.build!.readTile(t.level, t.tx, t.ty)) ?? (await computeTileDirect(img.fits, img.layout, t.level, t.tx, t.ty));
      if (this.images.get(t.imageId)) this.lru.set(key, tile);
      return tile;
    } finally {
      gate?.requestFinished();
    }
  }

  /** The preview band holding a tile: computed once for all its tiles; a few recent bands are kept. */
  private previewBand(img: OpenImage, level: number, ty: number): Promise<Tile[]> {
    const key = `${level}/${ty}`;
    let band = img.previewBands.get(key);
    if (!band) {
      band = computePreviewBand(img.fits, img.layout, level, ty);
      img.previewBands.set(key, band);
      band.catch(() => img.previewBands.delete(key));
      while (img.previewBands.size > MAX_PREVIEW_BANDS) img.previewBands.delete(img.previewBands.keys().next().value!);
    }
    return band;
  }

  /** Value of the nearest pixel to Pixel0 (x, y); value null for NaN/BLANK/outside. Errors: image.notOpen. */
  async pixelValue(imageId: string, x: number, y: number): Promise<PixelValue> {
    const img = await this.get(imageId);
    return { x: Math.round(x), y: Math.round(y), value: await img.fits.readPixel(x, y) };
  }

  /** Release one open of the image; the last close stops its build and closes the file. */
  async close(imageId: string): Promise<void> {
    const img = await this.get(imageId);
    if (--img.refs > 0) return;
    this.images.delete(imageId);
    this.lru.deletePrefix(`${imageId}/`);
    img.closing.abort();
    img.gate?.releaseNow();
    await img.build?.stop();
    await img.cached?.file.close().catch(() => undefined);
    await img.fits.close();
  }

  /** Close every image (stops running builds). */
  async dispose(): Promise<void> {
    const all = [...this.images.values()];
    this.images.clear();
    for (const p of all) {
      const img = await p.catch(() => null);
      if (!img) continue;
      img.closing.abort();
      await img.build?.stop();
      await img.cached?.file.close().catch(() => undefined);
      await img.fits.close().catch(() => undefined);
    }
  }
}
