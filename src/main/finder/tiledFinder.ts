/**
 * The finder over a whole image in tiles, in this thread or on worker threads. The catalogue is the
 * same (bit for bit) whatever the tile size or thread count, and equals `runFinder` on the whole
 * image in memory:
 *  1. background passes: node blocks computed by tasks, merged into one global grid per pass;
 *  2. detection: each tile (core + margin) fits the complete islands whose peak lies in its core
 *     and defers islands it cannot see whole;
 *  3. deferred islands are finished in growing regions and de-duplicated by their peak pixel.
 */
import { AppError } from '../../shared/contract/errors';
import { fillMissingNodes, filterGrid, gridGeometry, imageNodeRange, maskPassesConverged, mergeNodes, type BackgroundGrid } from './background';
import { median } from './robustStats';
import { inProcessRunner, workerPoolRunner, type TaskRunner } from './taskRunner';
import { openPixelReader, type BackgroundTaskResult, type PixelReader, type DetectTaskResult, type PixelSourceSpec, type TaskContext, type TileTask } from './tileTasks';
import type { BeamPx, Component, FinderOptions, FinderResult, Island, Rect } from './types';
import { beamFwhmPx, finderOptions } from './types';

export interface TiledRunOptions {
  /** Tile core side in pixels (default 1024). */
  tileSize?: number;
  /** Context around each tile core for detection (default: 8 beam FWHM + the fit margin). */
  marginPx?: number;
  /** Worker threads; 0 runs everything in this thread (default 0). */
  threads?: number;
  /** Noise correlation FWHM (pixels) for the fit errors (default: the beam FWHM). */
  noiseFwhmPx?: number;
  /**
   * A FITS plane up to this size (bytes as float32) is read once into shared memory, so background
   * passes and tiles copy from RAM instead of reading and decoding the file again (default 512 MiB;
   * 0 = always stream from the file).
   */
  inMemoryMaxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'background' | 'detect' | 'complete'; done: number; total: number }) => void;
}

export interface TiledFinderResult extends FinderResult {
  grid: BackgroundGrid;
  /** Background passes run, tasks and deferred islands (for diagnostics). */
  passes: number;
  tiles: number;
  deferred: number;
}

export async function runFinderTiled(
  spec: PixelSourceSpec,
  beam: BeamPx,
  options: Partial<FinderOptions> = {},
  run: TiledRunOptions = {},
): Promise<TiledFinderResult> {
  const opts = finderOptions(options);
  if (opts.extendedScalesBeams.length > 0) {
    throw new AppError('validation', 'finder: the extended-source search (extendedScalesBeams) runs only in memory for now, not tiled');
  }
  const ctx: TaskContext = { beam, opts, noiseFwhmPx: run.noiseFwhmPx ?? beamFwhmPx(beam) };
  let reader = await openPixelReader(spec);
  if (spec.kind === 'fits' && reader.width * reader.height * 4 <= (run.inMemoryMaxBytes ?? DEFAULT_IN_MEMORY_MAX_BYTES)) {
    const file = reader;
    try {
      spec = await readShared(file);
    } finally {
      await file.close();
    }
    reader = await openPixelReader(spec);
  }
  const threads = run.threads ?? 0;
  const runner: TaskRunner = threads > 0 ? workerPoolRunner(spec, ctx, threads) : inProcessRunner(reader, ctx);
  try {
    return await runAll(reader.width, reader.height, runner, ctx, run);
  } finally {
    await runner.close();
    await reader.close();
  }
}

const DEFAULT_IN_MEMORY_MAX_BYTES = 512 * 2 ** 20;

/** The whole plane in a SharedArrayBuffer (workers share it), read in slabs of about 8 MB. */
async function readShared(reader: PixelReader): Promise<PixelSourceSpec> {
  const { width, height } = reader;
  const data = new Float32Array(new SharedArrayBuffer(width * height * 4));
  const rows = Math.max(1, Math.floor(2 ** 23 / (width * 4)));
  for (let y = 0; y < height; y += rows) {
    const h = Math.min(rows, height - y);
    data.set(await reader.read({ x0: 0, y0: y, width, height: h }), y * width);
  }
  return { kind: 'memory', width, height, data };
}

async function runAll(width: number, height: number, runner: TaskRunner, ctx: TaskContext, run: TiledRunOptions): Promise<TiledFinderResult> {
  const { beam, opts } = ctx;
  const tileSize = Math.max(16, Math.round(run.tileSize ?? 1024));
  const fwhm = beamFwhmPx(beam);
  const marginPx = Math.max(4, Math.round(run.marginPx ?? 8 * fwhm + Math.ceil(opts.fitMarginBeams * fwhm) + 2));
  const runBatch = async <T>(phase: 'background' | 'detect' | 'complete', tasks: TileTask[]): Promise<T[]> => {
    let done = 0;
    run.onProgress?.({ phase, done, total: tasks.length });
    const results = await Promise.all(
      tasks.map(async (t) => {
        throwIfAborted(run.signal);
        const r = await runner.run(t);
        throwIfAborted(run.signal);
        run.onProgress?.({ phase, done: ++done, total: tasks.length });
        return r as T;
      }),
    );
    return results;
  };

  // 1. background passes over node blocks of about one tile each
  const geom = gridGeometry(beam, opts);
  const all = imageNodeRange(width, height, geom);
  const block = Math.max(1, Math.round(tileSize / geom.step));
  const nodeBlocks = blocks(all, block);
  // on shared memory: every task carries the grid, and workers then share it instead of copying it
  const sharedNaN = (n: number): Float32Array => new Float32Array(new SharedArrayBuffer(n * 4)).fill(NaN);
  const emptyGrid = (): BackgroundGrid => ({
    ...geom,
    i0: 0,
    j0: 0,
    nx: all.width,
    ny: all.height,
    bkg: sharedNaN(all.width * all.height),
    rms: sharedNaN(all.width * all.height),
  });
  const backgroundPass = async (previous: BackgroundGrid | null, rough = false): Promise<{ grid: BackgroundGrid; masked: boolean }> => {
    const results = await runBatch<BackgroundTaskResult>('background', nodeBlocks.map((nodes) => ({ kind: 'background', nodes, previous, rough })));
    const grid = emptyGrid();
    for (const r of results) mergeNodes(grid, r.nodes);
    fillMissingNodes(grid);
    filterGrid(grid, opts.bkgFilterNodes);
    return { grid, masked: results.some((r) => r.masked) };
  };
  // the naive pass is rough (subsampled) when masked passes follow; see GridGeometry.roughStride
  let grid = (await backgroundPass(null, true)).grid;
  let passes = 1;
  for (let pass = 0; pass < opts.bkgMaskIterations; pass++) {
    const next = await backgroundPass(grid);
    // no emission to mask anywhere: the whole-image run stops here too (with the naive pass in full)
    if (!next.masked) {
      if (pass === 0 && geom.roughStride !== geom.stride) grid = (await backgroundPass(null)).grid;
      break;
    }
    passes++;
    const done = maskPassesConverged(grid, next.grid);
    grid = next.grid;
    if (done) break;
  }

  // 2. detection per tile
  const cores = blocks({ x0: 0, y0: 0, width, height }, tileSize);
  const detected = await runBatch<DetectTaskResult>('detect', cores.map((core) => ({ kind: 'detect', core, marginPx, grid })));
  const islands: Island[] = [];
  const components: Component[] = [];
  const seen = new Set<number>();
  const keep = (r: DetectTaskResult): void => {
    const byId = new Map<number, Component[]>();
    for (const c of r.components) (byId.get(c.islandId) ?? byId.set(c.islandId, []).get(c.islandId)!).push(c);
    for (const isl of r.islands) {
      const key = isl.peakY * width + isl.peakX;
      if (seen.has(key)) continue;
      seen.add(key);
      islands.push(isl);
      components.push(...(byId.get(isl.id) ?? []).map((c) => ({ ...c, islandId: -key - 1 })));
      isl.id = -key - 1;
    }
  };
  detected.forEach(keep);

  // 3. islands no tile could see whole
  const deferrals = detected.flatMap((r) => r.deferred);
  const completed = await runBatch<DetectTaskResult>(
    'complete',
    deferrals.map((d) => ({ kind: 'complete', seedX: d.seedX, seedY: d.seedY, bbox: d.bbox, marginPx, grid })),
  );
  completed.forEach(keep);

  return { ...canonicalize(islands, components, width), medianRms: median(Float32Array.from(grid.rms), grid.rms.length), grid, passes, tiles: cores.length, deferred: deferrals.length };
}

/**
 * Catalogue order independent of how the work was split: islands by peak pixel (raster order),
 * ids 1…n in that order; components by island, then by their id within the island.
 */
export function canonicalize(islands: Island[], components: Component[], width: number): { islands: Island[]; components: Component[] } {
  const order = [...islands].sort((a, b) => a.peakY * width + a.peakX - (b.peakY * width + b.peakX));
  const newId = new Map<number, number>();
  const out = order.map((isl, k) => {
    newId.set(isl.id, k + 1);
    return { ...isl, id: k + 1 };
  });
  const comps = components
    .map((c) => ({ ...c, islandId: newId.get(c.islandId)! }))
    .sort((a, b) => a.islandId - b.islandId || a.id - b.id);
  return { islands: out, components: comps };
}

/** Splits a rectangle into blocks of `size` (the last row/column may be smaller). */
function blocks(r: Rect, size: number): Rect[] {
  const out: Rect[] = [];
  for (let y = r.y0; y < r.y0 + r.height; y += size) {
    for (let x = r.x0; x < r.x0 + r.width; x += size) {
      out.push({ x0: x, y0: y, width: Math.min(size, r.x0 + r.width - x), height: Math.min(size, r.y0 + r.height - y) });
    }
  }
  return out;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('cancelled', 'finder: cancelled');
}
