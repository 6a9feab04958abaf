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

/** Current format of session files. */
export const SESSION_FORMAT_VERSION = 1;

export interface SessionImage {
  path: string;
  /** 0-based HDU (absent = first image HDU). */
  hdu?: number;
  /** 0-based indices beyond the second axis. */
  plane?: number[];
}

export interface SessionCatalogue {
  /** Id in the store at save time (after load: the id in the current store). Labels refer to it. */
  catalogueId: number;
  name: string;
  finder: string;
  /** The catalogue's own id (Catalogue.id), used with name and sourceCount to recognise it in another store. */
  uid: string;
  sourceCount: number;
  /** The file it was imported from (null if unknown: it can then only be matched, not re-imported). */
  sourcePath: string | null;
  format?: string;
  imagePath: string | null;
  /** Renderer overlay style (free form, JSON). */
  style?: Record<string, unknown>;
}

/** The labels of one source, keyed by the finder's source id (Source.id), with who/when of the last change. */
export interface SessionLabel {
  catalogueId: number;
  key: string;
  sourceness?: string;
  class?: string;
  morphology?: string;
  notes?: string;
  who: string;
  /** ISO 8601 UTC. */
  at: string;
}

export interface SessionView {
  imagePath: string;
  /** Centre of the view, Pixel0. */
  centre: { x: number; y: number };
  /** Screen pixels per image pixel. */
  zoom: number;
}

export interface SessionFile {
  version: number;
  savedAt: string;
  images: SessionImage[];
  catalogues: SessionCatalogue[];
  labels: SessionLabel[];
  view?: SessionView;
  /** Renderer display settings (scale, colormap...), free form. */
  display?: Record<string, unknown>;
}

export interface SessionSaveResult {
  path: string;
  catalogues: number;
  labels: number;
}

export interface SessionLoadResult {
  /** The session with catalogue ids mapped onto the current store. */
  session: SessionFile;
  /** Catalogues imported because no matching one was in the store. */
  imported: number;
  /** Label fields written (fields already holding the saved value are not counted). */
  labelsApplied: number;
  /** Labels or catalogues that could not be restored, one sentence each. */
  warnings: string[];
}
