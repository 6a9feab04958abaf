/**
 * The distributed stages of `cirasa find`: a background file for the whole image (--background-out),
 * one part of the detection (--part K/N, optionally on a --background file), and the merge of the
 * parts into the catalogue (--merge). Same numbers as the one-process run (see finder/parts.ts).
 */
import { AppError } from '../../shared/contract/errors';
import type { Beam, HeaderCards } from '../../shared/contract/images';
import {
  checkParts,
  gridSha256,
  headerSha256,
  readBackgroundFile,
  readPartFile,
  writeBackgroundFile,
  writePartFile,
  type ImageIdentity,
  type PartFile,
} from '../finder/parts';
import { controlMerged, detectMarginPx, mergeIslands, runBackgroundTiled, runFinderTiled, sharedGrid, type TiledRunOptions } from '../finder/tiledFinder';
import type { BeamPx, FinderOptions, FinderResult } from '../finder/types';
import { parseWcs, type Wcs } from '../wcs';

/** An image opened for finding: what every stage needs from its header. */
export interface PreparedImage {
  path: string;
  hdu?: number;
  plane?: number[];
  width: number;
  height: number;
  header: HeaderCards;
  wcs: Wcs;
  beam: Beam;
  beamPx: BeamPx;
}

export interface StageRun {
  threads: number;
  tileSize: number;
  /** A background file to use instead of computing the background. */
  background?: string;
  onProgress?: TiledRunOptions['onProgress'];
}

export function imageIdentity(img: PreparedImage): ImageIdentity {
  return { path: img.path, width: img.width, height: img.height, hdu: img.hdu ?? null, plane: img.plane ?? null, headerSha256: headerSha256(img.header) };
}

function fitsSpec(img: PreparedImage): { kind: 'fits'; path: string; hdu?: number; plane?: number[] } {
  return { kind: 'fits', path: img.path, ...(img.hdu !== undefined ? { hdu: img.hdu } : {}), ...(img.plane ? { plane: img.plane } : {}) };
}

/** `TiledRunOptions` of a stage, with the background file loaded (and checked) when one is given. */
export async function stageRunOptions(img: PreparedImage, opts: FinderOptions, run: StageRun): Promise<TiledRunOptions> {
  const background = run.background
    ? sharedGrid((await readBackgroundFile(run.background, { image: imageIdentity(img), options: opts, beamPx: img.beamPx })).grid)
    : undefined;
  return { threads: run.threads, tileSize: run.tileSize, onProgress: run.onProgress, ...(background ? { background } : {}) };
}

/** --background-out: the whole image's background grid, for parts to share. */
export async function writeBackgroundStage(img: PreparedImage, opts: FinderOptions, run: StageRun, out: string): Promise<string> {
  const r = await runBackgroundTiled(fitsSpec(img), img.beamPx, opts, { threads: run.threads, tileSize: run.tileSize, onProgress: run.onProgress });
  await writeBackgroundFile(out, { image: imageIdentity(img), options: opts, beamPx: img.beamPx, passes: r.passes, medianRms: r.medianRms, grid: r.grid });
  return `background grid ${r.grid.nx}×${r.grid.ny} nodes, ${r.passes} pass(es), median rms ${r.medianRms.toExponential(3)} Jy/beam -> ${out}`;
}

/**
 * --part K/N: detection in the part's tiles only. The pixels are streamed from the file (tile by
 * tile), so the memory is a tile plane per thread plus the grid; without --background the part
 * computes the whole image's background itself (streamed too: CPU, not memory).
 */
export async function writePartStage(img: PreparedImage, opts: FinderOptions, part: { index: number; count: number }, run: StageRun, out: string): Promise<string> {
  const base = await stageRunOptions(img, opts, run);
  const r = await runFinderTiled(fitsSpec(img), img.beamPx, opts, { ...base, part, inMemoryMaxBytes: 0 });
  const totalTiles = Math.ceil(img.width / Math.max(16, Math.round(run.tileSize))) * Math.ceil(img.height / Math.max(16, Math.round(run.tileSize)));
  const file: PartFile = {
    format: 'cirasa-find-part',
    version: 1,
    part,
    image: imageIdentity(img),
    settings: { options: opts, beamPx: img.beamPx, tileSize: run.tileSize, marginPx: detectMarginPx(img.beamPx, opts) },
    beam: img.beam,
    header: img.header,
    backgroundSha256: gridSha256(r.grid),
    backgroundFrom: run.background ?? 'part',
    medianRms: r.medianRms,
    tiles: { first: Math.floor((part.index * totalTiles) / part.count), count: r.tiles, total: totalTiles },
    deferred: r.deferred,
    threads: run.threads,
    searchedPixels: r.searchedPixels,
    islands: r.islands,
    components: r.components,
  };
  await writePartFile(out, file);
  return `part ${part.index}/${part.count}: ${r.tiles} of ${totalTiles} tiles, ${r.islands.length} sources, ${r.components.length} components -> ${out}`;
}

/** --merge: the parts' islands merged by peak pixel, as the one-process run would have them. */
export async function mergePartFiles(paths: string[]): Promise<{ result: FinderResult; first: PartFile; wcs: Wcs | undefined }> {
  const parts = checkParts(await Promise.all(paths.map(async (path) => ({ path, part: await readPartFile(path) }))));
  const first = parts[0];
  const { width, height } = first.image;
  // the false-detection control is image-wide: applied here, once, on every part's islands
  const area = parts.every((p) => typeof p.searchedPixels === 'number') ? parts.reduce((n, p) => n + p.searchedPixels!, 0) : width * height;
  const result = { ...controlMerged(mergeIslands(parts, width), area, first.settings.beamPx, first.settings.options, width), medianRms: first.medianRms };
  let wcs: Wcs | undefined;
  try {
    wcs = parseWcs(first.header, first.image.path);
  } catch {
    wcs = undefined;
  }
  if (!wcs) throw new AppError('wcs.noCelestialAxes', `${paths[0]}: the part's image header has no celestial WCS`, { file: paths[0] });
  return { result, first, wcs };
}

/** 'K/N' → { index, count }, or undefined when malformed. */
export function parsePartArg(v: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m) return undefined;
  return { index: Number(m[1]), count: Number(m[2]) };
}
