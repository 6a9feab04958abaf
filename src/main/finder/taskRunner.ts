/**
 * Where tile tasks run: in this thread, or on a pool of worker threads (src/main/finder/finderWorker.ts).
 * Both run the same `runTileTask`, so the result does not depend on the choice.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../app/workers';
import { AppError } from '../../shared/contract/errors';
import { unpackDetectResult, type PackedDetectResult } from './resultTransfer';
import { openPixelReader, runTileTask, type PixelReader, type PixelSourceSpec, type TaskContext, type TileTask, type TileTaskResult } from './tileTasks';

export interface TaskRunner {
  run(task: TileTask): Promise<TileTaskResult>;
  close(): Promise<void>;
}

/** Runs tasks one after another in this thread (so only one tile's planes are alive at a time). */
export function inProcessRunner(reader: PixelReader, ctx: TaskContext): TaskRunner {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run: (task) => {
      const next = chain.then(() => runTileTask(reader, ctx, task));
      chain = next.catch(() => undefined);
      return next;
    },
    close: async () => {},
  };
}

/** Messages between the pool and a finder worker. */
export type WorkerRequest = { type: 'init'; spec: PixelSourceSpec; ctx: TaskContext } | { type: 'task'; id: number; task: TileTask };
export type WorkerReply = { id: number; result: TileTaskResult | PackedDetectResult } | { id: number; error: { message: string; code?: string } };

interface Pending {
  task: TileTask;
  resolve: (r: TileTaskResult) => void;
  reject: (e: unknown) => void;
}

/**
 * A fixed pool of `threads` workers, each with its own pixel reader (shared memory or its own file
 * handle). `spec` may still be coming (the plane being read into shared memory): the workers start
 * loading their code at once and get their tasks after the spec.
 */
export function workerPoolRunner(spec: PixelSourceSpec | Promise<PixelSourceSpec>, ctx: TaskContext, threads: number): TaskRunner {
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  let nextId = 0;
  let closed = false;
  let initialised = false;
  const dispatch = (): void => {
    while (initialised && idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job);
      w.postMessage({ type: 'task', id: nextId++, task: job.task } satisfies WorkerRequest);
    }
  };
  const workers: Worker[] = [];
  for (let i = 0; i < Math.max(1, threads); i++) {
    const w = startWorker('finderWorker');
    w.on('message', (msg: WorkerReply) => {
      const job = busy.get(w);
      busy.delete(w);
      idle.push(w);
      if (job) {
        if ('error' in msg) job.reject(new AppError('internal', `finder worker: ${msg.error.message}`));
        else job.resolve(msg.result.kind === 'detectPacked' ? unpackDetectResult(msg.result) : msg.result);
      }
      dispatch();
    });
    // a dead worker fails its task and everything queued: the run cannot complete identically without it
    const fail = (err: unknown): void => {
      const job = busy.get(w);
      busy.delete(w);
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      job?.reject(err);
      if (!closed) {
        closed = true;
        for (const q of queue.splice(0)) q.reject(err);
      }
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closed) fail(new AppError('internal', `finder worker exited with code ${code}`));
    });
    workers.push(w);
    idle.push(w);
  }
  // a failed read is reported by whoever awaits the spec (the run); the queued tasks just wait for close()
  void Promise.resolve(spec).then(
    (s) => {
      if (closed) return;
      for (const w of workers) w.postMessage({ type: 'init', spec: s, ctx } satisfies WorkerRequest);
      initialised = true;
      dispatch();
    },
    () => undefined,
  );
  return {
    run: (task) =>
      new Promise<TileTaskResult>((resolve, reject) => {
        if (closed) return reject(new AppError('cancelled', 'finder: the worker pool is closed'));
        queue.push({ task, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new AppError('cancelled', 'finder: cancelled'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export { openPixelReader };
