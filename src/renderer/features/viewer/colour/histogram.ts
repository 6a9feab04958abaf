/**
 * Pixel-histogram data for the histogram panel, derived from the stats quantiles (a CDF with 2001
 * knots): the count in [a, b) is finiteCount · (CDF(b) − CDF(a)). Between knots the density is
 * taken as flat, so bins narrower than the local 0.05 % quantile spacing come out smooth rather
 * than noisy; the panel marks the clip limits itself.
 */
import type { ImageStats } from '../../../../shared/contract/images';
import { valueCdf } from './clip';

export interface HistogramBins {
  /** bins + 1 increasing edges in image units. */
  edges: number[];
  /** Estimated pixel counts per bin (not integers: they come from an interpolated CDF). */
  counts: number[];
}

/** Equal-width bins over `range` (default: the finite min..max). Empty when there is no finite pixel. */
export function histogramBins(stats: ImageStats, bins: number, range?: { lo: number; hi: number }): HistogramBins {
  const nb = Math.max(1, Math.floor(bins));
  let lo = range?.lo ?? stats.min;
  let hi = range?.hi ?? stats.max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || stats.finiteCount === 0 || stats.quantiles.length === 0) {
    return { edges: [], counts: [] };
  }
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // a constant image (or a zero-width range): one bin holding what sits at that value
    const half = Math.max(Math.abs(lo) * 1e-6, 1e-12);
    lo -= half;
    hi += half;
  }
  const edges = Array.from({ length: nb + 1 }, (_, i) => (i === nb ? hi : lo + ((hi - lo) * i) / nb));
  // the last edge is inclusive so pixels sitting exactly at hi (e.g. the maximum) are counted
  const cdfAt = edges.map((e, i) => cdfBelow(stats, e, i === nb));
  const counts = Array.from({ length: nb }, (_, i) => stats.finiteCount * Math.max(0, cdfAt[i + 1]! - cdfAt[i]!));
  return { edges, counts };
}

/**
 * CDF for counting: unlike valueCdf's plateau midpoint, a run of identical values must fall wholly
 * in the bin that contains it, so at a plateau take its lower end (fraction strictly below), or its
 * upper end when the edge is inclusive.
 */
function cdfBelow(stats: ImageStats, v: number, inclusive: boolean): number {
  const q = stats.quantiles;
  const n = q.length;
  if (v < q[0]! || (v === q[0]! && !inclusive)) return 0;
  if (v >= q[n - 1]! && (inclusive || v > q[n - 1]!)) return 1;
  const c = valueCdf(stats, v);
  let k = Math.round(c * (n - 1));
  if (q[k] !== v) return c;
  if (inclusive) while (k < n - 1 && q[k + 1] === v) k++;
  else while (k > 0 && q[k - 1] === v) k--;
  return k / (n - 1);
}
