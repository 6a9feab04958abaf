/**
 * Distributed finding (e.g. a Slurm job array): part files written by `cirasa find IMAGE --part K/N`
 * and merged by `cirasa find --merge`, and the background file of `--background-out` / `--background`.
 * Both are versioned JSON (format + version fields); the README documents them.
 *
 * A part holds the complete islands (with their fitted components) whose peak lies in its tiles, plus
 * what the merge checks and needs: the image identity (size, HDU/plane, header hash), the run
 * settings, a hash of the background grid (so parts of different data or background never mix) and
 * the header itself (the merge builds sky positions from its WCS without opening the image).
 * Numbers round-trip exactly (JSON doubles; NaN/±Infinity are written as strings).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import type { Beam, HeaderCards } from '../../shared/contract/images';
import type { BackgroundGrid } from './background';
import type { BeamPx, Component, FinderOptions, Island } from './types';

export const PART_FORMAT = 'cirasa-find-part';
export const BACKGROUND_FORMAT = 'cirasa-find-background';
export const PARTS_VERSION = 1;

export interface ImageIdentity {
  /** The path as given to the part run (informative: parts may run where the mount differs). */
  path: string;
  width: number;
  height: number;
  hdu: number | null;
  plane: number[] | null;
  /** sha256 of the parsed header values (JSON). */
  headerSha256: string;
}

/** Everything that changes the numbers: equal in every part (and the background file) of one run. */
export interface RunSettings {
  options: FinderOptions;
  beamPx: BeamPx;
  tileSize: number;
  marginPx: number;
}

export interface PartFile {
  format: typeof PART_FORMAT;
  version: typeof PARTS_VERSION;
  part: { index: number; count: number };
  image: ImageIdentity;
  settings: RunSettings;
  beam: Beam;
  header: HeaderCards;
  /** sha256 of the background grid (bkg then rms, float32) the part used. */
  backgroundSha256: string;
  /** Where the background came from: computed over the whole image by this part, or a background file. */
  backgroundFrom: 'part' | string;
  medianRms: number;
  tiles: { first: number; count: number; total: number };
  deferred: number;
  threads: number;
  /**
   * Pixels with a defined significance in the part's tiles: the merge sums them into the searched
   * area of the false-detection control (parts keep every island; the merge filters). Absent in
   * files written before: the merge then takes the whole image area (conservative).
   */
  searchedPixels?: number;
  islands: Island[];
  components: Component[];
}

export interface BackgroundFile {
  format: typeof BACKGROUND_FORMAT;
  version: typeof PARTS_VERSION;
  image: ImageIdentity;
  /** Options and beam the grid was computed with (a part must use the same). */
  options: FinderOptions;
  beamPx: BeamPx;
  passes: number;
  medianRms: number;
  grid: Omit<BackgroundGrid, 'bkg' | 'rms'> & { bkg: number[]; rms: number[] };
}

export function headerSha256(values: HeaderCards): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

export function gridSha256(grid: BackgroundGrid): string {
  const h = createHash('sha256');
  for (const a of [grid.bkg, grid.rms]) h.update(Buffer.from(Float32Array.from(a).buffer));
  return h.digest('hex');
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

async function readJson(path: string, format: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('validation', `${path}: cannot read the ${what}: ${(err as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v));
  } catch {
    throw new AppError('validation', `${path}: not a ${what} (not JSON)`, { file: path });
  }
  const rec = data as Record<string, unknown> | null;
  if (!rec || typeof rec !== 'object' || rec.format !== format) {
    throw new AppError('validation', `${path}: not a ${what} (format is not '${format}')`, { file: path });
  }
  if (rec.version !== PARTS_VERSION) {
    throw new AppError('validation', `${path}: ${what} version ${String(rec.version)}; this cirasa reads version ${PARTS_VERSION}`, { file: path });
  }
  return rec;
}

export async function writePartFile(path: string, part: PartFile): Promise<void> {
  await writeFile(path, stringify(part));
}

export async function readPartFile(path: string): Promise<PartFile> {
  const rec = await readJson(path, PART_FORMAT, 'cirasa find part file');
  const p = rec.part as PartFile['part'] | undefined;
  if (!p || !Number.isInteger(p.index) || !Number.isInteger(p.count) || p.index < 0 || p.index >= p.count || !Array.isArray(rec.islands) || !Array.isArray(rec.components)) {
    throw new AppError('validation', `${path}: damaged cirasa find part file (part index/count or islands missing)`, { file: path });
  }
  return rec as unknown as PartFile;
}

export async function writeBackgroundFile(path: string, bg: Omit<BackgroundFile, 'format' | 'version' | 'grid'> & { grid: BackgroundGrid }): Promise<void> {
  const { grid } = bg;
  const file: BackgroundFile = { format: BACKGROUND_FORMAT, version: PARTS_VERSION, ...bg, grid: { ...grid, bkg: Array.from(grid.bkg), rms: Array.from(grid.rms) } };
  await writeFile(path, stringify(file));
}

/** Reads a background file and checks it was made for this image, options and beam. */
export async function readBackgroundFile(path: string, expect: { image: ImageIdentity; options: FinderOptions; beamPx: BeamPx }): Promise<{ grid: BackgroundGrid; medianRms: number }> {
  const f = (await readJson(path, BACKGROUND_FORMAT, 'cirasa find background file')) as unknown as BackgroundFile;
  const why = imageMismatch(f.image, expect.image) ?? (stringify(f.options) !== stringify(expect.options) ? 'finder options differ' : stringify(f.beamPx) !== stringify(expect.beamPx) ? 'beam differs' : undefined);
  if (why) throw new AppError('validation', `${path}: background file made for another run (${why})`, { file: path });
  const g = f.grid;
  if (!Array.isArray(g?.bkg) || g.bkg.length !== g.nx * g.ny || g.rms?.length !== g.nx * g.ny) {
    throw new AppError('validation', `${path}: damaged background file (grid size)`, { file: path });
  }
  return { grid: { ...g, bkg: Float32Array.from(g.bkg), rms: Float32Array.from(g.rms) }, medianRms: f.medianRms };
}

function imageMismatch(a: ImageIdentity, b: ImageIdentity): string | undefined {
  if (a.width !== b.width || a.height !== b.height) return `image ${a.width}×${a.height} vs ${b.width}×${b.height}`;
  if (a.hdu !== b.hdu || stringify(a.plane) !== stringify(b.plane)) return 'HDU or plane differs';
  if (a.headerSha256 !== b.headerSha256) return 'image header differs';
  return undefined;
}

/**
 * Checks that the part files form one complete run (same image, settings and background; each
 * part 0…N−1 exactly once) and returns them ordered by part index. Errors name the offending file.
 */
export function checkParts(parts: { path: string; part: PartFile }[]): PartFile[] {
  if (parts.length === 0) throw new AppError('validation', 'find --merge: no part files given');
  const first = parts[0];
  const count = first.part.part.count;
  const byIndex = new Map<number, string>();
  for (const { path, part } of parts) {
    const why =
      imageMismatch(part.image, first.part.image) ??
      (stringify(part.settings) !== stringify(first.part.settings) ? 'different finder options, beam or tile size' : undefined) ??
      (part.backgroundSha256 !== first.part.backgroundSha256 ? 'different background (other data or background file)' : undefined) ??
      (part.part.count !== count ? `split into ${part.part.count} parts, not ${count}` : undefined);
    if (why) throw new AppError('validation', `${path}: not from the same run as ${first.path} (${why})`, { file: path });
    const dup = byIndex.get(part.part.index);
    if (dup !== undefined) throw new AppError('validation', `${path}: part ${part.part.index}/${count} given twice (also ${dup})`, { file: path });
    byIndex.set(part.part.index, path);
  }
  const missing = [...Array(count).keys()].filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    throw new AppError('validation', `find --merge: missing part(s) ${missing.map((k) => `${k}/${count}`).join(', ')} of ${first.path}'s run (given: ${parts.map((p) => p.path).join(', ')})`, { missing });
  }
  return [...parts].sort((a, b) => a.part.part.index - b.part.part.index).map((p) => p.part);
}
