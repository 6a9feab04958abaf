/**
 * Worker thread: the one streaming pass over a FITS plane that writes levels ≥ 1 to a temp cache
 * file. The main thread (PyramidBuild) owns the file's name, its meta and the final rename; it stops
 * a build by terminating this thread.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { openFitsImage } from '../fits';
import { pyramidLayout } from './pyramidLayout';
import { runPyramidPass } from './pyramidPass';

export interface PyramidWorkerInput {
  path: string;
  hdu: number;
  plane: number[];
  tempPath: string;
}

export type PyramidWorkerMessage =
  | { type: 'band'; level: number; ty: number }
  | { type: 'progress'; fraction: number }
  | { type: 'done'; elapsedMs: number; cpuMs: number | null }
  | { type: 'error'; message: string };

const post = (m: PyramidWorkerMessage) => parentPort!.postMessage(m);

/** CPU time of this thread in ms (Linux /proc; null elsewhere): the load-independent cost of a build. */
function threadCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function main(input: PyramidWorkerInput): Promise<void> {
  const t0 = performance.now();
  const cpu0 = threadCpuMs();
  const image = await openFitsImage(input.path, { hdu: input.hdu, plane: input.plane });
  const file = await open(input.tempPath, 'w');
  try {
    const layout = pyramidLayout(image.width, image.height);
    let lastPosted = -1;
    await runPyramidPass(image, layout, {
      // Asynchronous positioned writes: the copy into the page cache happens off this thread.
      write: async (offset, tiles) => {
        const bytes = new Uint8Array(tiles.buffer, tiles.byteOffset, tiles.byteLength);
        let done = 0;
        while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done, offset + done)).bytesWritten;
      },
      onBand: (level, ty) => post({ type: 'band', level, ty }),
      onProgress: (fraction) => {
        if (fraction - lastPosted >= 0.01 || fraction === 1) {
          lastPosted = fraction;
          post({ type: 'progress', fraction });
        }
      },
    });
  } finally {
    await file.close();
    await image.close();
  }
  const cpu1 = threadCpuMs();
  post({ type: 'done', elapsedMs: performance.now() - t0, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 });
}

if (parentPort) {
  main(workerData as PyramidWorkerInput).catch((err: unknown) => {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  });
}
