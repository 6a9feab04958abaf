import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Worker entry names; the build bundles each as dist/main/<name>.js (see scripts/workerEntries.mjs). */
export type WorkerName = 'pyramidWorker';

const SOURCES: Record<WorkerName, string> = {
  pyramidWorker: 'tiles/pyramidWorker.ts',
};

/**
 * Start a worker thread by name. From the bundle (dist/main/*.js) the worker is the sibling bundle;
 * from sources (vitest, tsx) it is the .ts file loaded through tsx.
 */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const here = fileURLToPath(import.meta.url);
  const bundled = join(dirname(here), `${name}.js`);
  if (!here.endsWith('.ts') && existsSync(bundled)) return new Worker(bundled, options);
  const source = join(dirname(here), '..', SOURCES[name]);
  return new Worker(source, { ...options, execArgv: [...(options.execArgv ?? []), '--import', 'tsx'] });
}
