/**
 * The bundled sample image: a deterministic 2048² simulated field the app opens on first start and the
 * end-to-end tests use. It is generated (never committed) by `scripts/makeSample.mjs` during the build,
 * or by the app through `ensureSampleImage` when missing. An existing file is reused only when its
 * SAMPKEY card matches the current recipe (options + generator version) and its size is complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RMS_JY, defaultSimulationOptions, runSimulation, type SimulationOptions } from './simulate';

export const SAMPLE_FITS = 'sample.fits';
export const SAMPLE_TRUTH = 'sample.truth.csv';
/** Bump when the generator's output for the same options changes (noise, rendering, RNG...). */
export const SAMPLE_GENERATOR_VERSION = 1;

/** The sample field: SIN at RA 187.5 Dec −45, 2048² × 4", ~1000 sources incl. ~10 % extended and a few bright ones. */
export function sampleOptions(): SimulationOptions {
  return {
    ...defaultSimulationOptions(),
    width: 2048,
    height: 2048,
    projection: 'SIN',
    raDeg: 187.5,
    decDeg: -45,
    densityPerDeg2: 200,
    // Up to 5000 σ (100 mJy) so the field has a handful of bright sources above 20 mJy.
    fluxLaw: { kind: 'exp', lambdaPerDex: 1.6, sminJy: DEFAULT_RMS_JY, smaxJy: 5000 * DEFAULT_RMS_JY },
    seed: 20190601,
  };
}

/** Short identity of the recipe, written as the SAMPKEY card. */
export function sampleKey(options: SimulationOptions = sampleOptions()): string {
  const recipe = JSON.stringify({ v: SAMPLE_GENERATOR_VERSION, options });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}

/** True when `path` is a complete sample FITS made from the current recipe. */
export async function isSampleUpToDate(path: string, key = sampleKey()): Promise<boolean> {
  const o = sampleOptions();
  const info = await stat(path).catch(() => null);
  if (!info || info.size % 2880 !== 0 || info.size < o.width * o.height * 4) return false;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(info.size, 2880 * 4));
    await fh.read(head, 0, head.length, 0);
    return head.toString('latin1').includes(`SAMPKEY = '${key}'`);
  } finally {
    await fh.close();
  }
}

export interface EnsureSampleOptions {
  /** Regenerate even when the file is up to date. */
  force?: boolean;
  onProgress?: (phase: 'calibrate' | 'render', fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Make sure `dir/sample.fits` (and its truth catalogue `dir/sample.truth.csv`) exist and are current;
 * generate them otherwise (≈ 1–2 s). Returns the FITS path. Concurrent callers are safe: both files are
 * written to temporary names and renamed into place.
 */
export async function ensureSampleImage(dir: string, opts: EnsureSampleOptions = {}): Promise<string> {
  const fitsPath = join(dir, SAMPLE_FITS);
  const key = sampleKey();
  if (!opts.force && (await isSampleUpToDate(fitsPath, key)) && (await stat(join(dir, SAMPLE_TRUTH)).catch(() => null))) {
    return fitsPath;
  }
  await mkdir(dir, { recursive: true });
  await runSimulation(
    sampleOptions(),
    {
      fitsPath,
      truthPath: join(dir, SAMPLE_TRUTH),
      history: `CIRASA Desktop sample field (ensureSampleImage, generator v${SAMPLE_GENERATOR_VERSION})`,
      extraCards: [{ key: 'SAMPKEY', value: key, comment: 'Sample recipe identity' }],
    },
    { signal: opts.signal, onProgress: opts.onProgress },
  );
  return fitsPath;
}
