/**
 * Types of the finder evaluation (truth cross-matching and metrics), used by bench/finder.
 *
 * Positions are `Pixel0` (0-based, 0 = centre of the first pixel) in the frame of ONE image: the truth
 * catalogue written by `cirasa simulate` and the finder's detections must refer to the same pixel grid.
 * Fluxes: `peak` Jy/beam, `flux` (integrated) Jy. Sizes: FWHM in pixels.
 */

/** One simulated source (a row of the simulate truth CSV, sizes converted to pixels). */
export interface TruthSource {
  id: number;
  x: number;
  y: number;
  /** Observed peak, Jy/beam (for a point source it equals `flux`). */
  peak: number;
  /** Integrated flux, Jy. */
  flux: number;
  /** Observed (beam-convolved) major-axis FWHM in pixels; a point source has the beam's. */
  majorFwhmPx: number;
  type: 'point' | 'extended';
}

/** One finder output row (a Gaussian component or a SExtractor object). */
export interface Detection {
  id: number;
  x: number;
  y: number;
  /** Integrated flux in Jy; NaN when the finder does not measure it (excluded from flux-ratio stats). */
  flux: number;
}

export interface MatchOptions {
  /** Beam FWHM (major axis) in pixels: the unit of the match radius and of position errors. */
  beamFwhmPx: number;
  /**
   * Match radius as a fraction of max(beam FWHM, the truth source's observed major FWHM): 0.5 means a
   * point source matches within half a beam, an extended source within half its own size.
   */
  radiusFraction?: number;
}

/** A one-to-one pair: indices into the truth and detection arrays, and their distance in pixels. */
export interface MatchPair {
  truth: number;
  detection: number;
  distancePx: number;
}

export interface MatchResult {
  pairs: MatchPair[];
  /** For each truth source, the index of its detection or -1. */
  truthToDetection: Int32Array;
  /** For each detection, the index of its truth source or -1. */
  detectionToTruth: Int32Array;
}

/** A fraction with its counts; `value` is NaN when `total` is 0 (nothing to measure). */
export interface Fraction {
  hit: number;
  total: number;
  value: number;
}

export interface SnrBinCompleteness extends Fraction {
  /** True S/N range [lo, hi) (hi = Infinity for the last bin). */
  lo: number;
  hi: number;
}

export interface EvaluateOptions extends MatchOptions {
  /** Map noise rms in Jy/beam: true S/N = truth peak / rms. */
  rms: number;
  /** Edges of the completeness bins in true S/N [3, 5, 7, 10, 20, 50, Infinity]. */
  snrEdges?: number[];
  /** Overall completeness and extended completeness count truth sources with S/N ≥ this [5]. */
  completenessMinSnr?: number;
  /** Flux-ratio statistics use matched POINT sources with true S/N ≥ this [10]. */
  fluxMinSnr?: number;
}

export interface FinderMetrics {
  nTruth: number;
  nDetections: number;
  nMatched: number;
  /** Completeness per true S/N bin. */
  bins: SnrBinCompleteness[];
  /** Truth sources with S/N ≥ completenessMinSnr that were matched. */
  completeness: Fraction;
  /** Matched detections / all detections. */
  reliability: Fraction;
  /** Extended truth sources with S/N ≥ completenessMinSnr that were matched. */
  extendedCompleteness: Fraction;
  /** measured flux / truth flux over matched point sources with S/N ≥ fluxMinSnr. */
  fluxRatio: { n: number; median: number; mad: number };
  /** Distance detection–truth in beam FWHM over matched sources with S/N ≥ completenessMinSnr. */
  positionErrorBeams: { n: number; median: number };
}
