/** The exporter plugin interface: every writer reads only the normalized catalogue model. */
import type { Catalogue } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import type { PixelGeometry } from '../catalogue/skyGeometry';

export interface ExportOptions extends PixelGeometry {
  /** Frame of written sky positions (and PAs): default the catalogue's. DS9 also takes 'image' (1-based pixels). */
  frame?: SkyFrame | 'image';
  /** VOTable serialization: TABLEDATA (default) or BINARY2. */
  encoding?: 'tabledata' | 'binary2';
  /**
   * Numeric columns beyond the model (the review's computed columns), written after the standard ones by
   * CSV and VOTable from each source's `extra[name]` (component rows blank); a name the table already has is skipped.
   */
  extraColumns?: readonly { name: string; description: string }[];
}

export interface ExportResult {
  data: string;
  /** What could not be written (e.g. a contour without a WCS for a sky-frame region file). */
  warnings: string[];
}

export interface Exporter {
  /** 'csv', 'json', 'votable', 'ds9'. */
  id: string;
  /** File extension without dot. */
  extension: string;
  render(catalogue: Catalogue, opts?: ExportOptions): ExportResult;
  /** Render and write to a file; resolves to the warnings. */
  write(catalogue: Catalogue, outPath: string, opts?: ExportOptions): Promise<string[]>;
}
