/**
 * The catalogue review contract: catalogues in the store, their rows for the table, labels, the review
 * queue and export. Agreed between the backend (src/main/review) and the renderer; see api.ts for the
 * methods and resources.ts for the binary overlay resource.
 */
import type { Source } from '../domain/source';

export interface CatalogueSummary {
  catalogueId: number;
  name: string;
  finder: string;
  imagePath: string | null;
  sourceCount: number;
  componentCount: number;
  createdAt: string;
}

export interface ColumnInfo {
  name: string;
  unit: string;
  kind: 'number' | 'string';
  description: string;
}

/** Rows for the table: values by column name; sourceId is the store's integer id (stable). */
export interface SourceRow {
  sourceId: number;
  values: Record<string, number | string | null>;
}

export type LabelField = 'sourceness' | 'class' | 'morphology' | 'notes';
export const LABEL_FIELD_LIST = ['sourceness', 'class', 'morphology', 'notes'] as const satisfies readonly LabelField[];

export interface LabelChange {
  sourceIds: number[];
  field: LabelField;
  value: string | null;
}

export interface UndoDepths {
  undoDepth: number;
  redoDepth: number;
}

export interface UndoResult extends UndoDepths {
  changedSourceIds: number[];
}

export interface QueryResult {
  total: number;
  rows: SourceRow[];
}

/** `idsBase64`: an Int32Array (little-endian) of sourceIds, ascending, base64-encoded. */
export interface FilterIdsResult {
  count: number;
  idsBase64: string;
}

export interface SourceDetail {
  row: SourceRow;
  /** The full model, including contour and components. */
  source: Source;
}

export type VocabularyName = 'sourceness' | 'class' | 'morphology';
export type Vocabularies = Record<VocabularyName, string[]>;

export type ReviewOrder = 'snr-desc' | 'snr-asc' | 'flux-desc';
export interface ReviewQueue {
  sourceIds: number[];
  total: number;
  labelled: number;
}

export type ExportFormat = 'ds9' | 'votable' | 'csv' | 'json';
export type ExportFrame = 'fk5' | 'icrs' | 'galactic' | 'image';
export interface ExportResult {
  path: string;
  rows: number;
}

/** Codes of the overlay's labelCode array (sourceness). */
export const OVERLAY_LABEL_CODES = { none: 0, REAL: 1, FAKE: 2, CANDIDATE: 3 } as const;
/** Codes of the overlay's type array. */
export const OVERLAY_TYPE_CODES = { point: 0, extended: 1, component: 2 } as const;

/**
 * Decoded overlay body (GET overlayPath(...)). Wire layout, little-endian: uint32 n, then Int32 ids[n],
 * Float32 x[n], y[n] (Pixel0), majorPx[n], minorPx[n] (FWHM pixels; 0 if unknown), angleDeg[n] (ellipse
 * major axis in IMAGE pixel coordinates, counter-clockwise from +x), Uint8 labelCode[n], Uint8 type[n],
 * each array starting at a multiple of 4 bytes (zero padding between arrays).
 */
export interface OverlayArrays {
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  majorPx: Float32Array;
  minorPx: Float32Array;
  angleDeg: Float32Array;
  labelCode: Uint8Array;
  type: Uint8Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Byte size of an overlay body of n sources. */
export function overlayByteLength(n: number): number {
  return 4 + 6 * 4 * n + 2 * pad4(n);
}

/** Decode an overlay body (pure; renderer and tests). Views share `buf` where aligned. */
export function decodeOverlay(buf: ArrayBufferLike, byteOffset = 0): OverlayArrays {
  const n = new DataView(buf, byteOffset, 4).getUint32(0, true);
  if (buf.byteLength - byteOffset < overlayByteLength(n)) throw new RangeError(`overlay body truncated: ${n} sources need ${overlayByteLength(n)} bytes`);
  let off = byteOffset + 4;
  const f32 = (): Float32Array => {
    const a = new Float32Array(buf, off, n);
    off += 4 * n;
    return a;
  };
  const ids = new Int32Array(buf, off, n);
  off += 4 * n;
  const x = f32(), y = f32(), majorPx = f32(), minorPx = f32(), angleDeg = f32();
  const labelCode = new Uint8Array(buf, off, n);
  off += pad4(n);
  const type = new Uint8Array(buf, off, n);
  return { ids, x, y, majorPx, minorPx, angleDeg, labelCode, type };
}

/** Byte size of an overlay column body (`overlayPath(id, filter, column)`) of n entries. */
export function overlayColumnByteLength(n: number): number {
  return 4 + 4 * n;
}

/**
 * Decode an overlay column body: uint32 n, then Float32 values[n] (little-endian; NaN = missing), one per
 * entry of the overlay of the same filter, in its order (a component entry carries its source's value).
 */
export function decodeOverlayColumn(buf: ArrayBufferLike, byteOffset = 0): Float32Array {
  const n = new DataView(buf, byteOffset, 4).getUint32(0, true);
  if (buf.byteLength - byteOffset < overlayColumnByteLength(n)) throw new RangeError(`overlay column truncated: ${n} values need ${overlayColumnByteLength(n)} bytes`);
  return new Float32Array(buf, byteOffset + 4, n);
}

/** Decode `FilterIdsResult.idsBase64` (works in the browser and in Node). */
export function decodeIdsBase64(b64: string): Int32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int32Array(bytes.buffer, 0, bytes.length >> 2);
}

/** Units a mapped CSV's flux (Jy) or peak (Jy/beam) column may be in. */
export type CsvFluxUnit = 'Jy' | 'mJy' | 'uJy';
/** Units of a mapped CSV's size columns (FWHM); 'px' = image pixels. */
export type CsvSizeUnit = 'arcsec' | 'arcmin' | 'deg' | 'px';

/**
 * Which columns of a foreign CSV/TSV carry what (the open-catalogue dialog's column mapping). Positions
 * are either sky (RA/Dec in decimal degrees or sexagesimal, RA in hours when sexagesimal; the catalogue
 * frame) or pixel (x/y, 0-based as Pixel0 or 1-based as FITS/DS9). The image WCS fills the other pair.
 */
export interface CsvMapping {
  position: { kind: 'sky'; ra: string; dec: string } | { kind: 'pixel'; x: string; y: string; base: 0 | 1 };
  name?: string;
  flux?: string;
  fluxUnit?: CsvFluxUnit;
  peak?: string;
  peakUnit?: CsvFluxUnit;
  snr?: string;
  bmaj?: string;
  bmin?: string;
  sizeUnit?: CsvSizeUnit;
  /** Position angle column, degrees east of north. */
  pa?: string;
}

/** The head of a delimited text file, for the column-mapping dialog. */
export interface CsvPreview {
  path: string;
  /** ',' '\t' ';' or ' ' (runs of blanks). */
  delimiter: string;
  columns: string[];
  /** Up to 5 data rows, cells as written. */
  samples: string[][];
  /** The mapping guessed from the column names (null position = none found). */
  guess: Partial<CsvMapping>;
  /** True when the file is our own CSV (read without a mapping). */
  native: boolean;
}
