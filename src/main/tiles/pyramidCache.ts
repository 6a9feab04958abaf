import { createHash } from 'node:crypto';
import { open, readdir, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStats } from '../../shared/contract/images';
import { pyramidLayout, tileOffset, tileRect, type PyramidLayout } from './pyramidLayout';

/** Bump when the file layout or the meaning of any stored number changes: old caches are then ignored. */
export const PYRAMID_FORMAT_VERSION = 1;
const MAGIC = 'CIRPYR01';
const TRAILER_BYTES = 16;

export interface SourceIdentity {
  path: string;
  fileSizeBytes: number;
  mtimeMs: number;
  hdu: number;
  plane: number[];
}

export interface PyramidMeta {
  formatVersion: number;
  source: SourceIdentity;
  width: number;
  height: number;
  tileSize: number;
  levels: number;
  stats: ImageStats;
  /** Wall time and CPU time (of the worker thread; null when unknown) of the streaming pass. */
  buildMs: number;
  buildCpuMs: number | null;
}

/** Stable key of one image plane of one file version (also the imageId). */
export function identityKey(id: SourceIdentity): string {
  const text = JSON.stringify([PYRAMID_FORMAT_VERSION, id.path, id.fileSizeBytes, id.mtimeMs, id.hdu, id.plane]);
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

export function cacheFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.pyr`);
}

export function tempFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.pyr.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

/**
 * Finish a build: append the JSON meta and the trailer after the tile data, flush, then rename the
 * temp file to its final name. Until the rename nothing under the final name exists, so a killed
 * build never leaves a half cache.
 */
export async function finalizePyramidFile(tempPath: string, finalPath: string, layout: PyramidLayout, meta: PyramidMeta): Promise<void> {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const trailer = Buffer.alloc(TRAILER_BYTES);
  trailer.writeUInt32LE(json.length, 0);
  trailer.writeUInt32LE(PYRAMID_FORMAT_VERSION, 4);
  trailer.write(MAGIC, 8, 'latin1');
  const fh = await open(tempPath, 'r+');
  try {
    await fh.write(json, 0, json.length, layout.dataBytes);
    await fh.write(trailer, 0, TRAILER_BYTES, layout.dataBytes + json.length);
    await fh.truncate(layout.dataBytes + json.length + TRAILER_BYTES);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tempPath, finalPath);
}

export interface OpenedPyramid {
  meta: PyramidMeta;
  layout: PyramidLayout;
  file: FileHandle;
}

/** Open a finished cache file; null when absent, foreign, stale or damaged (it is then deleted). */
export async function openPyramidFile(path: string, expected: SourceIdentity): Promise<OpenedPyramid | null> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await file.stat();
    if (size < TRAILER_BYTES) throw new Error('short');
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await file.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (trailer.toString('latin1', 8, 16) !== MAGIC || trailer.readUInt32LE(4) !== PYRAMID_FORMAT_VERSION) throw new Error('magic');
    const jsonLength = trailer.readUInt32LE(0);
    const json = Buffer.alloc(jsonLength);
    await file.read(json, 0, jsonLength, size - TRAILER_BYTES - jsonLength);
    const meta = JSON.parse(json.toString('utf8')) as PyramidMeta;
    const layout = pyramidLayout(meta.width, meta.height, meta.tileSize);
    if (identityKey(meta.source) !== identityKey(expected) || layout.dataBytes + jsonLength + TRAILER_BYTES !== size) throw new Error('mismatch');
    return { meta, layout, file };
  } catch {
    await file.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    return null;
  }
}

/** Positioned read of one tile of level ≥ 1 from an open pyramid file (finished or being built). */
export async function readPyramidTile(
  file: FileHandle,
  layout: PyramidLayout,
  level: number,
  tx: number,
  ty: number,
): Promise<{ width: number; height: number; data: Float32Array }> {
  const rect = tileRect(layout, level, tx, ty)!;
  const data = new Float32Array(rect.width * rect.height);
  const bytes = new Uint8Array(data.buffer);
  const offset = tileOffset(layout, level, tx, ty);
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await file.read(bytes, done, bytes.length - done, offset + done);
    if (bytesRead === 0) throw new Error(`pyramid cache: short read at byte ${offset + done}`);
    done += bytesRead;
  }
  return { width: rect.width, height: rect.height, data };
}

/** Remove temp files of builds that died (older than `maxAgeMs`). Best effort. */
export async function removeStaleTempFiles(cacheDir: string, maxAgeMs = 3_600_000): Promise<void> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.includes('.pyr.tmp-')) continue;
    const p = join(cacheDir, name);
    try {
      if (now - (await stat(p)).mtimeMs > maxAgeMs) await unlink(p);
    } catch {
      // raced with another process: fine
    }
  }
}

/**
 * Keep the cache folder under `maxBytes`: finished pyramids are deleted least recently used first
 * (a cache hit touches its file's mtime, see `touchPyramidFile`). Best effort, never throws.
 */
export async function pruneCache(cacheDir: string, maxBytes: number, keep: ReadonlySet<string> = new Set()): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(cacheDir)).filter((n) => n.endsWith('.pyr'));
  } catch {
    return;
  }
  const files: { path: string; size: number; mtimeMs: number }[] = [];
  for (const name of names) {
    const p = join(cacheDir, name);
    try {
      const s = await stat(p);
      files.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // deleted meanwhile
    }
  }
  let total = files.reduce((a, f) => a + f.size, 0);
  files.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const f of files) {
    if (total <= maxBytes) break;
    if (keep.has(f.path)) continue;
    await unlink(f.path).catch(() => undefined);
    total -= f.size;
  }
}

/** Mark a cache file as just used (its mtime orders the pruning). */
export async function touchPyramidFile(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => undefined);
}
