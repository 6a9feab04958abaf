import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, sep } from 'node:path';

/** Worker entry names; the build bundles each as dist/main/<name>.js (see scripts/workerEntries.mjs). */
export type WorkerName = 'pyramidWorker' | 'finderWorker';

const SOURCES: Record<WorkerName, string> = {
  pyramidWorker: 'tiles/pyramidWorker.ts',
  finderWorker: 'finder/finderWorker.ts',
};

/**
 * Start a worker thread by name. From the bundle (dist/main/*.js) the worker is the sibling bundle;
 * from sources (vitest, tsx) it is the .ts file loaded through tsx.
 */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const here = fileURLToPath(import.meta.url);
  // In a packaged app the bundles sit inside app.asar, which worker threads cannot load from:
  // electron-builder unpacks the worker bundles to app.asar.unpacked (see electron-builder.yml).
  const bundled = join(dirname(here), `${name}.js`).replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
  if (!here.endsWith('.ts') && existsSync(bundled)) return new Worker(bundled, options);
  const source = join(dirname(here), '..', SOURCES[name]);
  // Node 20 ignores loader hooks from `--import tsx` in a worker's execArgv for the worker's own entry
  // (ERR_UNKNOWN_FILE_EXTENSION), so a small eval'd entry registers tsx's hooks first, then imports the source.
  const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); ` +
    `return import(${JSON.stringify(pathToFileURL(source).href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
