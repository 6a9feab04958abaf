import { AppError } from '../../shared/contract/errors';
import type { ExportFormat, ExportFrame } from '../../shared/contract/catalogues';
import type { Catalogue } from '../../shared/domain/source';
import type { PixelGeometry } from '../catalogue';
import { exportCatalogue } from '../export';
import type { Store } from '../store';

/** The catalogue as the normalized model, restricted to `sourceIds` (ascending or not; null = all), with current labels. */
export function loadSelection(store: Store, catalogueId: number, sourceIds: ArrayLike<number> | null): Catalogue {
  const cat = store.catalogues.load(catalogueId);
  if (sourceIds === null) return cat;
  const wanted = new Set<number>(Array.from(sourceIds));
  // load() returns the sources in store-id order: pair them with the ids in that same order.
  const ids = store.db.prepare('SELECT id FROM sources WHERE catalogue_id = ? ORDER BY id').pluck().all(catalogueId) as number[];
  cat.sources = cat.sources.filter((_, i) => wanted.has(ids[i]!));
  return cat;
}

/** Write a selection with an exporter; `frame: 'image'` is DS9 only (1-based pixels). Resolves to the row count and warnings. */
export async function writeSelection(
  cat: Catalogue,
  format: ExportFormat,
  path: string,
  frame: ExportFrame | undefined,
  geo: PixelGeometry,
): Promise<{ rows: number; warnings: string[] }> {
  if (frame === 'image' && format !== 'ds9') {
    throw new AppError('validation', `frame 'image' applies to DS9 regions only, not ${format} (${path})`, { format, frame });
  }
  const warnings = await exportCatalogue(cat, format, path, { wcs: geo.wcs, pixelScaleArcsec: geo.pixelScaleArcsec, frame });
  return { rows: cat.sources.length, warnings };
}
