/**
 * Builds ImageStats from an in-memory sample the way the main-side stats do (numpy 'linear'
 * quantiles at 0.05 % steps). For tests and small synthetic images; real images get their stats
 * from main. zscale is not computed here: pass it, or get the 25 %/75 % quantiles as a stand-in.
 */
import type { ImageStats } from '../../../../shared/contract/images';
import { mulberry32 } from '../../../../shared/random';

export const QUANTILE_COUNT = 2001;
const HISTOGRAM_BINS = 256;

function sortedQuantile(sorted: Float64Array, p: number): number {
  const pos = p * (sorted.length - 1);
  const i = Math.floor(pos);
  if (i >= sorted.length - 1) return sorted[sorted.length - 1]!;
  const f = pos - i;
  return sorted[i]! + f * (sorted[i + 1]! - sorted[i]!);
}

export function statsFromSample(
  sample: ArrayLike<number>,
  zscale?: { z1: number; z2: number },
): ImageStats {
  const finite: number[] = [];
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i]!;
    if (Number.isFinite(v)) finite.push(v);
  }
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  if (n === 0) throw new Error('statsFromSample: no finite values');
  const quantiles = Array.from({ length: QUANTILE_COUNT }, (_, i) => sortedQuantile(sorted, i / (QUANTILE_COUNT - 1)));
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = max > min ? (max - min) / HISTOGRAM_BINS : 1;
  let sum = 0;
  for (const v of sorted) {
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width))]!++;
    sum += v;
  }
  const median = sortedQuantile(sorted, 0.5);
  const dev = Float64Array.from(sorted, (v) => Math.abs(v - median)).sort();
  return {
    min,
    max,
    finiteCount: n,
    nanCount: sample.length - n,
    quantiles,
    zscale: zscale ?? { z1: sortedQuantile(sorted, 0.25), z2: sortedQuantile(sorted, 0.75) },
    histogram: { lo: min, hi: max, counts },
    mean: sum / n,
    median,
    rmsMad: 1.4826 * sortedQuantile(dev, 0.5),
  };
}

/** Deterministic pseudo-random numbers (mulberry32) so tests and benches are reproducible. */
export const seededRandom = mulberry32;

/** Standard normal deviates (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
