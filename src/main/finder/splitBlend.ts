/**
 * Blends of two unresolved sources closer than the deblender's reach (one peak in the island) are
 * fitted by ONE elongated Gaussian whose centre lies between the two: neither source is then
 * measured where it is. When the free single fit is elongated, two point sources (beam-shaped, same
 * number of free parameters: 2 × amplitude and position) placed along its major axis are tried; they
 * replace it when they fit better (lower χ²). Components below `minSnr` are not reported (the
 * brighter one always is): a faint partner would mostly be noise.
 */
import { fixedShapeModelN, NPAR, type FitData } from './gaussModel';
import { fitLevenbergMarquardt, type LmResult } from './levenbergMarquardt';
import { paToTheta } from './measure';
import type { BeamPx } from './types';

/** A single free fit is tried as a blend only when its major axis exceeds the beam's by this factor. */
const MIN_ELONGATION = 1.2;

export interface SplitInput {
  data: FitData;
  /** The accepted single free-size fit [amp, x, y, σa, σb, θ]. */
  free: LmResult;
  beam: BeamPx;
  /** Bounds of one component's [amp, x, y]. */
  lower: Float64Array;
  upper: Float64Array;
  maxIterations: number;
  /** Noise rms at a (global) position, for the S/N of a component. */
  rmsAt: (x: number, y: number) => number;
  minSnr: number;
}

/** The two-point-source fit (as 6-parameter components, sizes = the beam), or null to keep `free`. */
export function splitBlend(s: SplitInput): LmResult | null {
  const P = s.free.params;
  const amp = P[0], x = P[1], y = P[2], sa = P[3], sb = P[4], th = P[5];
  const major = Math.max(sa, sb);
  const theta = sa >= sb ? th : th + Math.PI / 2;
  if (!(major > MIN_ELONGATION * s.beam.majorSigmaPx)) return null;
  // two equal point sources ±d apart along the axis have a second moment σ_beam² + d² there
  const d = Math.sqrt(major * major - s.beam.majorSigmaPx * s.beam.majorSigmaPx);
  const dx = d * Math.cos(theta);
  const dy = d * Math.sin(theta);
  const init = Float64Array.from([amp * 0.6, x + dx, y + dy, amp * 0.6, x - dx, y - dy]);
  const lo = Float64Array.from([...s.lower.subarray(0, 3), ...s.lower.subarray(0, 3)]);
  const hi = Float64Array.from([...s.upper.subarray(0, 3), ...s.upper.subarray(0, 3)]);
  const beamTheta = paToTheta(s.beam.paDeg);
  const model = fixedShapeModelN(s.beam.majorSigmaPx, s.beam.minorSigmaPx, beamTheta);
  const fit = fitLevenbergMarquardt(s.data, init, lo, hi, s.maxIterations, false, model);
  if (fit.failed || !fit.converged || !(fit.chi2 < s.free.chi2)) return null;
  const comps = [0, 3]
    .map((o) => ({ o, snr: fit.params[o] / s.rmsAt(fit.params[o + 1], fit.params[o + 2]) }))
    .sort((a, b) => b.snr - a.snr);
  const kept = comps.filter((c, k) => k === 0 || c.snr >= s.minSnr);
  const params = new Float64Array(kept.length * NPAR);
  const atBound: boolean[] = [];
  kept.forEach((c, k) => {
    params.set([fit.params[c.o], fit.params[c.o + 1], fit.params[c.o + 2], s.beam.majorSigmaPx, s.beam.minorSigmaPx, beamTheta], k * NPAR);
    atBound.push(...fit.atBound.slice(c.o, c.o + 3), false, false, false);
  });
  return { ...fit, params, atBound };
}
