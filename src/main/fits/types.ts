import type { Beam, CardValue, HeaderCard, HeaderCards } from '../../shared/contract/images';

/** The BITPIX values FITS allows: unsigned 8, signed 16/32/64 integers, IEEE float32/float64. */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

export const BITPIX_VALUES: readonly Bitpix[] = [8, 16, 32, 64, -32, -64];

export function isBitpix(value: unknown): value is Bitpix {
  return typeof value === 'number' && (BITPIX_VALUES as readonly number[]).includes(value);
}

export interface FitsHeader {
  /** Every card in order (commentary included; CONTINUE joined into its card). */
  cards: HeaderCard[];
  /** Keyword -> value (non-commentary, last wins). */
  values: HeaderCards;
  /** The raw 80-char card images (up to and including END), for a header viewer. */
  text: string[];
  get(key: string): CardValue | undefined;
  getNumber(key: string): number | undefined;
  getString(key: string): string | undefined;
}

export interface HduSummary {
  /** 0-based HDU index in the file. */
  index: number;
  kind: 'image' | 'bintable' | 'table' | 'other';
  extname?: string;
  bitpix: number;
  /** NAXIS1, NAXIS2, … (empty when NAXIS = 0). */
  axes: number[];
  /** Byte offset of the first header card. */
  headerOffset: number;
  /** Byte offset of the first data byte (header padded to 2880). */
  dataOffset: number;
  /** Size of the data without padding: |BITPIX|/8 × GCOUNT × (PCOUNT + ΠNAXISn). */
  dataBytes: number;
}

export interface OpenOptions {
  /** 0-based HDU; default: the first HDU with NAXIS >= 2 image data. */
  hdu?: number;
  /** 0-based index along axes 3.. (default all 0). */
  plane?: number[];
}

export interface FitsImage {
  readonly path: string;
  readonly hdu: number;
  readonly header: FitsHeader;
  /** NAXIS1 and NAXIS2. */
  readonly width: number;
  readonly height: number;
  readonly bitpix: Bitpix;
  /** CTYPE and length of NAXIS3, NAXIS4, … */
  readonly planeAxes: { ctype: string; length: number }[];
  /** The selected index along each plane axis (0-based). */
  readonly plane: number[];
  /** BUNIT trimmed, '' when absent. */
  readonly bunit: string;
  readonly beam: Beam | null;
  /** Recoverable oddities found while reading the header (BLANK on a float image, missing padding…). */
  readonly warnings: string[];
  readonly fileSizeBytes: number;
  readonly mtimeMs: number;
  /** Byte offset in the file of the selected plane's first pixel, and bytes per pixel. */
  readonly planeOffset: number;
  readonly bytesPerPixel: number;
  /** Physical values (BSCALE/BZERO applied, BLANK -> NaN) of Pixel0 rows [y0, y0+count), row y0 first, row-major. */
  readRows(y0: number, count: number, out?: Float32Array): Promise<Float32Array>;
  /** Rectangle x in [x0, x0+w), y in [y0, y0+h), row y0 first. Clipped parts outside the image are NaN. */
  readRegion(x0: number, y0: number, w: number, h: number, out?: Float32Array): Promise<Float32Array>;
  /** Value at the nearest pixel of Pixel0 (x, y); null for NaN/BLANK/outside. */
  readPixel(x: number, y: number): Promise<number | null>;
  close(): Promise<void>;
}

export interface WriteImageOptions {
  width: number;
  height: number;
  /** Default -32. Integer types store round((v - BZERO) / BSCALE) using BSCALE/BZERO/BLANK from `cards`. */
  bitpix?: -32 | -64 | 16 | 32 | 8;
  /** Extra cards after the mandatory ones (WCS, BMAJ, BUNIT, HISTORY...). */
  cards?: HeaderCard[];
  /** Either the whole image (row y=0 first) or a generator of consecutive row blocks, y=0 first. */
  data: Float32Array | AsyncIterable<Float32Array> | Iterable<Float32Array>;
}
