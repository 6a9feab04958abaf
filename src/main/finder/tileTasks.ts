/**
 * The units of work of the tiled finder, run in a worker thread or in-process. Each task reads the
 * region it needs through a `PixelReader` and returns plain data (structured-clone friendly).
 *
 * Exactness: a task's numbers equal the whole-image run's bit for bit (see background.ts for the
 * grid; islands are accepted only when complete, with their fit footprint inside the plane, and all
 * coordinates are global). Islands a tile cannot finish are returned as deferrals.
 */
import { openFitsImage } from '../fits';
import { backgroundMask, maskMarginPx } from './backgroundMask';
import {
  computeNodes,
  gridGeometry,
  nodeBox,
  type BackgroundGrid,
  type PlaneFrame,
} from './background';
import { interpolateGrid } from './gridInterpolation';
import { searchedPixels } from './falseDetections';
import { fitIsland, fitMarginPx, type FitContext } from './fitIsland';
import { labelIslands } from './labelIslands';
import { TileBuffers } from './tileBuffers';
import { measureIsland } from './measure';
import type { BBox, BeamPx, Component, FinderOptions, ImagePlane, Island, Rect } from './types';

export interface PixelReader {
  width: number;
  height: number;
  /** Pixels of a rectangle inside the image, row-major (into `out` when given: it must hold them). */
  read(rect: Rect, out?: Float32Array): Promise<Float32Array>;
  /**
   * The pixels of a rectangle of whole rows as a view of an image in memory, without a copy (a copy
   * out of a SharedArrayBuffer is V8's relaxed-atomic memmove); undefined when the reader cannot.
   * Read only.
   */
  view?(rect: Rect): Float32Array | undefined;
  close(): Promise<void>;
}

/** Where the pixels come from: a (preferably SharedArrayBuffer-backed) array, or a FITS file. */
export type PixelSourceSpec =
  | { kind: 'memory'; width: number; height: number; data: Float32Array }
  | { kind: 'fits'; path: string; hdu?: number; plane?: number[] };

export async function openPixelReader(spec: PixelSourceSpec): Promise<PixelReader> {
  if (spec.kind === 'memory') {
    const { width, data } = spec;
    return {
      width,
      height: spec.height,
      read: async (r, into) => {
        const out = into ?? new Float32Array(r.width * r.height);
        for (let y = 0; y < r.height; y++) {
          const start = (r.y0 + y) * width + r.x0;
          out.set(data.subarray(start, start + r.width), y * r.width);
        }
        return out;
      },
      view: (r) => (r.x0 === 0 && r.width === width ? data.subarray(r.y0 * width, (r.y0 + r.height) * width) : undefined),
      close: async () => {},
    };
  }
  const image = await openFitsImage(spec.path, { hdu: spec.hdu, plane: spec.plane });
  return {
    width: image.width,
    height: image.height,
    read: (r, out) => image.readRegion(r.x0, r.y0, r.width, r.height, out),
    close: () => image.close(),
  };
}

export interface TaskContext {
  beam: BeamPx;
  opts: FinderOptions;
  noiseFwhmPx: number;
}

export type TileTask =
  | { kind: 'background'; nodes: Rect; previous: BackgroundGrid | null }
  | { kind: 'detect'; core: Rect; marginPx: number; grid: BackgroundGrid }
  | { kind: 'complete'; seedX: number; seedY: number; bbox: BBox; marginPx: number; grid: BackgroundGrid };

export interface BackgroundTaskResult {
  kind: 'background';
  nodes: BackgroundGrid;
  /** The task's plane had emission to mask (decides whether another pass can change anything). */
  masked: boolean;
}

export interface Deferral {
  /** A seed pixel of the island (global) and its bounding box as far as the tile saw it. */
  seedX: number;
  seedY: number;
  bbox: BBox;
}

export interface DetectTaskResult {
  kind: 'detect';
  islands: Island[];
  components: Component[];
  deferred: Deferral[];
  /** Pixels of the task's core where a significance is defined (falseDetections.ts: the searched area); 0 for a 'complete' task. */
  searchedPixels: number;
}

export type TileTaskResult = BackgroundTaskResult | DetectTaskResult;

/**
 * `buffers`: the work arrays of the caller's sequence of tasks (a worker thread, an in-process runner),
 * reused from task to task; by default the task's own.
 */
export async function runTileTask(reader: PixelReader, ctx: TaskContext, task: TileTask, buffers = new TileBuffers()): Promise<TileTaskResult> {
  switch (task.kind) {
    case 'background':
      return backgroundTask(reader, ctx, task.nodes, task.previous, buffers);
    case 'detect':
      return detectTask(reader, ctx, task.core, task.marginPx, task.grid, buffers);
    case 'complete':
      return completeTask(reader, ctx, task, buffers);
  }
}

function clipToImage(reader: PixelReader, x0: number, y0: number, x1: number, y1: number): Rect {
  const a = Math.max(0, x0);
  const b = Math.max(0, y0);
  return { x0: a, y0: b, width: Math.min(reader.width - 1, x1) - a + 1, height: Math.min(reader.height - 1, y1) - b + 1 };
}

async function readPlane(reader: PixelReader, rect: Rect, buffers: TileBuffers): Promise<{ plane: ImagePlane; frame: PlaneFrame }> {
  // tasks only read their plane: whole rows of an image in memory need no copy
  const data = reader.view?.(rect) ?? (await reader.read(rect, buffers.float32('plane', rect.width * rect.height)));
  return {
    plane: { width: rect.width, height: rect.height, data },
    frame: { originX: rect.x0, originY: rect.y0, imageWidth: reader.width, imageHeight: reader.height },
  };
}

async function backgroundTask(reader: PixelReader, ctx: TaskContext, nodes: Rect, previous: BackgroundGrid | null, buffers: TileBuffers): Promise<BackgroundTaskResult> {
  // the geometry object always of one shape (not the previous grid): see computeNodes
  const geom = gridGeometry(ctx.beam, ctx.opts);
  const first = nodeBox(nodes.x0, nodes.y0, geom, reader.width, reader.height);
  const last = nodeBox(nodes.x0 + nodes.width - 1, nodes.y0 + nodes.height - 1, geom, reader.width, reader.height);
  // a block of nodes beyond the last pixel row or column (the grid reaches one node past the image)
  // has no pixel in its boxes: its nodes stay empty (NaN) and are filled from their neighbours
  if (first.xb < first.xa || first.yb < first.ya) {
    const empty = (): Float32Array => new Float32Array(nodes.width * nodes.height).fill(NaN);
    return { kind: 'background', nodes: { ...geom, i0: nodes.x0, j0: nodes.y0, nx: nodes.width, ny: nodes.height, bkg: empty(), rms: empty() }, masked: false };
  }
  const extra = previous ? maskMarginPx(ctx.beam, ctx.opts) : 0;
  const rect = clipToImage(reader, first.xa - extra, first.ya - extra, last.xb + extra, last.yb + extra);
  const { plane, frame } = await readPlane(reader, rect, buffers);
  // work arrays of the plane's size hold the mask's lattice (every stride-th pixel in x and y)
  const n = plane.width * plane.height;
  const mask = previous ? backgroundMask(plane, frame, previous, ctx.beam, ctx.opts, { seeds: buffers.uint8('maskSeeds', n), above: buffers.uint8('maskAbove', n) }).mask : undefined;
  const grid = computeNodes(plane, frame, geom, nodes, ctx.opts, mask, previous ?? undefined);
  return { kind: 'background', nodes: grid, masked: mask !== undefined && mask.bits.includes(1) };
}

interface PlaneIslands {
  islands: Island[];
  components: Component[];
  deferred: Deferral[];
  searchedPixels: number;
}

/**
 * Labels the plane and handles its islands (only the one holding global pixel `only`, if given):
 * complete ones whose global peak `keep` accepts are measured and fitted; cut ones become deferrals.
 */
function analysePlane(
  plane: ImagePlane,
  frame: PlaneFrame,
  ctx: TaskContext,
  grid: BackgroundGrid,
  buffers: TileBuffers,
  keep: (peakX: number, peakY: number) => boolean,
  only?: { x: number; y: number },
  core?: Rect,
): PlaneIslands {
  const n = plane.width * plane.height;
  const maps = interpolateGrid(grid, plane, frame, { bkg: buffers.float32('bkg', n), rms: buffers.float32('rms', n) });
  const found = labelIslands(plane, maps, ctx.opts.seedSigma, ctx.opts.mergeSigma, 1, buffers.zeroInt32('labels', n));
  const onlyId = only ? found.labels[(only.y - frame.originY) * plane.width + (only.x - frame.originX)] : -1;
  const fitCtx: FitContext = { plane, maps, found, beam: ctx.beam, opts: ctx.opts, noiseFwhmPx: ctx.noiseFwhmPx, frame, scratch: buffers.fit };
  const reach = fitMarginPx(fitCtx) + 1;
  const coreInPlane = core && { x0: core.x0 - frame.originX, y0: core.y0 - frame.originY, width: core.width, height: core.height };
  const out: PlaneIslands = { islands: [], components: [], deferred: [], searchedPixels: coreInPlane ? searchedPixels(plane, maps, coreInPlane) : 0 };
  const w = plane.width;
  const boxes = found.boxes;
  for (let id = 1; id <= found.count; id++) {
    if (only && id !== onlyId) continue;
    const start = found.offsets[id - 1];
    const end = found.offsets[id];
    const b = 4 * (id - 1);
    const xMin = boxes[b], xMax = boxes[b + 1], yMin = boxes[b + 2], yMax = boxes[b + 3];
    const bbox = { xMin: xMin + frame.originX, xMax: xMax + frame.originX, yMin: yMin + frame.originY, yMax: yMax + frame.originY };
    const seed = found.pixels[start];
    const seedX = (seed % w) + frame.originX;
    const seedY = Math.floor(seed / w) + frame.originY;
    // the island and its fit footprint must be inside the plane (or stop at the image border)
    const cut =
      (Math.max(0, bbox.xMin - reach) < frame.originX) ||
      (Math.max(0, bbox.yMin - reach) < frame.originY) ||
      (Math.min(frame.imageWidth - 1, bbox.xMax + reach) > frame.originX + plane.width - 1) ||
      (Math.min(frame.imageHeight - 1, bbox.yMax + reach) > frame.originY + plane.height - 1);
    if (cut) {
      // an island with no visible pixel in the core has its peak in another tile's core, and that
      // tile sees the part holding the peak: it emits or defers it
      const touchesCore =
        !core || (bbox.xMax >= core.x0 && bbox.xMin < core.x0 + core.width && bbox.yMax >= core.y0 && bbox.yMin < core.y0 + core.height);
      if (touchesCore) out.deferred.push({ seedX, seedY, bbox });
      continue;
    }
    if (end - start < ctx.opts.minPixels) continue;
    const island = measureIsland(plane, maps, found, id, ctx.beam, ctx.opts.mergeSigma, frame);
    if (!keep(island.peakX, island.peakY)) continue;
    out.islands.push(island);
    out.components.push(...fitIsland(fitCtx, island));
  }
  return out;
}

async function detectTask(reader: PixelReader, ctx: TaskContext, core: Rect, marginPx: number, grid: BackgroundGrid, buffers: TileBuffers): Promise<DetectTaskResult> {
  const rect = clipToImage(reader, core.x0 - marginPx, core.y0 - marginPx, core.x0 + core.width - 1 + marginPx, core.y0 + core.height - 1 + marginPx);
  const { plane, frame } = await readPlane(reader, rect, buffers);
  // a complete island belongs to the tile whose core holds its peak
  const inCore = (x: number, y: number): boolean => x >= core.x0 && x < core.x0 + core.width && y >= core.y0 && y < core.y0 + core.height;
  return { kind: 'detect', ...analysePlane(plane, frame, ctx, grid, buffers, inCore, undefined, core) };
}

/** Finishes one deferred island in a region grown until the island and its fit footprint fit. */
async function completeTask(
  reader: PixelReader,
  ctx: TaskContext,
  task: { seedX: number; seedY: number; bbox: BBox; marginPx: number; grid: BackgroundGrid },
  buffers: TileBuffers,
): Promise<DetectTaskResult> {
  let margin = Math.max(1, task.marginPx);
  for (;;) {
    const b = task.bbox;
    const rect = clipToImage(reader, b.xMin - margin, b.yMin - margin, b.xMax + margin, b.yMax + margin);
    const { plane, frame } = await readPlane(reader, rect, buffers);
    const whole = rect.width === reader.width && rect.height === reader.height;
    const res = analysePlane(plane, frame, ctx, task.grid, buffers, () => true, { x: task.seedX, y: task.seedY });
    if (res.deferred.length === 0 || whole) return { kind: 'detect', islands: res.islands, components: res.components, deferred: [], searchedPixels: 0 };
    margin *= 2;
  }
}
