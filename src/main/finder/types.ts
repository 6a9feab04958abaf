/**
 * Types of the built-in source finder's numerical core.
 *
 * Coordinates: every pixel position is `Pixel0` (0-based, 0 = centre of the first pixel) in the
 * frame of the `ImagePlane` passed in. A tile driver that feeds a sub-image adds its own offset.
 *
 * Position angles (pixel frame): degrees east of north ASSUMING the standard sky orientation of a
 * RA---/DEC-- image with CDELT1 < 0 and no rotation: north is +y and east is −x (to the left), so
 * +x is WEST. A PA of 0 is a major axis along +y, a PA of 90 is a major axis along −x. Converting to a
 * true sky PA for a rotated or flipped WCS is the catalogue-output stage's job (local north angle).
 * Angles are normalised to [0, 180).
 */
import { z } from 'zod';
import type { ExtendedIsland } from './extended';
import type { FalseDetectionSummary } from './falseDetections';

/** A 2-D float image (or a tile of one): row-major, y = 0 first; NaN marks blank pixels. */
export interface ImagePlane {
  width: number;
  height: number;
  data: Float32Array;
}

/** A sub-rectangle of a plane: pixels x0 ≤ x < x0 + width, y0 ≤ y < y0 + height. */
export interface Rect {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** Restoring beam in pixel units: Gaussian sigmas (not FWHM) and PA (see the module comment). */
export interface BeamPx {
  majorSigmaPx: number;
  minorSigmaPx: number;
  paDeg: number;
}

export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/** Beam area in pixels: ∫ of a unit-peak Gaussian = 2π σmaj σmin. Flux (Jy) = Σ(Jy/beam) / this. */
export function beamAreaPx(beam: BeamPx): number {
  return 2 * Math.PI * beam.majorSigmaPx * beam.minorSigmaPx;
}

/** Components grouped by their island id (each group in the given order). */
export function componentsByIsland(components: Component[]): Map<number, Component[]> {
  const byIsland = new Map<number, Component[]>();
  for (const c of components) {
    const group = byIsland.get(c.islandId);
    if (group) group.push(c);
    else byIsland.set(c.islandId, [c]);
  }
  return byIsland;
}

/** Beam FWHM along the major axis in pixels: the unit of every `…Beams` option. */
export function beamFwhmPx(beam: BeamPx): number {
  return beam.majorSigmaPx * FWHM_PER_SIGMA;
}

export const FinderOptionsSchema = z.object({
  /** Seed threshold: an island needs at least one pixel this many σ above the background. */
  seedSigma: z.number().positive().default(5),
  /** Merge (flood) threshold: islands grow over 8-connected pixels above this many σ. */
  mergeSigma: z.number().positive().default(2.6),
  /** Islands with fewer pixels are dropped. */
  minPixels: z.number().int().min(1).default(5),
  /** Side of the background/noise box, in beam FWHM (major axis). */
  bkgBoxBeams: z.number().positive().default(20),
  /**
   * Step between background grid nodes, in beam FWHM; values between nodes are bilinear. Default: the
   * box side (boxes side by side). The extended search's own grids on its smoothed maps always overlap
   * their boxes by half (extended.ts).
   */
  bkgGridBeams: z.number().positive().default(20),
  /** Median filter of the grid nodes (odd size; 1 = off), as SExtractor's BACK_FILTERSIZE. */
  bkgFilterNodes: z.number().int().min(1).default(1),
  /** Sigma-clipping threshold (σ) for the robust box statistics. */
  bkgClipSigma: z.number().positive().default(3),
  /**
   * Masked re-estimation passes: pixels of detected islands (dilated) are excluded and the
   * statistics recomputed. 0 gives the naive estimate, which is biased high in crowded fields.
   * One pass is the default: on the crowded 7200² benchmark map a second one moved the median rms
   * by < 0.5 % and the scores by ≤ 0.001 while costing ~15 % of the run.
   */
  bkgMaskIterations: z.number().int().min(0).default(1),
  /** Threshold (σ) above which pixels are masked in the masked passes. */
  bkgMaskSigma: z.number().positive().default(2),
  /** Mask dilation radius in beam FWHM: catches the faint wings below the mask threshold. */
  bkgMaskGrowBeams: z.number().min(0).default(1),
  /** Rms estimator for a box: 1.4826 × MAD, or the Tukey biweight midvariance. */
  rmsEstimator: z.enum(['mad', 'biweight']).default('mad'),
  /** A secondary peak inside an island is kept if it rises at least this many σ above its saddle. */
  deblendDropSigma: z.number().min(0).default(3),
  /** ...and lies at least this far (beam FWHM) from a stronger peak. */
  deblendMinSepBeams: z.number().min(0).default(0.5),
  /** A component is added at the residual peak while the residual exceeds this many σ. */
  residualSigma: z.number().positive().default(5),
  /**
   * In an island with several components, one whose fitted peak is below this many σ (the seed
   * level by default: each component must be a detection itself) is dropped and the rest refitted.
   * Removes splits of noise in blends; 0 keeps every component.
   */
  minComponentSnr: z.number().min(0).default(5),
  /** Cap on Gaussian components per island. */
  maxComponents: z.number().int().min(1).default(5),
  /** Lower bound of a fitted sigma, as a fraction of the beam minor sigma (1: nothing is fitted smaller than the beam). */
  minSizeBeamFraction: z.number().positive().default(1),
  /**
   * A single free fit elongated beyond 1.2 beams is also tried as two point sources along its axis
   * (unresolved blends with one peak); kept when it fits better (splitBlend.ts).
   */
  splitBlends: z.boolean().default(true),
  /**
   * Islands with several peaks are first fitted as point sources only, and kept so when freeing the
   * sizes could not pay their BIC penalty (fitIsland.ts pointBlendFirst): crowded fields' blends are
   * mostly of point sources, and the free multi-Gaussian fit is the finder's largest cost.
   */
  pointBlendsFirst: z.boolean().default(true),
  /** Levenberg–Marquardt iteration cap per fit. */
  maxFitIterations: z.number().int().min(1).default(100),
  /** Extra pixels (beam FWHM) around an island that enter its fit, so the fit is not truncated at the threshold. */
  fitMarginBeams: z.number().min(0).default(0.5),
  /**
   * Extended emission: smoothing scales (beam units) of the multi-scale search on the residual after the
   * compact fits, e.g. [2, 4, 8]. Empty = off (the default: in-memory runs only for now).
   */
  extendedScalesBeams: z.array(z.number().positive()).default([]),
  /** Seed and merge thresholds (σ of each smoothed map) of the extended search. */
  extendedSeedSigma: z.number().positive().default(5),
  extendedMergeSigma: z.number().positive().default(3),
  /**
   * Image-wide false-detection rate q (0 = off): of the islands above the seed, sorted by peak S/N,
   * the largest k are kept whose k-th S/N s has F(s) ≤ q·k, F = expected noise peaks above s in the
   * searched area for noise correlated like the beam (Benjamini–Hochberg; falseDetections.ts). A
   * noise-only 4000² map then gives no source, a field with thousands keeps its seed threshold.
   */
  falseDetectionRate: z.number().min(0).max(1).default(0.01),
  /**
   * Components whose integrated flux is below this many times its (Condon) error are dropped, and
   * islands left without one (0 = off). The seed is a peak criterion: a faint blob fitted with free
   * sizes can pass it with an unmeasured flux (~2-beam fits of noise bumps, positions off by half a
   * beam). Point-source fits have flux S/N = peak S/N, so this only bites free fits.
   */
  minFluxSnr: z.number().min(0).default(4),
});

export type FinderOptions = z.infer<typeof FinderOptionsSchema>;

/** Options with every default filled in. */
export function finderOptions(partial: Partial<FinderOptions> = {}): FinderOptions {
  return FinderOptionsSchema.parse(partial);
}

export interface BBox {
  /** Inclusive pixel bounds. */
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Ellipse {
  /** FWHM in pixels along the major/minor axes. */
  majorFwhmPx: number;
  minorFwhmPx: number;
  paDeg: number;
}

export interface IslandFlags {
  /** The island touches the border of the processed rectangle (it may be cut). */
  touchesEdge: boolean;
  /** A NaN pixel is 8-adjacent to the island. */
  nanNearby: boolean;
}

export interface Island {
  /** 1-based id, unique within one result (0 in a label map means "no island"). */
  id: number;
  npix: number;
  /** Background-subtracted peak (Jy/beam) and its pixel. */
  peak: number;
  peakX: number;
  peakY: number;
  /** Peak significance (σ). */
  snr: number;
  /** Background and noise at the peak (Jy/beam). */
  bkgAtPeak: number;
  rmsAtPeak: number;
  /** Σ(background-subtracted pixels) / beam area in pixels (Jy), and its noise error. */
  flux: number;
  fluxErr: number;
  /** Flux-weighted centroid (positive pixels only). */
  x: number;
  y: number;
  /** Second-moment ellipse of the positive flux. */
  ellipse: Ellipse;
  bbox: BBox;
  /** Outer contour at the merge threshold (marching squares), closed polygon [x0,y0,x1,y1,…]. */
  contour: number[];
  flags: IslandFlags;
}

export type FitQuality =
  /** Converged, no parameter on a bound. */
  | 'ok'
  /** Converged with a parameter on a bound (size at the minimum is normal for point sources). */
  | 'atBound'
  /** Hit the iteration cap; parameters are the best found. */
  | 'notConverged'
  /** The fit failed (singular or non-finite); values are the island's moments. */
  | 'failed';

export interface Component {
  /** 1-based within its island. */
  id: number;
  islandId: number;
  /** Peak (Jy/beam) and integrated flux (Jy) of the Gaussian. */
  peak: number;
  peakErr: number;
  flux: number;
  fluxErr: number;
  x: number;
  y: number;
  xErr: number;
  yErr: number;
  /** Fitted (convolved) size: sigmas and FWHM in pixels, PA (see module comment). */
  majorSigmaPx: number;
  minorSigmaPx: number;
  majorFwhmPx: number;
  minorFwhmPx: number;
  majorFwhmErrPx: number;
  minorFwhmErrPx: number;
  paDeg: number;
  paErrDeg: number;
  /** Deconvolved FWHM (pixels; 0 on an axis where the fit is not larger than the beam). */
  deconvMajorFwhmPx: number;
  deconvMinorFwhmPx: number;
  deconvPaDeg: number;
  /** Peak significance: peak / local rms. */
  snr: number;
  /** Reduced χ² of the island fit (shared by the island's components) and the iterations used. */
  chi2: number;
  redChi2: number;
  iterations: number;
  fitQuality: FitQuality;
  /** Fitted as a point source: size and PA pinned to the beam (the BIC preferred it to free sizes). */
  sizeFixed: boolean;
}

export interface BackgroundMaps {
  /** Per-pixel background and rms (Jy/beam), same shape as the plane. */
  bkg: Float32Array;
  rms: Float32Array;
}

export interface FinderResult {
  islands: Island[];
  components: Component[];
  /** Extended islands of the multi-scale search (present when extendedScalesBeams is not empty). */
  extended?: ExtendedIsland[];
  /** Median noise (Jy/beam) over the background grid nodes, a summary for reports. */
  medianRms: number;
  /** What the false-detection control did (absent in part runs, which keep every island for the merge). */
  falseDetections?: FalseDetectionSummary;
}
