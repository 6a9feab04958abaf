/**
 * Types of the image domain as they cross the contract. Pixel conventions: every pixel coordinate
 * here is `Pixel0` (0-based, 0 = centre of the first pixel, as astropy) unless a name says `Fits`.
 */

/** A header card value as parsed from FITS: strings unquoted, logicals as booleans, numbers as numbers. */
export type CardValue = string | number | boolean;

export interface HeaderCard {
  /** Keyword (HIERARCH keywords without the `HIERARCH ` prefix); '' for blank cards. */
  key: string;
  /** Undefined for commentary cards (COMMENT, HISTORY, blank) and for undefined values. */
  value?: CardValue;
  /** Card comment, or the text of a commentary card. */
  comment?: string;
}

/** Keyword → value for the non-commentary cards of one HDU (last occurrence wins; CONTINUE already joined). */
export type HeaderCards = Record<string, CardValue>;

/** Restoring beam: FWHM in degrees, position angle in degrees east of north. */
export interface Beam {
  bmajDeg: number;
  bminDeg: number;
  bpaDeg: number;
  /** Where the beam was found: BMAJ keywords, CLEANBMJ keywords or AIPS HISTORY. */
  source: 'BMAJ' | 'CLEANBMJ' | 'HISTORY';
}

export interface ImageStats {
  /**
   * Finite min / max over the sample. Stats come from a SAMPLE read at open time, never a full pass:
   * ~1 M pixels of evenly spaced whole full-resolution rows (all rows of small images), so the true
   * extremes of a big image may lie outside [min, max].
   */
  min: number;
  max: number;
  /** Number of finite and non-finite (NaN/blank) pixels in the sample. */
  finiteCount: number;
  nanCount: number;
  /**
   * Quantiles of the finite sample at 0, 0.05 %, 0.10 %, …, 100 % (2001 values, step 0.05 %).
   * Percentile clips (90 … 99.9 %) and histogram equalisation are derived from these in the renderer.
   */
  quantiles: number[];
  /** DS9-style zscale limits (IRAF algorithm, contrast 0.25, 600 samples per line like DS9). */
  zscale: { z1: number; z2: number };
  /** Histogram of the finite sample: `counts.length` equal bins between `lo` and `hi`. */
  histogram: { lo: number; hi: number; counts: number[] };
  mean: number;
  median: number;
  /** Robust rms: 1.4826 × MAD of the sample. */
  rmsMad: number;
}

export interface PyramidInfo {
  /** Tile side in pixels (256). */
  tileSize: number;
  /** Number of levels; level k is the NaN-aware block mean of 2^k × 2^k pixels, level 0 = full resolution. */
  levels: number;
  /** True once every level is built (tiles of unbuilt levels answer after the build reaches them). */
  ready: boolean;
  /** True when the pyramid came from the on-disk cache. */
  cached: boolean;
}

export interface ImageInfo {
  /** Opaque id for this open image (a path+hdu+plane+mtime key); used in tile URLs and other calls. */
  imageId: string;
  path: string;
  fileName: string;
  fileSizeBytes: number;
  /** 0-based HDU index in the file. */
  hdu: number;
  /** Index along each axis beyond the second (0-based), e.g. [channel, stokes]. */
  plane: number[];
  /** NAXIS3, NAXIS4… (the lengths of the axes beyond the second). */
  planeAxes: { ctype: string; length: number }[];
  width: number;
  height: number;
  bitpix: number;
  bunit: string;
  beam: Beam | null;
  /** Cards for building the WCS in the renderer (pure code, same module as main). */
  cards: HeaderCards;
  /** The whole header as 80-character card images, for the header viewer. */
  headerText: string[];
  /** Short description like "RA---SIN / DEC--SIN, FK5 J2000" or null when no celestial WCS. */
  wcsSummary: string | null;
  stats: ImageStats;
  pyramid: PyramidInfo;
  /** Recoverable oddities found while reading (a header fixed on read, BLANK on a float image…). */
  warnings: string[];
}

export interface RecentFile {
  path: string;
  fileName: string;
  openedAt: string;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'file' | 'dir';
  sizeBytes: number;
}

export interface PixelValue {
  /** Pixel0 coordinates of the pixel whose value this is (nearest integer). */
  x: number;
  y: number;
  /** Physical value (BSCALE/BZERO applied); null for NaN / BLANK / outside the image. */
  value: number | null;
}
