/**
 * The normalized source catalogue: every finder's output (built-in, SExtractor, CAESAR, ...) is mapped
 * onto this model, and every exporter reads only this model. Pure and serializable: plain objects of
 * numbers, strings and arrays, so it crosses IPC/HTTP as JSON.
 *
 * Conventions (see architecture.md §1, §5):
 * - Pixels are `Pixel0`: 0-based, 0 = centre of the first pixel (astropy). DS9/FITS 1-based pixels
 *   appear only inside readers/exporters.
 * - `ra`/`dec` are degrees in the catalogue's `frame` (for `galactic` they hold l/b, as CAESAR does).
 *   `glon`/`glat` are Galactic l/b when known, whatever the frame.
 * - Sizes are FULL widths at half maximum (FWHM) in arcsec (`bmajArcsec` ≥ `bminArcsec`); `bmajPx`/
 *   `bminPx` the same in pixels along the fitted axes.
 * - `paDeg`: position angle of the major axis in degrees EAST OF NORTH on the sky, normalised to
 *   [0, 180). `thetaPxDeg`: the same axis in the image, counter-clockwise from the +x axis, [0, 180).
 * - Fluxes: `peak` Jy/beam, `flux` Jy (integrated). Errors are 1σ, same unit as their value.
 * - Missing values are ABSENT (never NaN/Infinity, which JSON cannot carry): readers drop non-finite
 *   numbers.
 */
import type { SkyFrame } from './coords';
import type { SourceLabels } from './labels';

export const CATALOGUE_FORMAT_VERSION = 1;

export type SourceType = 'point' | 'extended' | 'component';
export type FitQuality = 'BAD' | 'LOW' | 'MEDIUM' | 'HIGH' | 'UNKNOWN';
export const FIT_QUALITIES: readonly FitQuality[] = ['BAD', 'LOW', 'MEDIUM', 'HIGH', 'UNKNOWN'];

/** Finder-specific values kept verbatim (column name → value), e.g. SExtractor's raw FLUX_AUTO in ADU. */
export type Extra = Record<string, number | string | boolean>;

/** Fields shared by islands and fitted components. Every field but x/y is optional. */
export interface Measurement {
  /** Centre, Pixel0. */
  x: number;
  y: number;
  xErrPx?: number;
  yErrPx?: number;
  /** Centre in the catalogue frame, degrees. */
  ra?: number;
  dec?: number;
  /** 1σ errors, degrees (RA error is along the great circle, i.e. already × cos dec when known). */
  raErr?: number;
  decErr?: number;
  glon?: number;
  glat?: number;
  /** Peak brightness, Jy/beam. */
  peak?: number;
  peakErr?: number;
  /** Integrated flux density, Jy. */
  flux?: number;
  fluxErr?: number;
  snr?: number;
  /** Ellipse FWHM axes on the sky (arcsec) and position angle (deg E of N, [0,180)). */
  bmajArcsec?: number;
  bminArcsec?: number;
  paDeg?: number;
  bmajErrArcsec?: number;
  bminErrArcsec?: number;
  paErrDeg?: number;
  /** Beam-deconvolved ellipse; absent when not deconvolvable. */
  deconvBmajArcsec?: number;
  deconvBminArcsec?: number;
  deconvPaDeg?: number;
  /** Ellipse in the image: FWHM axes in pixels and angle CCW from +x (deg, [0,180)). */
  bmajPx?: number;
  bminPx?: number;
  thetaPxDeg?: number;
  labels?: SourceLabels;
  extra?: Extra;
}

/** A fitted 2-D Gaussian inside a source. */
export interface Component extends Measurement {
  /** Unique within the catalogue, e.g. `S1_fitcomp1`. */
  id: string;
  /** 1-based index within its source. */
  index: number;
  /** Fit χ² and degrees of freedom (of the island fit when the finder reports only that). */
  chi2?: number;
  ndf?: number;
  fitQuality?: FitQuality;
}

/** A source = an island (connected pixels above threshold) and its fitted components. */
export interface Source extends Measurement {
  /** Unique within the catalogue. */
  id: string;
  /** Finder's name (S1, 12, ...). */
  name: string;
  iauName?: string;
  finder: string;
  runId?: string;
  type: Exclude<SourceType, 'component'>;
  /** Island id: sources sharing an island (deblended, nested) share it. */
  islandId: string;
  /** Id of the enclosing source for nested sources (CAESAR `S1_N1`). */
  parentId?: string;
  npix?: number;
  /** Island outer contour, Pixel0 vertices, not explicitly closed. */
  contour?: [number, number][];
  /** Bounding box, Pixel0, inclusive. */
  bbox?: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** Finder flags (SExtractor FLAGS bits; CAESAR border=1). */
  flags?: number;
  fitQuality?: FitQuality;
  chi2?: number;
  ndf?: number;
  /** Mean background and noise over the island, Jy/beam. */
  bkg?: number;
  rms?: number;
  components: Component[];
}

/** Restoring beam: FWHM axes in arcsec, PA deg E of N. */
export interface CatalogueBeam {
  bmajArcsec: number;
  bminArcsec: number;
  paDeg: number;
}

export interface Catalogue {
  /** Format version of this model (bump on breaking change). */
  version: number;
  id: string;
  name: string;
  /** Finder that produced it: 'cirasa', 'sextractor', 'caesar', ... */
  finder: string;
  runId?: string;
  imagePath?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Finder parameters as given (free form, JSON-serializable). */
  parameters?: Record<string, unknown>;
  beam?: CatalogueBeam;
  /** Frame of every `ra`/`dec` in the catalogue. */
  frame: SkyFrame;
  sources: Source[];
}

/** Fold an axis angle (deg) into [0, 180): an ellipse axis has no direction. */
export function foldAxisAngle(deg: number): number {
  const a = deg % 180;
  return a < 0 ? a + 180 : a === 0 ? 0 : a;
}

export function makeCatalogue(fields: Partial<Catalogue> & Pick<Catalogue, 'name' | 'finder' | 'sources'>): Catalogue {
  const out: Catalogue = {
    ...fields,
    version: CATALOGUE_FORMAT_VERSION,
    id: fields.id ?? fields.name,
    createdAt: fields.createdAt ?? new Date().toISOString(),
    frame: fields.frame ?? 'fk5',
  };
  // Optional fields given as undefined are dropped so the JSON form is stable.
  for (const k of Object.keys(out) as (keyof Catalogue)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Each source then each of its components: the row order of flat exports (CSV, VOTable). Component rows
 * have type 'component' and their source's island id, so `type != component` selects the islands.
 */
export function* walkRows(cat: Catalogue): Generator<{ source: Source; component?: Component }> {
  for (const source of cat.sources) {
    yield { source };
    for (const component of source.components) yield { source, component };
  }
}
