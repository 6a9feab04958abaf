/**
 * The radio continuum map simulator: correlated noise + point and extended Gaussian sources on a SIN or
 * TAN grid, streamed to FITS in strips, with an exact truth catalogue.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { AppError } from '../../shared/contract/errors';
import type { HeaderCard } from '../../shared/contract/images';
import { writeFitsImage } from '../fits';
import type { FluxLaw } from './fluxLaw';
import { NoiseStripper, noiseKernel } from './noise';
import { SimProjection, type SimProjectionName } from './projection';
import { addSource, bucketByStrip, toDrawable } from './render';
import { FWHM_PER_SIGMA, planSources, truthCsvHeader, truthCsvLine, type TruthSource } from './sources';

export interface SimulationOptions {
  width: number;
  height: number;
  projection: SimProjectionName;
  raDeg: number;
  decDeg: number;
  pixelArcsec: number;
  /** Circular restoring beam FWHM (BMAJ = BMIN, BPA = 0). */
  beamArcsec: number;
  /** Target rms of the noise, Jy/beam (0 = noise-free map). */
  rmsJy: number;
  densityPerDeg2: number;
  /** Exact number of sources (overrides the density) when ≥ 0. */
  count?: number;
  extendedFraction: number;
  extendedSizeBeams: [number, number];
  fluxLaw: FluxLaw;
  seed: number;
  minSeparationArcsec: number;
}

/** Defaults of the CIRASA test campaign maps (see resources/sample/README.md for the flux law). */
export const DEFAULT_RMS_JY = 20e-6;
export function defaultSimulationOptions(): SimulationOptions {
  return {
    width: 4000,
    height: 4000,
    projection: 'SIN',
    raDeg: 187.5,
    decDeg: -45,
    pixelArcsec: 4,
    beamArcsec: 15,
    rmsJy: DEFAULT_RMS_JY,
    densityPerDeg2: 1000,
    extendedFraction: 0.1,
    extendedSizeBeams: [1, 4],
    fluxLaw: { kind: 'exp', lambdaPerDex: 1.6, sminJy: DEFAULT_RMS_JY, smaxJy: 1000 * DEFAULT_RMS_JY },
    seed: 1,
    minSeparationArcsec: 0,
  };
}

export const MAX_SIDE = 16384;

export function validateOptions(o: SimulationOptions): void {
  const bad = (field: string, why: string): never => {
    throw new AppError('validation', `simulate: ${field} ${why}`, { field });
  };
  for (const [k, v] of [['width', o.width], ['height', o.height]] as const) {
    if (!Number.isInteger(v) || v < 8 || v > MAX_SIDE) bad(k, `must be an integer in 8…${MAX_SIDE} (got ${v})`);
  }
  if (!(o.pixelArcsec > 0)) bad('pixel-arcsec', `must be > 0 (got ${o.pixelArcsec})`);
  if (!(o.beamArcsec >= o.pixelArcsec)) bad('beam-arcsec', `must be ≥ the pixel size ${o.pixelArcsec}" (got ${o.beamArcsec})`);
  if (!(o.rmsJy >= 0) || !Number.isFinite(o.rmsJy)) bad('rms', `must be ≥ 0 Jy/beam (got ${o.rmsJy})`);
  if (!(o.densityPerDeg2 >= 0) || !Number.isFinite(o.densityPerDeg2)) bad('density', `must be ≥ 0 sources/deg² (got ${o.densityPerDeg2})`);
  if (!(o.extendedFraction >= 0 && o.extendedFraction <= 1)) bad('extended-fraction', `must be in 0…1 (got ${o.extendedFraction})`);
  if (!(o.decDeg >= -90 && o.decDeg <= 90)) bad('dec', `must be in −90…90 degrees (got ${o.decDeg})`);
  if (!Number.isFinite(o.raDeg)) bad('ra', `must be a number of degrees (got ${o.raDeg})`);
  if (!Number.isInteger(o.seed) || o.seed < 0) bad('seed', `must be a non-negative integer (got ${o.seed})`);
  if (!(o.minSeparationArcsec >= 0)) bad('min-separation', `must be ≥ 0 arcsec (got ${o.minSeparationArcsec})`);
  const law = o.fluxLaw;
  if (!(law.sminJy > 0 && law.smaxJy >= law.sminJy)) bad('smin/smax', `need 0 < smin ≤ smax (got ${law.sminJy}, ${law.smaxJy})`);
  if (law.kind === 'exp' && !(law.lambdaPerDex > 0)) bad('lambda', `must be > 0 (got ${law.lambdaPerDex})`);
  if (law.kind === 'powerlaw' && !Number.isFinite(law.alpha)) bad('alpha', `must be a number (got ${law.alpha})`);
  const fovDeg = (Math.max(o.width, o.height) * o.pixelArcsec) / 3600;
  if (fovDeg > 90) bad('size', `× pixel size spans ${fovDeg.toFixed(1)}°: too large for a ${o.projection} projection`);
}

export interface SimulationPlan {
  options: SimulationOptions;
  projection: SimProjection;
  sources: TruthSource[];
  /** Header cards (WCS, beam, units) without HISTORY. */
  cards: HeaderCard[];
}

export function planSimulation(options: SimulationOptions): SimulationPlan {
  validateOptions(options);
  const projection = new SimProjection({
    projection: options.projection,
    width: options.width,
    height: options.height,
    raDeg: options.raDeg,
    decDeg: options.decDeg,
    pixelArcsec: options.pixelArcsec,
  });
  const sources = planSources(options, projection);
  const beamDeg = options.beamArcsec / 3600;
  const cards: HeaderCard[] = [
    ...projection.cards(),
    { key: 'BUNIT', value: 'JY/BEAM', comment: 'Brightness unit' },
    { key: 'BTYPE', value: 'Intensity' },
    { key: 'BMAJ', value: beamDeg, comment: '[deg] Restoring beam major axis FWHM' },
    { key: 'BMIN', value: beamDeg, comment: '[deg] Restoring beam minor axis FWHM' },
    { key: 'BPA', value: 0, comment: '[deg] Restoring beam position angle' },
    { key: 'OBJECT', value: 'SIMULATED FIELD' },
    { key: 'ORIGIN', value: 'CIRASA Desktop simulate' },
    { key: 'SIMSEED', value: options.seed, comment: 'Simulation seed' },
    { key: 'SIMRMS', value: options.rmsJy, comment: '[Jy/beam] Target noise rms' },
    { key: 'SIMNSRC', value: sources.length, comment: 'Number of injected sources' },
  ];
  return { options, projection, sources, cards };
}

export interface RenderOptions {
  /** Rows per strip (default 256). Output does not depend on it. */
  stripRows?: number;
  signal?: AbortSignal;
  /** Called with a phase and its fraction done (0…1). */
  onProgress?: (phase: 'calibrate' | 'render', fraction: number) => void;
}

/**
 * Measure the rms of the unit-variance noise over the whole map (one noise-only pass), so the final
 * noise can be scaled to the target exactly rather than only in expectation.
 */
async function measureUnitNoiseRms(o: SimulationOptions, stripRows: number, r: RenderOptions): Promise<number> {
  const sigmaPx = o.beamArcsec / o.pixelArcsec / FWHM_PER_SIGMA;
  const noise = new NoiseStripper(o.seed, o.width, noiseKernel(sigmaPx), stripRows);
  const buf = new Float32Array(o.width * stripRows);
  let sumSq = 0;
  for (let y0 = 0; y0 < o.height; y0 += stripRows) {
    if (r.signal?.aborted) throw new AppError('cancelled', 'simulate: cancelled');
    const rows = Math.min(stripRows, o.height - y0);
    noise.fill(y0, rows, buf);
    let s = 0;
    for (let i = 0; i < rows * o.width; i++) s += buf[i]! * buf[i]!;
    sumSq += s;
    r.onProgress?.('calibrate', (y0 + rows) / o.height);
    await yieldToLoop();
  }
  return Math.sqrt(sumSq / (o.width * o.height));
}

/** Row blocks of the final map, y = 0 first (a strip buffer is reused: consume each block before the next). */
export async function* renderRows(plan: SimulationPlan, r: RenderOptions = {}): AsyncGenerator<Float32Array> {
  const o = plan.options;
  const stripRows = Math.max(1, Math.min(r.stripRows ?? 256, o.height));
  const withNoise = o.rmsJy > 0;
  const scale = withNoise ? o.rmsJy / (await measureUnitNoiseRms(o, stripRows, r)) : 0;
  const sigmaPx = o.beamArcsec / o.pixelArcsec / FWHM_PER_SIGMA;
  const noise = new NoiseStripper(o.seed, o.width, noiseKernel(sigmaPx), stripRows);
  const drawables = plan.sources.map((s) => toDrawable(s, plan.projection, o.pixelArcsec));
  const buckets = bucketByStrip(drawables, stripRows, o.height);
  const buf = new Float32Array(o.width * stripRows);
  for (let y0 = 0, strip = 0; y0 < o.height; y0 += stripRows, strip++) {
    if (r.signal?.aborted) throw new AppError('cancelled', 'simulate: cancelled');
    const rows = Math.min(stripRows, o.height - y0);
    const view = buf.subarray(0, rows * o.width);
    if (withNoise) {
      noise.fill(y0, rows, view);
      for (let i = 0; i < view.length; i++) view[i]! *= scale;
    } else {
      view.fill(0);
    }
    for (const i of buckets[strip]!) addSource(drawables[i]!, view, o.width, y0, rows);
    r.onProgress?.('render', (y0 + rows) / o.height);
    yield view;
  }
}

export interface SimulationOutput {
  fitsPath: string;
  truthPath: string;
  sources: number;
  width: number;
  height: number;
  seconds: number;
}

/** Plan, render and write the FITS image and the truth CSV (both written atomically). */
export async function runSimulation(
  options: SimulationOptions,
  out: { fitsPath: string; truthPath: string; history?: string; extraCards?: HeaderCard[] },
  r: RenderOptions = {},
): Promise<SimulationOutput> {
  const started = Date.now();
  const plan = planSimulation(options);
  const cards = [...plan.cards, ...(out.extraCards ?? []), ...historyCards(out.history)];
  await writeTruthCsv(out.truthPath, plan.sources);
  await writeFitsImage(out.fitsPath, { width: options.width, height: options.height, bitpix: -32, cards, data: renderRows(plan, r) });
  return {
    fitsPath: out.fitsPath,
    truthPath: out.truthPath,
    sources: plan.sources.length,
    width: options.width,
    height: options.height,
    seconds: (Date.now() - started) / 1000,
  };
}

/** HISTORY cards holding `text`, split into pieces that fit a card. */
export function historyCards(text: string | undefined): HeaderCard[] {
  if (!text) return [];
  const cards: HeaderCard[] = [];
  for (let i = 0; i < text.length; i += 70) cards.push({ key: 'HISTORY', comment: text.slice(i, i + 70) });
  return cards;
}

export async function writeTruthCsv(path: string, sources: TruthSource[]): Promise<void> {
  const tmp = `${path}.${process.pid}.partial`;
  const stream = createWriteStream(tmp);
  try {
    const chunk: string[] = [truthCsvHeader()];
    for (const s of sources) {
      chunk.push(truthCsvLine(s));
      if (chunk.length >= 4096) {
        if (!stream.write(chunk.join(''))) await once(stream, 'drain');
        chunk.length = 0;
      }
    }
    stream.end(chunk.join(''));
    await once(stream, 'finish');
  } catch (err) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw new AppError('fits.io', `${path}: cannot write the truth catalogue: ${err instanceof Error ? err.message : String(err)}`, { file: path });
  }
  await rename(tmp, path);
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
