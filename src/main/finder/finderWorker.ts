/**
 * Worker thread of the tiled finder: opens its own pixel reader (shared memory or the FITS file)
 * on 'init', then runs tile tasks one at a time and answers each with its result or an error.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './taskRunner';
import { packDetectResult } from './resultTransfer';
import { TileBuffers } from './tileBuffers';
import { openPixelReader, runTileTask, type PixelReader, type TaskContext } from './tileTasks';

let ready: Promise<{ reader: PixelReader; ctx: TaskContext }> | null = null;
let chain: Promise<unknown> = Promise.resolve();
// this worker runs its tasks one at a time: one set of work arrays serves them all
const buffers = new TileBuffers();

parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    ready = openPixelReader(msg.spec).then((reader) => ({ reader, ctx: msg.ctx }));
    return;
  }
  const { id, task } = msg;
  // one task at a time, answered in the order received (the pool may send the next one early)
  const start = chain.then(() => ready ?? Promise.reject(new Error('task before init')));
  const done = start
    .then(({ reader, ctx }) => runTileTask(reader, ctx, task, buffers))
    .then(
      (result) => {
        if (result.kind !== 'detect') return parentPort!.postMessage({ id, result } satisfies WorkerReply);
        // islands and components as typed arrays, copied: never transferred (see resultTransfer.ts)
        parentPort!.postMessage({ id, result: packDetectResult(result) } satisfies WorkerReply);
      },
      (err: unknown) => {
        const e = err as { message?: string; code?: string };
        parentPort!.postMessage({ id, error: { message: e?.message ?? String(err), code: e?.code } } satisfies WorkerReply);
      },
    );
  chain = done;
});
