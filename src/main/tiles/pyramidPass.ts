import { PyramidAccumulator } from './pyramidAccumulator';
import { bandOffset, type PyramidLayout } from './pyramidLayout';
import type { RowSource } from './rowSource';

export interface PassCallbacks {
  /** Tile bytes for the cache file at a byte offset (positioned write; must be done when it returns). */
  write(offset: number, tiles: Float32Array): void | Promise<void>;
  /** A band of tiles is on disk. */
  onBand?(level: number, ty: number): void;
  /** Fraction of rows read, in [0, 1]. */
  onProgress?(fraction: number): void;
}

const MAX_WRITE_BYTES = 64 * 1024 * 1024;

/** Rows per read: about 8 MB per chunk, so the next read overlaps the block means of this one. */
export function chunkRowsFor(width: number): number {
  return Math.max(1, Math.floor((8 * 1024 * 1024) / (width * 4)));
}

/**
 * The one sequential streaming pass: read the source bottom-up in chunks (prefetching the next chunk),
 * fold every row into all levels ≥ 1, write each finished band of tiles. Throws an AbortError when
 * `signal` aborts between chunks.
 */
export async function runPyramidPass(source: RowSource, layout: PyramidLayout, cb: PassCallbacks, signal?: AbortSignal): Promise<void> {
  const { width, height } = source;
  // Band writes run in the background (libuv threads) while the next chunks are folded in; only
  // when more than MAX_WRITE_BYTES are in flight does the pass wait for them.
  const pending = new Set<Promise<void>>();
  let inFlight = 0;
  let writeError: unknown = null;
  const acc = new PyramidAccumulator(layout, (level, ty, tiles) => {
    inFlight += tiles.byteLength;
    const p: Promise<void> = Promise.resolve(cb.write(bandOffset(layout, level, ty), tiles))
      .then(() => cb.onBand?.(level, ty))
      .catch((err: unknown) => void (writeError ??= err))
      .finally(() => {
        inFlight -= tiles.byteLength;
        pending.delete(p);
      });
    pending.add(p);
  });
  const drain = async (limit: number) => {
    while (inFlight > limit && pending.size) await Promise.race(pending);
    if (writeError) throw writeError;
  };
  const chunk = chunkRowsFor(width);
  // Two buffers in turn: the next chunk is read into one while the other is folded in.
  const buffers = [new Float32Array(width * chunk), new Float32Array(width * chunk)];
  const read = (y0: number) => source.readRows(y0, Math.min(chunk, height - y0), buffers[(y0 / chunk) % 2]);
  let next: Promise<Float32Array> | null = height > 0 ? read(0) : null;
  for (let y0 = 0; y0 < height; y0 += chunk) {
    signal?.throwIfAborted();
    const rows = await next!;
    const count = Math.min(chunk, height - y0);
    next = y0 + chunk < height ? read(y0 + chunk) : null;
    acc.pushRows(rows, count);
    await drain(MAX_WRITE_BYTES);
    cb.onProgress?.((y0 + count) / height);
  }
  await drain(0);
}
