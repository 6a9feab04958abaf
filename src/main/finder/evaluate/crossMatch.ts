/**
 * One-to-one cross-match of detections to truth sources: greedy by distance.
 *
 * Every (truth, detection) pair closer than the truth source's radius — radiusFraction × max(beam FWHM,
 * the source's observed major FWHM) — is a candidate; candidates are taken in order of increasing
 * distance and a pair is kept when neither side is taken yet. Greedy is what the survey papers' matchers
 * do, and unlike Hungarian assignment it never trades a close pair for two looser ones.
 * Candidate search uses a uniform grid of detections (cell = the largest radius), so it is O(N) for
 * the 10^5-source maps of the benchmark.
 */
import type { Detection, MatchOptions, MatchPair, MatchResult, TruthSource } from './types';

export const DEFAULT_RADIUS_FRACTION = 0.5;

/** The match radius of one truth source in pixels. */
export function matchRadiusPx(t: TruthSource, opts: MatchOptions): number {
  const frac = opts.radiusFraction ?? DEFAULT_RADIUS_FRACTION;
  return frac * Math.max(opts.beamFwhmPx, Number.isFinite(t.majorFwhmPx) ? t.majorFwhmPx : 0);
}

export function crossMatch(truth: readonly TruthSource[], detections: readonly Detection[], opts: MatchOptions): MatchResult {
  if (!(opts.beamFwhmPx > 0)) throw new RangeError(`crossMatch: beamFwhmPx must be > 0 (got ${opts.beamFwhmPx})`);
  const truthToDetection = new Int32Array(truth.length).fill(-1);
  const detectionToTruth = new Int32Array(detections.length).fill(-1);
  const pairs: MatchPair[] = [];
  if (truth.length === 0 || detections.length === 0) return { pairs, truthToDetection, detectionToTruth };

  const radii = truth.map((t) => matchRadiusPx(t, opts));
  // A loop, not Math.max(...radii): spreading 10^5 arguments overflows the call stack.
  const cell = radii.reduce((a, b) => Math.max(a, b), 0);
  const grid = new Map<string, number[]>();
  const key = (cx: number, cy: number): string => `${cx},${cy}`;
  detections.forEach((d, i) => {
    if (!Number.isFinite(d.x) || !Number.isFinite(d.y)) return;
    const k = key(Math.floor(d.x / cell), Math.floor(d.y / cell));
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  });

  const candidates: MatchPair[] = [];
  truth.forEach((t, ti) => {
    const r = radii[ti];
    const cx = Math.floor(t.x / cell);
    const cy = Math.floor(t.y / cell);
    for (let gy = cy - 1; gy <= cy + 1; gy++) {
      for (let gx = cx - 1; gx <= cx + 1; gx++) {
        for (const di of grid.get(key(gx, gy)) ?? []) {
          const d = Math.hypot(detections[di].x - t.x, detections[di].y - t.y);
          if (d <= r) candidates.push({ truth: ti, detection: di, distancePx: d });
        }
      }
    }
  });
  // Ties broken by index so the result does not depend on the sort's stability.
  candidates.sort((a, b) => a.distancePx - b.distancePx || a.truth - b.truth || a.detection - b.detection);
  for (const c of candidates) {
    if (truthToDetection[c.truth] !== -1 || detectionToTruth[c.detection] !== -1) continue;
    truthToDetection[c.truth] = c.detection;
    detectionToTruth[c.detection] = c.truth;
    pairs.push(c);
  }
  return { pairs, truthToDetection, detectionToTruth };
}
