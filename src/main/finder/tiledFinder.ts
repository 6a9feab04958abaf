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
import { fillMissingNodes, filterGrid, gridGeometry, imageNodeRange, mergeNodes, type BackgroundGrid } from './background';
import { maskPassesConverged } from './backgroundMask';
import { applyFalseDetectionControl, type FalseDetectionSummary } from './falseDetections';
import { IslandJsonIndex, islandJsonBuilder, type IslandJsonSpec } from './islandJson';
import { median } from './robustStats';
import { inProcessRunner, workerPoolRunner, type TaskRunner } from './taskRunner';
import { openPixelReader, type BackgroundTaskResult, type PixelReader, type DetectTaskResult, type PixelSourceSpec, type TaskContext, type TileTask } from './tileTasks';
import type { BeamPx, Component, FinderOptions, FinderResult, Island, Rect } from './types';
import { beamFwhmPx, componentsByIsland, finderOptions } from './types';

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
  /**
   * Distributed runs: detect only in part `index` (0-based) of `count` — a contiguous run of tiles in
   * raster order (see `partTiles`). The background is still the whole image's (or `background`).
   * Merging every part's islands by peak pixel (`mergeIslands`) gives the whole run's catalogue.
   */
  part?: { index: number; count: number };
  /** A background grid computed before (`runBackgroundTiled`, same image and options): no background passes. */
  background?: BackgroundGrid;
  /**
   * Build each island's catalogue JSON as the detection results arrive (islandJson.ts: `cirasa find
   * --format json` then only joins bytes): the image header, path and beam. The result's islands
   * then have EMPTY contours (the texts hold them). Not in part runs.
   */
  catalogueJson?: Omit<IslandJsonSpec, 'minFluxSnr'>;
}

export interface TiledFinderResult extends FinderResult {
  grid: BackgroundGrid;
  /** Background passes run, tasks and deferred islands (for diagnostics). */
  passes: number;
  tiles: number;
  deferred: number;
  /** Pixels where a significance is defined in the run's tile cores (the part's, in a part run). */
  searchedPixels: number;
  /** The islands' catalogue JSON (with `run.catalogueJson`): `writeCatalogueJsonFromIslands`. */
  islandJson?: IslandJsonIndex;
}

export async function runFinderTiled(
  spec: PixelSourceSpec,
  beam: BeamPx,
  options: Partial<FinderOptions> = {},
  run: TiledRunOptions = {},
): Promise<TiledFinderResult> {
  return withRunner(spec, beam, options, run, (width, height, runner, ctx) => runAll(width, height, runner, ctx, run));
}

/** Only the background stage: the global grid that `runFinderTiled` would compute (for `run.background`). */
export async function runBackgroundTiled(
  spec: PixelSourceSpec,
  beam: BeamPx,
  options: Partial<FinderOptions> = {},
  run: TiledRunOptions = {},
): Promise<{ grid: BackgroundGrid; passes: number; medianRms: number }> {
  return withRunner(spec, beam, options, run, async (width, height, runner, ctx) => {
    const { grid, passes } = await backgroundPasses(width, height, runner, ctx, run);
    return { grid, passes, medianRms: gridMedianRms(grid) };
  });
}

async function withRunner<T>(
  spec: PixelSourceSpec,
  beam: BeamPx,
  options: Partial<FinderOptions>,
  run: TiledRunOptions,
  body: (width: number, height: number, runner: TaskRunner, ctx: TaskContext) => Promise<T>,
): Promise<T> {
  const opts = finderOptions(options);
  if (opts.extendedScalesBeams.length > 0) {
    throw new AppError('validation', 'finder: the extended-source search (extendedScalesBeams) runs only in memory for now, not tiled');
  }
  const ctx: TaskContext = { beam, opts, noiseFwhmPx: run.noiseFwhmPx ?? beamFwhmPx(beam) };
  let reader = await openPixelReader(spec);
  const threads = run.threads ?? 0;
  let runner: TaskRunner | undefined;
  if (spec.kind === 'fits' && reader.width * reader.height * 4 <= (run.inMemoryMaxBytes ?? DEFAULT_IN_MEMORY_MAX_BYTES)) {
    const file = reader;
    const shared = readShared(file).finally(() => file.close());
    // the workers load their code while this thread reads the plane
    if (threads > 0) runner = workerPoolRunner(shared, ctx, threads);
    try {
      spec = await shared;
      reader = await openPixelReader(spec);
    } catch (err) {
      await runner?.close();
      throw err;
    }
  }
  runner ??= threads > 0 ? workerPoolRunner(spec, ctx, threads) : inProcessRunner(reader, ctx);
  try {
    return await body(reader.width, reader.height, runner, ctx);
  } finally {
    await runner.close();
    await reader.close();
  }
}

const DEFAULT_IN_MEMORY_MAX_BYTES = 512 * 2 ** 20;
const READS_IN_FLIGHT = 4;

/** The whole plane in a SharedArrayBuffer (workers share it), read in slabs of about 8 MB. */
async function readShared(reader: PixelReader): Promise<PixelSourceSpec> {
  const { width, height } = reader;
  const data = new Float32Array(new SharedArrayBuffer(width * height * 4));
  const rows = Math.max(1, Math.floor(2 ** 23 / (width * 4)));
  // a few slabs in flight: the reads (page-cache copies) run on libuv's threads, in parallel, while
  // this thread byte-swaps the slabs already read
  let next = 0;
  const readSlabs = async (): Promise<void> => {
    while (next < height) {
      const y = next;
      const h = Math.min(rows, height - y);
      next += h;
      // straight into the shared memory (a float32 plane is read and byte-swapped in place)
      await reader.read({ x0: 0, y0: y, width, height: h }, data.subarray(y * width, (y + h) * width));
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, readSlabs));
  return { kind: 'memory', width, height, data };
}

type Phase = 'background' | 'detect' | 'complete';

/** Runs a batch of tasks on the runner with progress and cancellation; `then` sees each result as it comes. */
async function runBatch<T>(runner: TaskRunner, run: TiledRunOptions, phase: Phase, tasks: TileTask[], then?: (r: T) => void): Promise<T[]> {
  let done = 0;
  run.onProgress?.({ phase, done, total: tasks.length });
  return Promise.all(
    tasks.map(async (t) => {
      throwIfAborted(run.signal);
      const r = await runner.run(t);
      throwIfAborted(run.signal);
      then?.(r as T);
      run.onProgress?.({ phase, done: ++done, total: tasks.length });
      return r as T;
    }),
  );
}

function tileSizeOf(run: TiledRunOptions): number {
  return Math.max(16, Math.round(run.tileSize ?? 1024));
}

/** Context around each tile core (see TiledRunOptions.marginPx). */
export function detectMarginPx(beam: BeamPx, opts: FinderOptions, run: TiledRunOptions = {}): number {
  const fwhm = beamFwhmPx(beam);
  return Math.max(4, Math.round(run.marginPx ?? 8 * fwhm + Math.ceil(opts.fitMarginBeams * fwhm) + 2));
}

/** The background passes over node blocks of about one tile each, merged into the global grid. */
async function backgroundPasses(width: number, height: number, runner: TaskRunner, ctx: TaskContext, run: TiledRunOptions): Promise<{ grid: BackgroundGrid; passes: number }> {
  const { beam, opts } = ctx;
  const geom = gridGeometry(beam, opts);
  const all = imageNodeRange(width, height, geom);
  // strips of whole node rows, about half a tile high: their planes are whole image rows, which a
  // plane in memory hands to the task as a view (PixelReader.view) instead of a copy
  const rows = Math.max(1, Math.round(tileSizeOf(run) / 2 / geom.step));
  const nodeBlocks = blocks(all, rows, all.width);
  const emptyGrid = (): BackgroundGrid => ({ ...geom, i0: 0, j0: 0, nx: all.width, ny: all.height, bkg: sharedNaN(all.width * all.height), rms: sharedNaN(all.width * all.height) });
  const backgroundPass = async (previous: BackgroundGrid | null): Promise<{ grid: BackgroundGrid; masked: boolean }> => {
    const results = await runBatch<BackgroundTaskResult>(runner, run, 'background', nodeBlocks.map((nodes) => ({ kind: 'background', nodes, previous })));
    const grid = emptyGrid();
    for (const r of results) mergeNodes(grid, r.nodes);
    fillMissingNodes(grid);
    filterGrid(grid, opts.bkgFilterNodes);
    return { grid, masked: results.some((r) => r.masked) };
  };
  let grid = (await backgroundPass(null)).grid;
  let passes = 1;
  for (let pass = 0; pass < opts.bkgMaskIterations; pass++) {
    const next = await backgroundPass(grid);
    // no emission to mask anywhere: the naive pass is the result (the whole-image run stops here too)
    if (!next.masked) break;
    passes++;
    const done = maskPassesConverged(grid, next.grid);
    grid = next.grid;
    if (done) break;
  }
  return { grid, passes };
}

// on shared memory: every task carries the grid, and workers then share it instead of copying it
function sharedNaN(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4)).fill(NaN);
}

/** The grid's arrays moved to shared memory (a grid read from a file), so workers share them. */
export function sharedGrid(grid: BackgroundGrid): BackgroundGrid {
  const copy = (a: Float32Array): Float32Array => {
    const s = new Float32Array(new SharedArrayBuffer(a.length * 4));
    s.set(a);
    return s;
  };
  return { ...grid, bkg: copy(grid.bkg), rms: copy(grid.rms) };
}

export function gridMedianRms(grid: BackgroundGrid): number {
  return median(Float32Array.from(grid.rms), grid.rms.length);
}

/** Tile cores of the image in raster order; part K of N gets tiles [⌊K·T/N⌋, ⌊(K+1)·T/N⌋). */
export function partTiles(width: number, height: number, tileSize: number, part?: { index: number; count: number }): { cores: Rect[]; total: number } {
  const all = blocks({ x0: 0, y0: 0, width, height }, tileSize);
  if (!part) return { cores: all, total: all.length };
  const { index, count } = part;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
    throw new AppError('validation', `finder: part ${index}/${count} does not exist (parts are 0…N−1 of N ≥ 1)`);
  }
  const from = Math.floor((index * all.length) / count);
  const to = Math.floor(((index + 1) * all.length) / count);
  return { cores: all.slice(from, to), total: all.length };
}

/**
 * Islands from several detection results, each kept once by its peak pixel (a deferred island can be
 * finished by more than one tile or part: the copies are identical), components relinked, in the
 * canonical order. This is the tile merge and the merge of distributed parts. The results' island
 * and component objects are renumbered IN PLACE (no copies: 10⁵ copies of each were ~0.5 s of
 * main-thread GC after the workers on a crowded 7200² map); callers hand them over.
 */
export function mergeIslands(results: { islands: Island[]; components: Component[] }[], width: number): { islands: Island[]; components: Component[] } {
  const islands: Island[] = [];
  const components: Component[] = [];
  const seen = new Set<number>();
  for (const r of results) {
    const byId = componentsByIsland(r.components);
    for (const isl of r.islands) {
      const key = isl.peakY * width + isl.peakX;
      if (seen.has(key)) continue;
      seen.add(key);
      const members = byId.get(isl.id) ?? [];
      isl.id = -key - 1;
      islands.push(isl);
      for (const c of members) {
        c.islandId = -key - 1;
        components.push(c);
      }
    }
  }
  return canonicalize(islands, components, width);
}

async function runAll(width: number, height: number, runner: TaskRunner, ctx: TaskContext, run: TiledRunOptions): Promise<TiledFinderResult> {
  // 1. background passes (unless given)
  const { grid, passes } = run.background ? { grid: run.background, passes: 0 } : await backgroundPasses(width, height, runner, ctx, run);
  // 2. detection per tile (of this part)
  const marginPx = detectMarginPx(ctx.beam, ctx.opts, run);
  const { cores } = partTiles(width, height, tileSizeOf(run), run.part);
  // with run.catalogueJson: each result's island texts are built as it arrives, while the workers
  // go on (this thread is idle then; after the merge it would run alone: ~0.85 s on the crowded 7200² map)
  const spec = run.catalogueJson && !run.part ? { ...run.catalogueJson, minFluxSnr: ctx.opts.minFluxSnr } : undefined;
  const islandJson = spec ? new IslandJsonIndex(width) : undefined;
  const build = spec ? islandJsonBuilder(spec) : undefined;
  const withJson = build
    ? (r: DetectTaskResult): void => {
        islandJson!.add(build(r.islands, r.components, width));
        // the texts hold the contours: the objects go on without them
        for (const isl of r.islands) isl.contour = [];
      }
    : undefined;
  const detected = await runBatch<DetectTaskResult>(runner, run, 'detect', cores.map((core) => ({ kind: 'detect', core, marginPx, grid })), withJson);
  // 3. islands no tile could see whole
  const deferrals = detected.flatMap((r) => r.deferred);
  const completed = await runBatch<DetectTaskResult>(
    runner,
    run,
    'complete',
    deferrals.map((d) => ({ kind: 'complete', seedX: d.seedX, seedY: d.seedY, bbox: d.bbox, marginPx, grid })),
    withJson,
  );
  const merged = mergeIslands([...detected, ...completed], width);
  const stats = { medianRms: gridMedianRms(grid), grid, passes, tiles: cores.length, deferred: deferrals.length, searchedPixels: sumSearched(detected) };
  // a part keeps every island: the control is image-wide, applied at the merge of all parts
  if (run.part) return { ...merged, ...stats };
  return { ...controlMerged(merged, stats.searchedPixels, ctx.beam, ctx.opts, width, ctx.noiseFwhmPx), ...stats, ...(islandJson ? { islandJson } : {}) };
}

export function sumSearched(results: { searchedPixels: number }[]): number {
  let n = 0;
  for (const r of results) n += r.searchedPixels;
  return n;
}

/**
 * The false-detection control (falseDetections.ts) on the whole image's merged islands, renumbered
 * canonically afterwards, so ids stay 1…n whatever was dropped.
 */
export function controlMerged(
  merged: { islands: Island[]; components: Component[] },
  areaPx: number,
  beam: BeamPx,
  opts: FinderOptions,
  width: number,
  noiseFwhmPx?: number,
): { islands: Island[]; components: Component[]; falseDetections: FalseDetectionSummary } {
  const controlled = applyFalseDetectionControl(merged, areaPx, beam, opts, noiseFwhmPx);
  const { falseDetections } = controlled;
  // unmeasured components may be dropped while every island stays: the kept islands and components
  // are then subsequences of canonical arrays, with the island ids unchanged (no second sort)
  if (controlled.islands.length === merged.islands.length) return { islands: controlled.islands, components: controlled.components, falseDetections };
  return { ...canonicalize(controlled.islands, controlled.components, width), falseDetections };
}

/**
 * Catalogue order independent of how the work was split: islands by peak pixel (raster order),
 * ids 1…n in that order; components by island, then by their id within the island. Renumbers the
 * objects in place (see mergeIslands); the arrays passed in are not reordered.
 */
export function canonicalize(islands: Island[], components: Component[], width: number): { islands: Island[]; components: Component[] } {
  const order = [...islands].sort((a, b) => a.peakY * width + a.peakX - (b.peakY * width + b.peakX));
  const newId = new Map<number, number>();
  order.forEach((isl, k) => newId.set(isl.id, k + 1));
  // ids change only after every old id is mapped (an old id may equal another island's new one)
  order.forEach((isl, k) => (isl.id = k + 1));
  for (const c of components) c.islandId = newId.get(c.islandId)!;
  const comps = [...components].sort((a, b) => a.islandId - b.islandId || a.id - b.id);
  return { islands: order, components: comps };
}

/** Splits a rectangle into blocks `size` high and `across` wide (the last row/column may be smaller). */
function blocks(r: Rect, size: number, across = size): Rect[] {
  const out: Rect[] = [];
  for (let y = r.y0; y < r.y0 + r.height; y += size) {
    for (let x = r.x0; x < r.x0 + r.width; x += across) {
      out.push({ x0: x, y0: y, width: Math.min(across, r.x0 + r.width - x), height: Math.min(size, r.y0 + r.height - y) });
    }
  }
  return out;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('cancelled', 'finder: cancelled');
}
