/**
 * Worker thread: the one streaming pass over a FITS plane that writes levels ≥ 1 to a temp cache
 * file. The main thread (PyramidBuild) owns the file's name, its meta and the final rename; it stops
 * a build by terminating this thread.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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
  | { type: 'done'; elapsedMs: number }
  | { type: 'error'; message: string };

const post = (m: PyramidWorkerMessage) => parentPort!.postMessage(m);

async function main(input: PyramidWorkerInput): Promise<void> {
  const t0 = performance.now();
  const image = await openFitsImage(input.path, { hdu: input.hdu, plane: input.plane });
  const fd = openSync(input.tempPath, 'w');
  try {
    const layout = pyramidLayout(image.width, image.height);
    let lastPosted = -1;
    await runPyramidPass(image, layout, {
      write: (offset, tiles) => {
        const bytes = new Uint8Array(tiles.buffer, tiles.byteOffset, tiles.byteLength);
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
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
    closeSync(fd);
    await image.close();
  }
  post({ type: 'done', elapsedMs: performance.now() - t0 });
}

if (parentPort) {
  main(workerData as PyramidWorkerInput).catch((err: unknown) => {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  });
}
