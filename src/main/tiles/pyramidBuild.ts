import { open, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/contract/errors';
import type { ImageStats } from '../../shared/contract/images';
import type { WorkerName } from '../app/workers';
import { cacheFilePath, finalizePyramidFile, identityKey, readPyramidTile, tempFilePath, type SourceIdentity } from './pyramidCache';
import type { PyramidLayout } from './pyramidLayout';
import type { PyramidWorkerInput, PyramidWorkerMessage } from './pyramidWorker';

export type StartWorker = (name: WorkerName, options: { workerData: unknown }) => Worker;

export interface PyramidBuildOptions {
  /** The pass starts when this settles (the first view is served first; see FirstViewGate). */
  startAfter?: Promise<void>;
  identity: SourceIdentity;
  cacheDir: string;
  layout: PyramidLayout;
  /** Stats go into the cache meta; the build waits for them only to finish the file. */
  stats: Promise<ImageStats>;
  startWorker: StartWorker;
  /** Aborting stops the build like `stop()` (the image was closed). */
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
  onReady?(elapsedMs: number): void;
  onFailed?(message: string): void;
}

type Tile = { width: number; height: number; data: Float32Array };

/**
 * One pyramid build in a worker thread, seen from the main thread: which bands are on disk already,
 * tile reads that wait for their band, progress, and stop (terminate + delete the temp file).
 */
export class PyramidBuild {
  /** Settles when the cache file is complete (true) or the build failed / was stopped (false). */
  readonly finished: Promise<boolean>;
  private state: 'running' | 'ready' | 'failed' | 'stopped' = 'running';
  private readonly bandsDone: Uint8Array[];
  private readonly waiters = new Map<string, Array<(ok: boolean) => void>>();
  private readonly tempPath: string;
  private worker: Worker | null = null;
  /** Rejects the pending runWorker promise (stop must not depend on the worker's exit event). */
  private abortWorker: ((err: Error) => void) | null = null;
  private file: FileHandle | null = null;
  private stopping: Promise<void> | null = null;
  private readonly t0 = performance.now();

  constructor(private readonly o: PyramidBuildOptions) {
    this.bandsDone = o.layout.levels.map((g) => new Uint8Array(g.level === 0 ? 0 : g.tilesY));
    this.tempPath = tempFilePath(o.cacheDir, identityKey(o.identity));
    this.finished = this.run();
    o.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  private async run(): Promise<boolean> {
    try {
      // Created here so the read handle exists before the worker writes its first band.
      await writeFile(this.tempPath, new Uint8Array(0));
      this.file = await open(this.tempPath, 'r');
      await this.o.startAfter;
      if (this.state !== 'running') return false;
      const pass = await this.runWorker();
      const stats = await this.o.stats;
      if (this.state !== 'running') return false;
      const { identity, layout } = this.o;
      await finalizePyramidFile(this.tempPath, cacheFilePath(this.o.cacheDir, identityKey(identity)), layout, {
        formatVersion: 1,
        source: identity,
        width: layout.width,
        height: layout.height,
        tileSize: layout.tileSize,
        levels: layout.levels.length,
        stats,
        buildMs: pass.elapsedMs,
        buildCpuMs: pass.cpuMs,
      });
      if (this.state !== 'running') return false;
      this.state = 'ready';
      this.wakeAll(true);
      this.o.onReady?.(performance.now() - this.t0);
      return true;
    } catch (err) {
      if (this.state !== 'running') return false;
      this.state = 'failed';
      this.wakeAll(false);
      await unlink(this.tempPath).catch(() => undefined);
      this.o.onFailed?.(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  private runWorker(): Promise<{ elapsedMs: number; cpuMs: number | null }> {
    return new Promise((resolve, reject) => {
      const input: PyramidWorkerInput = { path: this.o.identity.path, hdu: this.o.identity.hdu, plane: this.o.identity.plane, tempPath: this.tempPath };
      const worker = this.o.startWorker('pyramidWorker', { workerData: input });
      this.worker = worker;
      let settled = false;
      this.abortWorker = (err) => {
        settled = true;
        reject(err);
      };
      worker.on('message', (m: PyramidWorkerMessage) => {
        if (m.type === 'band') this.markBand(m.level, m.ty);
        else if (m.type === 'progress') this.o.onProgress?.(m.fraction);
        else if (m.type === 'done') {
          settled = true;
          resolve({ elapsedMs: m.elapsedMs, cpuMs: m.cpuMs });
        } else if (m.type === 'error') {
          settled = true;
          reject(new Error(m.message));
        }
      });
      worker.on('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.on('exit', (code) => {
        this.worker = null;
        if (!settled) reject(new Error(`pyramid worker exited with code ${code}`));
      });
    });
  }

  private markBand(level: number, ty: number): void {
    this.bandsDone[level]![ty] = 1;
    const key = `${level}/${ty}`;
    const list = this.waiters.get(key);
    if (list) {
      this.waiters.delete(key);
      for (const w of list) w(true);
    }
  }

  private wakeAll(ok: boolean): void {
    for (const list of this.waiters.values()) for (const w of list) w(ok);
    this.waiters.clear();
  }

  /** True when the band holding (level, ty) is readable now. */
  hasBand(level: number, ty: number): boolean {
    return this.state === 'ready' || this.bandsDone[level]?.[ty] === 1;
  }

  /**
   * A tile of level ≥ 1: read at once when its band is on disk, else after the build writes it.
   * Answers null when the build failed (the caller computes the tile itself); throws when stopped.
   */
  async readTile(level: number, tx: number, ty: number): Promise<Tile | null> {
    if (!this.hasBand(level, ty)) {
      if (this.state === 'failed') return null;
      if ((this.state as string) === 'stopped') throw new AppError('image.notOpen', `Image was closed: ${this.o.identity.path}`);
      const ok = await new Promise<boolean>((resolve) => {
        const key = `${level}/${ty}`;
        const list = this.waiters.get(key) ?? [];
        list.push(resolve);
        this.waiters.set(key, list);
      });
      if (!ok) {
        if ((this.state as string) === 'stopped') throw new AppError('image.notOpen', `Image was closed: ${this.o.identity.path}`);
        return null;
      }
    }
    if (!this.file) throw new AppError('image.notOpen', `Image was closed: ${this.o.identity.path}`);
    return readPyramidTile(this.file, this.o.layout, level, tx, ty);
  }

  /** Stop the build (if running), delete an unfinished temp file, release the read handle. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const wasRunning = this.state === 'running';
    if (wasRunning) this.state = 'stopped';
    this.wakeAll(false);
    this.abortWorker?.(new Error('pyramid build stopped'));
    if (this.worker) await this.worker.terminate();
    await this.finished.catch(() => undefined);
    if (wasRunning) await unlink(this.tempPath).catch(() => undefined);
    await this.file?.close().catch(() => undefined);
    this.file = null;
  }
}
