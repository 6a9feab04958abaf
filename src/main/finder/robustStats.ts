/**
 * Robust location/scale estimators on a scratch buffer (the buffer's first `n` values are reordered).
 * Used per background box, so everything is O(n) selection rather than a sort.
 */

export const MAD_TO_SIGMA = 1.482602218505602;

/** k-th smallest (0-based) of a[0..n) by Hoare quickselect with median-of-three; reorders a. */
export function selectKth(a: Float32Array | Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot keeps sorted/constant inputs linear
    let p0 = a[lo], p1 = a[mid], p2 = a[hi];
    if (p0 > p1) { const t = p0; p0 = p1; p1 = t; }
    if (p1 > p2) { p1 = p2; if (p0 > p1) p1 = p0; }
    const pivot = p1;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i]; a[i] = a[j]; a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median of a[0..n) (mean of the two middle values for even n); reorders a. NaN for n = 0. */
export function median(a: Float32Array | Float64Array, n: number): number {
  if (n === 0) return NaN;
  const h = n >> 1;
  const upper = selectKth(a, n, h);
  if (n & 1) return upper;
  // after selecting h, a[0..h) are all ≤ a[h]: the lower middle is their maximum
  let lower = -Infinity;
  for (let i = 0; i < h; i++) if (a[i] > lower) lower = a[i];
  return 0.5 * (lower + upper);
}

/** Tukey biweight midvariance scale (c = 9) around `loc`, with MAD as the initial scale. */
export function biweightScale(values: Float32Array | Float64Array, n: number, loc: number, mad: number): number {
  if (n < 2 || !(mad > 0)) return 0;
  const c = 9 * mad;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - loc;
    const u = d / c;
    const u2 = u * u;
    if (u2 >= 1) continue;
    const w = 1 - u2;
    num += d * d * w * w * w * w;
    den += w * (1 - 5 * u2);
  }
  if (den === 0) return 0;
  return Math.sqrt(n * num) / Math.abs(den);
}

export interface RobustStats {
  location: number;
  scale: number;
  /** Values left after clipping. */
  count: number;
}

/**
 * Iterative sigma clipping about the median; scale from MAD (×1.4826) or the biweight.
 * `values` (first n entries) and `scratch` (length ≥ n) are overwritten.
 */
export function clippedStats(
  values: Float32Array,
  n: number,
  scratch: Float32Array,
  clipSigma: number,
  estimator: 'mad' | 'biweight',
  maxIterations = 5,
): RobustStats {
  let count = n;
  let loc = NaN;
  let scale = NaN;
  for (let iter = 0; iter <= maxIterations; iter++) {
    if (count === 0) return { location: NaN, scale: NaN, count: 0 };
    for (let i = 0; i < count; i++) scratch[i] = values[i];
    loc = median(scratch, count);
    for (let i = 0; i < count; i++) scratch[i] = Math.abs(values[i] - loc);
    const mad = median(scratch, count);
    scale = estimator === 'biweight' ? biweightScale(values, count, loc, mad) : MAD_TO_SIGMA * mad;
    if (!(scale > 0) || iter === maxIterations) break;
    const limit = clipSigma * scale;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (Math.abs(v - loc) <= limit) values[kept++] = v;
    }
    if (kept === count) break;
    count = kept;
  }
  return { location: loc, scale, count };
}
