/**
 * Where tile tasks run: in this thread, or on a pool of worker threads (src/main/finder/finderWorker.ts).
 * Both run the same `runTileTask`, so the result does not depend on the choice.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../app/workers';
import { AppError } from '../../shared/contract/errors';
import { TileBuffers } from './tileBuffers';
import { unpackDetectResult, type PackedDetectResult } from './resultTransfer';
import { openPixelReader, runTileTask, type PixelReader, type PixelSourceSpec, type TaskContext, type TileTask, type TileTaskResult } from './tileTasks';

export interface TaskRunner {
  run(task: TileTask): Promise<TileTaskResult>;
  close(): Promise<void>;
}

/** Runs tasks one after another in this thread (so only one tile's planes are alive at a time). */
export function inProcessRunner(reader: PixelReader, ctx: TaskContext): TaskRunner {
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  // the tasks run one after another: one set of work arrays serves them all
  const buffers = new TileBuffers();
  return {
    run: (task) => {
      // tasks still queued when the run is closed (cancelled, failed) are not run
      const next = chain.then(() => (closed ? Promise.reject(new AppError('cancelled', 'finder: cancelled')) : runTileTask(reader, ctx, task, buffers)));
      chain = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      closed = true;
    },
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
 * loading their code at once and get their tasks after the spec. While more tasks wait than there are
 * workers, each worker holds a second task (it runs them in order), so it goes on while this thread is
 * busy with a result (tiledFinder builds the catalogue JSON then).
 */
export function workerPoolRunner(spec: PixelSourceSpec | Promise<PixelSourceSpec>, ctx: TaskContext, threads: number): TaskRunner {
  const queue: Pending[] = [];
  // each worker's tasks in the order sent (it runs and answers them in that order)
  const inflight = new Map<Worker, Pending[]>();
  let closed = false;
  let initialised = false;
  let nextId = 0;
  const send = (w: Worker): void => {
    const job = queue.shift()!;
    inflight.get(w)!.push(job);
    w.postMessage({ type: 'task', id: nextId++, task: job.task } satisfies WorkerRequest);
  };
  const dispatch = (): void => {
    if (!initialised) return;
    // an idle worker first; then, while more tasks wait than there are workers, a second one each, so
    // a worker need not wait for this thread (busy with a result) to hand it its next task
    for (const [w, jobs] of inflight) if (jobs.length === 0 && queue.length > 0) send(w);
    for (const [w, jobs] of inflight) if (jobs.length === 1 && queue.length >= inflight.size) send(w);
  };
  const workers: Worker[] = [];
  for (let i = 0; i < Math.max(1, threads); i++) {
    const w = startWorker('finderWorker');
    inflight.set(w, []);
    w.on('message', (msg: WorkerReply) => {
      const job = inflight.get(w)?.shift();
      dispatch();
      if (job) {
        if ('error' in msg) job.reject(new AppError('internal', `finder worker: ${msg.error.message}`));
        else job.resolve(msg.result.kind === 'detectPacked' ? unpackDetectResult(msg.result) : msg.result);
      }
    });
    // a dead worker fails its tasks and everything queued: the run cannot complete identically without it
    const fail = (err: unknown): void => {
      const jobs = inflight.get(w) ?? [];
      inflight.delete(w);
      for (const job of jobs) job.reject(err);
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
