/** The catalogue-reader plugin interface (one per foreign format) and its options. */
import type { CsvMapping } from '../../shared/contract/catalogues';
import type { Catalogue, CatalogueBeam } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import type { PixelGeometry } from './skyGeometry';

export interface ReadOptions extends PixelGeometry {
  /** Force a reader by id instead of detecting. */
  format?: string;
  /** Restoring beam: converts pixel sums (SExtractor FLUX_*, Jy/beam × px) to Jy. */
  beam?: CatalogueBeam;
  /** Frame of sky positions in formats that do not say (CAESAR `regionwcs`); default fk5. */
  frame?: SkyFrame;
  /** Catalogue name; default the file name. */
  name?: string;
  /** Column mapping of a foreign delimited table (implies the csv reader). */
  csvMapping?: CsvMapping;
}

export interface CatalogueReader {
  /** Stable id, used by `--format` and in errors: 'sextractor-ascii', 'caesar-json', ... */
  id: string;
  /** Cheap check on the file name and its first bytes (up to 4 KiB). */
  detect(path: string, head: Buffer): boolean;
  /** Throws AppError('catalogue.parseFailed') naming the file, line and column/field. */
  read(path: string, opts: ReadOptions): Promise<Catalogue>;
}
