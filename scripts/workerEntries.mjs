// Worker-thread entry points: bundle name → source file. src/main/app/workers.ts resolves the same
// names at run time (the bundle next to the running file, or the .ts source through tsx in tests).
export const WORKER_ENTRIES = {
  pyramidWorker: 'src/main/tiles/pyramidWorker.ts',
  finderWorker: 'src/main/finder/finderWorker.ts',
};
