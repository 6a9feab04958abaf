/** Exporters: the normalized catalogue → CSV, JSON, VOTable 1.4, DS9 regions. One registry. */
import { AppError } from '../../shared/contract/errors';
import type { Catalogue } from '../../shared/domain/source';
import type { ExportOptions, Exporter } from './types';
import { csvExporter } from './csvExporter';
import { jsonExporter } from './jsonExporter';
import { votableExporter } from './votableExporter';
import { ds9Exporter } from './ds9Exporter';

export type { ExportOptions, ExportResult, Exporter } from './types';
export { csvExporter, jsonExporter, votableExporter, ds9Exporter };

export const EXPORTERS: readonly Exporter[] = [csvExporter, jsonExporter, votableExporter, ds9Exporter];

export function getExporter(id: string): Exporter {
  const e = EXPORTERS.find((x) => x.id === id);
  if (!e) throw new AppError('validation', `Unknown export format '${id}' (known: ${EXPORTERS.map((x) => x.id).join(', ')})`, { format: id });
  return e;
}

/** Write `cat` as format `id` to `outPath`; resolves to the exporter's warnings. */
export function exportCatalogue(cat: Catalogue, id: string, outPath: string, opts: ExportOptions = {}): Promise<string[]> {
  return getExporter(id).write(cat, outPath, opts);
}
