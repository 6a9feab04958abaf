/**
 * Region filters and session files of the catalogue review (issue 4 items 4 and 7). Agreed between the
 * backend (src/main/review/regionFilter*.ts, session*.ts) and the renderer; methods in api.ts.
 */

/**
 * A shape drawn on the image, in Pixel0 (0-based, 0 = centre of the first pixel). Angles are degrees
 * counter-clockwise from +x in IMAGE pixel coordinates (as DS9's image-frame angles). `exclude` = DS9's
 * `-` prefix: sources inside are removed from the result.
 */
export type DrawnShape =
  | { kind: 'polygon'; points: [number, number][]; exclude?: boolean }
  /** Centre x/y, FULL width/height in pixels. */
  | { kind: 'box'; x: number; y: number; width: number; height: number; angleDeg?: number; exclude?: boolean }
  | { kind: 'circle'; x: number; y: number; radius: number; exclude?: boolean };

/** Current format of session files (`format: 'cirasa-session'`). */
export const SESSION_FORMAT = 'cirasa-session';
export const SESSION_FORMAT_VERSION = 1;

export interface SessionImage {
  path: string;
  /** 0-based HDU (absent = first image HDU). */
  hdu?: number;
  /** 0-based indices beyond the second axis. */
  plane?: number[];
}

/** What the renderer contributes to a session (session.save input; session.load answers it, ids mapped). */
export interface SessionState {
  image?: SessionImage;
  /** Centre of the view (Pixel0) and zoom (screen pixels per image pixel). */
  view?: { centre: { x: number; y: number }; zoom: number };
  /** Display settings (stretch, clip, colormap...), free form. */
  display?: Record<string, unknown>;
  /** Catalogues shown, with their overlay style (free form, e.g. colour, visible). Absent = every catalogue in the store. */
  catalogues?: { catalogueId: number; style?: Record<string, unknown> }[];
  activeCatalogueId?: number | null;
  /** Filter expression of the active catalogue. */
  filter?: string;
}

export interface SessionCatalogue {
  /** Id in the store at save time; labels, subsets and state refer to it. */
  catalogueId: number;
  name: string;
  finder: string;
  /** The catalogue's own id (Catalogue.id): with name and sourceCount it recognises the catalogue in another store. */
  uid: string;
  sourceCount: number;
  /** Absolute path of the file it was imported from (null if unknown: it can then only be matched, not re-imported). */
  sourcePath: string | null;
  /** Reader format given at import (absent = detected). */
  format?: string;
  /** Column mapping the catalogue was imported with (a foreign CSV: catalogue.import csvMapping). */
  csvMapping?: Record<string, unknown>;
  imagePath: string | null;
  style?: Record<string, unknown>;
}

/** The labels of one source, keyed by the finder's source key (Source.id) within its catalogue. */
export interface SessionLabel {
  catalogueId: number;
  key: string;
  /** Source name, for people reading the file and as a fallback key. */
  name?: string;
  sourceness?: string;
  class?: string;
  morphology?: string;
  notes?: string;
  who: string;
  /** ISO 8601 UTC of the last change. */
  at: string;
}

/** A named subset: its members by source key (and the expression that made it, if any). */
export interface SessionSubset {
  catalogueId: number;
  name: string;
  expression?: string;
  keys: string[];
}

export interface SessionComputedColumn {
  catalogueId: number;
  name: string;
  expression: string;
}

export interface SessionFile {
  format: typeof SESSION_FORMAT;
  version: number;
  savedAt: string;
  catalogues: SessionCatalogue[];
  labels: SessionLabel[];
  subsets: SessionSubset[];
  computedColumns: SessionComputedColumn[];
  state: SessionState;
}

export interface SessionSaveResult {
  path: string;
  catalogues: number;
  labels: number;
}

export interface SessionLoadResult {
  path: string;
  /** The state to restore, catalogue ids mapped onto the current store (catalogues that could not be restored are left out). */
  state: SessionState;
  /** Catalogue id in the file → id in this store. */
  catalogueIds: Record<string, number>;
  /** Catalogues imported because no matching one was in the store. */
  imported: number;
  /** Label fields written (fields already holding the saved value are not counted). */
  labelsApplied: number;
  /** What could not be restored, one sentence each (missing image or catalogue file, unknown source keys...). */
  warnings: string[];
}

/** A named subset of a catalogue (subsets.* methods). */
export interface SubsetInfo {
  catalogueId: number;
  name: string;
  /** The filter that made it, if any (members are fixed when saved). */
  expression?: string;
  memberCount: number;
  updatedAt: string;
}

/** A user-defined column `name = expression` of a catalogue (columns.* methods). */
export interface ComputedColumn {
  catalogueId: number;
  name: string;
  expression: string;
}
