import type Database from 'better-sqlite3';
import { basename } from 'node:path';

export interface StoredImage {
  id: number;
  path: string;
  name: string;
  sizeBytes?: number;
  mtimeMs?: number;
  width?: number;
  height?: number;
  addedAt: string;
  openedAt?: string;
}

export interface ImageRecordInput {
  path: string;
  name?: string;
  sizeBytes?: number;
  mtimeMs?: number;
  width?: number;
  height?: number;
}

function rowToImage(r: Record<string, unknown>): StoredImage {
  const img: StoredImage = { id: r.id as number, path: r.path as string, name: r.name as string, addedAt: r.added_at as string };
  if (r.size_bytes !== null) img.sizeBytes = r.size_bytes as number;
  if (r.mtime_ms !== null) img.mtimeMs = r.mtime_ms as number;
  if (r.width !== null) img.width = r.width as number;
  if (r.height !== null) img.height = r.height as number;
  if (r.opened_at !== null) img.openedAt = r.opened_at as string;
  return img;
}

/** Images known to the project, one row per file path. */
export class ImagesRepo {
  constructor(private readonly db: Database.Database) {}

  /** Insert or refresh the image at `path` (marks it opened now); returns its row. */
  upsert(input: ImageRecordInput): StoredImage {
    const now = new Date().toISOString();
    this.db.prepare(
      `INSERT INTO images (path, name, size_bytes, mtime_ms, width, height, added_at, opened_at)
       VALUES (@path, @name, @sizeBytes, @mtimeMs, @width, @height, @now, @now)
       ON CONFLICT (path) DO UPDATE SET name = excluded.name,
         size_bytes = coalesce(excluded.size_bytes, size_bytes), mtime_ms = coalesce(excluded.mtime_ms, mtime_ms),
         width = coalesce(excluded.width, width), height = coalesce(excluded.height, height), opened_at = excluded.opened_at`,
    ).run({
      path: input.path,
      name: input.name ?? basename(input.path),
      sizeBytes: input.sizeBytes ?? null,
      mtimeMs: input.mtimeMs ?? null,
      width: input.width ?? null,
      height: input.height ?? null,
      now,
    });
    return this.byPath(input.path)!;
  }

  get(id: number): StoredImage | undefined {
    const r = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && rowToImage(r);
  }

  byPath(path: string): StoredImage | undefined {
    const r = this.db.prepare('SELECT * FROM images WHERE path = ?').get(path) as Record<string, unknown> | undefined;
    return r && rowToImage(r);
  }

  /** Most recently opened first. */
  list(): StoredImage[] {
    return (this.db.prepare('SELECT * FROM images ORDER BY coalesce(opened_at, added_at) DESC, id DESC').all() as Record<string, unknown>[]).map(rowToImage);
  }

  /** Forget an image (its catalogues stay, detached). */
  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM images WHERE id = ?').run(id).changes > 0;
  }
}
