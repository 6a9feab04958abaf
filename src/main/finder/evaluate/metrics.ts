/**
 * Finder accuracy metrics against a simulated truth catalogue (the bar of the finder issue).
 *
 * Definitions (the same for every finder compared):
 * - true S/N = truth peak (Jy/beam, beam-convolved) / map rms (the rms the map was simulated with).
 * - match: greedy one-to-one by distance within radiusFraction (0.5) × max(beam FWHM, the source's
 *   observed major FWHM) — see crossMatch.ts.
 * - completeness in a bin [lo, hi) = matched truth sources / truth sources with lo ≤ S/N < hi;
 *   overall completeness = the same over S/N ≥ completenessMinSnr (5).
 * - reliability = matched detections / all detections the finder reported (it runs at its 5σ threshold).
 * - extended completeness = overall completeness restricted to `extended` truth sources.
 * - flux ratio = measured integrated flux / truth integrated flux over matched POINT sources with
 *   S/N ≥ fluxMinSnr (10); reported as median and MAD = median |r − median r| (unscaled, not ×1.4826).
 *   Detections without a flux (NaN) are left out.
 * - position error = detection–truth distance / beam FWHM, median over matched sources with S/N ≥ 5.
 * A metric with nothing to measure is NaN (never 0 or 1 by default).
 */
import { crossMatch } from './crossMatch';
import type { Detection, EvaluateOptions, FinderMetrics, Fraction, MatchResult, SnrBinCompleteness, TruthSource } from './types';

export const DEFAULT_SNR_EDGES = [3, 5, 7, 10, 20, 50, Infinity];

/** Median of finite values (mean of the two middle ones for an even count); NaN when empty. */
export function medianOf(values: readonly number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation about the median (unscaled); NaN when empty. */
export function madOf(values: readonly number[]): number {
  const med = medianOf(values);
  return medianOf(values.filter(Number.isFinite).map((v) => Math.abs(v - med)));
}

function fraction(hit: number, total: number): Fraction {
  return { hit, total, value: total > 0 ? hit / total : NaN };
}

export function evaluateMatches(
  truth: readonly TruthSource[],
  detections: readonly Detection[],
  match: MatchResult,
  opts: EvaluateOptions,
): FinderMetrics {
  if (!(opts.rms > 0)) throw new RangeError(`evaluate: rms must be > 0 (got ${opts.rms})`);
  const edges = opts.snrEdges ?? DEFAULT_SNR_EDGES;
  const minSnr = opts.completenessMinSnr ?? 5;
  const fluxSnr = opts.fluxMinSnr ?? 10;
  const snr = truth.map((t) => t.peak / opts.rms);
  const matched = (i: number): boolean => match.truthToDetection[i] !== -1;

  const bins: SnrBinCompleteness[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b];
    const hi = edges[b + 1];
    let hit = 0;
    let total = 0;
    snr.forEach((s, i) => {
      if (s >= lo && s < hi) {
        total++;
        if (matched(i)) hit++;
      }
    });
    bins.push({ lo, hi, ...fraction(hit, total) });
  }

  let hitAll = 0, totAll = 0, hitExt = 0, totExt = 0;
  snr.forEach((s, i) => {
    if (!(s >= minSnr)) return;
    totAll++;
    if (matched(i)) hitAll++;
    if (truth[i].type === 'extended') {
      totExt++;
      if (matched(i)) hitExt++;
    }
  });

  const ratios: number[] = [];
  const posErr: number[] = [];
  for (const p of match.pairs) {
    const t = truth[p.truth];
    if (snr[p.truth] >= minSnr) posErr.push(p.distancePx / opts.beamFwhmPx);
    if (t.type === 'point' && snr[p.truth] >= fluxSnr) {
      const r = detections[p.detection].flux / t.flux;
      if (Number.isFinite(r)) ratios.push(r);
    }
  }

  return {
    nTruth: truth.length,
    nDetections: detections.length,
    nMatched: match.pairs.length,
    bins,
    completeness: fraction(hitAll, totAll),
    reliability: fraction(match.pairs.length, detections.length),
    extendedCompleteness: fraction(hitExt, totExt),
    fluxRatio: { n: ratios.length, median: medianOf(ratios), mad: madOf(ratios) },
    positionErrorBeams: { n: posErr.length, median: medianOf(posErr) },
  };
}

/** Cross-match then measure: the one call bench/finder makes per finder and map. */
export function evaluateFinder(truth: readonly TruthSource[], detections: readonly Detection[], opts: EvaluateOptions): FinderMetrics {
  return evaluateMatches(truth, detections, crossMatch(truth, detections, opts), opts);
}
