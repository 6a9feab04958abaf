import type { ImageStats } from '../../shared/contract/images';
import { radixSortFloat32 } from './radixSort';
import { zscaleLimits } from './zscale';

export const QUANTILE_COUNT = 2001;
export const HISTOGRAM_BINS = 256;

/** numpy's default ('linear') quantile of a sorted array, q in [0, 1]. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** numpy.histogram semantics: equal bins on [lo, hi], the last bin closed; lo == hi widens by ±0.5. */
export function histogram(sorted: Float32Array, bins: number): { lo: number; hi: number; counts: number[] } {
  const counts = new Array<number>(bins).fill(0);
  if (sorted.length === 0) return { lo: 0, hi: 0, counts };
  let lo = sorted[0]!;
  let hi = sorted[sorted.length - 1]!;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const scale = bins / (hi - lo);
  for (let i = 0; i < sorted.length; i++) {
    let b = Math.floor((sorted[i]! - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b]!++;
  }
  return { lo, hi, counts };
}

/**
 * Median of |x - median| for sorted x, in O(n) without another sort: the deviations below and above
 * the median are each already sorted (walking outwards), so merge the two runs up to the middle.
 */
export function medianAbsDeviation(sorted: Float32Array, median: number): number {
  const n = sorted.length;
  let hi = 0;
  while (hi < n && sorted[hi]! < median) hi++;
  let lo = hi - 1;
  const next = () => {
    const dl = lo >= 0 ? median - sorted[lo]! : Infinity;
    const dh = hi < n ? sorted[hi]! - median : Infinity;
    if (dl <= dh) {
      lo--;
      return dl;
    }
    hi++;
    return dh;
  };
  const half = n >> 1;
  let prev = 0;
  for (let i = 0; i < half; i++) prev = next();
  const mid = next();
  return n % 2 ? mid : (prev + mid) / 2;
}

/**
 * Statistics of a sample of pixel values (NaN / ±Inf count as blank). `zscaleSample` is the DS9
 * zscale grid sample (see zscale.ts). Quantiles, median and MAD come from one sort of the finite values.
 */
export function computeStats(sample: Float32Array, zscaleSample: ArrayLike<number>): ImageStats {
  const finite = new Float32Array(sample.length);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i]!;
    if (v - v === 0) {
      finite[n++] = v;
      sum += v;
    }
  }
  const nanCount = sample.length - n;
  const sorted = radixSortFloat32(finite.subarray(0, n));
  if (n === 0) {
    return {
      min: 0, max: 0, finiteCount: 0, nanCount,
      quantiles: new Array<number>(QUANTILE_COUNT).fill(0),
      zscale: { z1: 0, z2: 0 },
      histogram: histogram(sorted, HISTOGRAM_BINS),
      mean: 0, median: 0, rmsMad: 0,
    };
  }
  const quantiles = new Array<number>(QUANTILE_COUNT);
  for (let i = 0; i < QUANTILE_COUNT; i++) quantiles[i] = sortedQuantile(sorted, i / (QUANTILE_COUNT - 1));
  const median = sortedQuantile(sorted, 0.5);
  return {
    min: sorted[0]!,
    max: sorted[n - 1]!,
    finiteCount: n,
    nanCount,
    quantiles,
    zscale: zscaleLimits(zscaleSample),
    histogram: histogram(sorted, HISTOGRAM_BINS),
    mean: sum / n,
    median,
    rmsMad: 1.4826 * medianAbsDeviation(sorted, median),
  };
}
