/** Clip limits and value-space CDFs, all derived from the precomputed ImageStats (no pixel access). */
import type { ImageStats } from '../../../../shared/contract/images';
import type { ClipMode } from './types';
import type { StretchCdf } from './stretch';

/** Quantile of the finite sample at fraction p ∈ [0,1], interpolating linearly between the stored quantiles. */
export function quantileAt(stats: ImageStats, p: number): number {
  const q = stats.quantiles;
  if (q.length === 0) return Number.NaN;
  const pos = Math.min(Math.max(p, 0), 1) * (q.length - 1);
  const i = Math.floor(pos);
  if (i >= q.length - 1) return q[q.length - 1]!;
  const f = pos - i;
  return f === 0 ? q[i]! : q[i]! + f * (q[i + 1]! - q[i]!);
}

/**
 * Fraction of finite pixels ≤ v (the empirical CDF read off the quantiles, linear between them).
 * Where several quantiles are equal (a plateau of identical values, e.g. zeros) v sits in the
 * middle of the plateau, so a constant region is neither all-black nor all-white under histeq.
 */
export function valueCdf(stats: ImageStats, v: number): number {
  const q = stats.quantiles;
  if (q.length === 0 || Number.isNaN(v)) return Number.NaN;
  return cdfFrom(q, v, firstAtLeast(q, v, 0, q.length - 1));
}

/** First index in [a, b] with q[i] ≥ v (b when none). */
function firstAtLeast(q: readonly number[], v: number, a: number, b: number): number {
  while (a < b) {
    const m = (a + b) >> 1;
    if (q[m]! < v) a = m + 1;
    else b = m;
  }
  return a;
}

/** The CDF at v given `first`, the first index with q[first] ≥ v. */
export function cdfFrom(q: readonly number[], v: number, first: number): number {
  const n = q.length;
  if (v < q[0]!) return 0;
  if (v > q[n - 1]!) return 1;
  if (q[first] === v) {
    let last = first;
    // plateaus are short in practice; a binary search would be no faster for the usual 1–3 equal entries
    while (last + 1 < n && q[last + 1] === v) last++;
    return (first + last) / 2 / (n - 1);
  }
  const lo = q[first - 1]!;
  const hi = q[first]!;
  return (first - 1 + (v - lo) / (hi - lo)) / (n - 1);
}

/** Display limits for a clip mode; always lo ≤ hi (user limits given the wrong way round are swapped). */
export function clipLimits(stats: ImageStats, clip: ClipMode): { lo: number; hi: number } {
  let lo: number;
  let hi: number;
  switch (clip.kind) {
    case 'minmax':
      lo = stats.min;
      hi = stats.max;
      break;
    case 'percentile': {
      const percent = Number.isFinite(clip.percent) ? Math.min(Math.max(clip.percent, 0), 100) : 100;
      const tail = (100 - percent) / 200;
      lo = quantileAt(stats, tail);
      hi = quantileAt(stats, 1 - tail);
      break;
    }
    case 'zscale':
      lo = stats.zscale.z1;
      hi = stats.zscale.z2;
      break;
    case 'user':
      lo = clip.lo;
      hi = clip.hi;
      break;
  }
  return lo <= hi ? { lo, hi } : { lo: hi, hi: lo };
}

/**
 * Histogram-equalisation transfer function over [lo, hi]: t ↦ the fraction of the pixels inside
 * the clip range that lie below lo + t·(hi − lo). Falls back to linear when no pixel is inside.
 * Calls with increasing t (as when filling a LUT) cost O(1) each: the search resumes where it stopped.
 */
export function histeqCdf(stats: ImageStats, lo: number, hi: number): StretchCdf {
  const q = stats.quantiles;
  const c0 = valueCdf(stats, lo);
  const c1 = valueCdf(stats, hi);
  const span = c1 - c0;
  if (!(span > 0) || !(hi > lo)) return (t) => t;
  const last = q.length - 1;
  let cursor = 0;
  // Evaluated at the clip ends the plateau midpoint rule would leave a gap; pin the ends exactly.
  return (t) => {
    if (t <= 0) return 0;
    if (t >= 1) return 1;
    const v = lo + t * (hi - lo);
    if (cursor > 0 && q[cursor - 1]! >= v) cursor = firstAtLeast(q, v, 0, cursor);
    else while (cursor < last && q[cursor]! < v) cursor++;
    const c = (cdfFrom(q, v, cursor) - c0) / span;
    return c <= 0 ? 0 : c >= 1 ? 1 : c;
  };
}

/**
 * Steepest slope dy/dt of the histeq curve over [lo, hi] (ignoring plateaus of identical values,
 * which are true steps): how finely a LUT must sample t to reach every colour.
 */
export function histeqMaxSlope(stats: ImageStats, lo: number, hi: number): number {
  const q = stats.quantiles;
  const span = valueCdf(stats, hi) - valueCdf(stats, lo);
  if (!(span > 0) || !(hi > lo)) return 1;
  const dy = 1 / (q.length - 1) / span;
  let maxSlope = 1;
  for (let i = 0; i + 1 < q.length; i++) {
    const a = q[i]!;
    const b = q[i + 1]!;
    if (b <= a || b <= lo || a >= hi) continue;
    maxSlope = Math.max(maxSlope, (dy * (hi - lo)) / (b - a));
  }
  return maxSlope;
}

/**
 * histeq's y for t = i/size (i < size − 1; the last entry t = 1), all at once: one walk along the
 * quantiles instead of a search per entry, for LUTs of up to a million entries.
 */
export function histeqTable(stats: ImageStats, lo: number, hi: number, size: number): Float64Array {
  const q = stats.quantiles;
  const y = new Float64Array(size);
  const c0 = valueCdf(stats, lo);
  const span = valueCdf(stats, hi) - c0;
  const last = q.length - 1;
  if (!(span > 0) || !(hi > lo)) {
    for (let i = 0; i < size; i++) y[i] = i === size - 1 ? 1 : i / size;
    return y;
  }
  const width = hi - lo;
  const scale = 1 / (last * span);
  let cursor = 0;
  for (let i = 1; i < size - 1; i++) {
    const v = lo + (i / size) * width;
    while (cursor < last && q[cursor]! < v) cursor++;
    let c: number;
    if (cursor === 0 || q[cursor] === v || v > q[last]!) c = (cdfFrom(q, v, cursor) - c0) / span;
    else {
      const a = q[cursor - 1]!;
      c = (cursor - 1 + (v - a) / (q[cursor]! - a)) * scale - c0 / span;
    }
    y[i] = c <= 0 ? 0 : c >= 1 ? 1 : c;
  }
  y[size - 1] = 1;
  return y;
}
