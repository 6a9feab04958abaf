import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { ExportFormat, ExportFrame } from '../../shared/contract/catalogues';
import type { Catalogue, Source } from '../../shared/domain/source';
import type { PixelGeometry } from '../catalogue';
import { exportCatalogue } from '../export';
import type { CatalogueSummary as StoredSummary, Store } from '../store';
import { rowToComponent, rowToSource } from '../store/sourceColumns';

const SLICE = 20_000;

/**
 * Sources of a catalogue (or only `selected` store ids) with components and current labels, read in id
 * slices with one components query per slice — the store's `load()` runs one query per source, ~20×
 * slower at 10⁶ — and yielding between slices so an export does not stall the app.
 */
export async function loadSources(
  db: Database.Database,
  s: StoredSummary,
  range: { first: number; last: number } | null,
  selected: ReadonlySet<number> | null,
): Promise<Source[]> {
  const out: Source[] = [];
  if (!range) return out;
  // Raw arrays turned into objects here: better-sqlite3's own row objects (~50 keys) cost about twice as much.
  const sources = db.prepare(
    `SELECT s.*, l.sourceness AS l_sourceness, l.class AS l_class, l.morphology AS l_morphology, l.tags_json AS l_tags, l.notes AS l_notes
     FROM sources s LEFT JOIN labels l ON l.source_id = s.id WHERE s.id BETWEEN ? AND ? AND +s.catalogue_id = ? ORDER BY s.id`,
  ).raw();
  const names = sources.columns().map((c) => c.name);
  const idAt = names.indexOf('id');
  const toObject = (a: unknown[]): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = a[i];
    return o;
  };
  const comps = db.prepare('SELECT * FROM components WHERE source_id BETWEEN ? AND ? ORDER BY source_id, idx, id');
  for (let a = range.first; a <= range.last; a += SLICE) {
    const b = Math.min(range.last, a + SLICE - 1);
    const rows = sources.all(a, b, s.id) as unknown[][];
    const compRows = comps.all(a, b) as Record<string, unknown>[];
    let k = 0;
    for (const raw of rows) {
      const id = raw[idAt] as number;
      while (k < compRows.length && (compRows[k]!.source_id as number) < id) k++;
      const mine: Record<string, unknown>[] = [];
      while (k < compRows.length && compRows[k]!.source_id === id) mine.push(compRows[k++]!);
      if (selected && !selected.has(id)) continue;
      const r = toObject(raw);
      const source = rowToSource(r, s.finder);
      source.components = mine.map(rowToComponent);
      const labels: NonNullable<Source['labels']> = {};
      if (r.l_sourceness != null) labels.sourceness = r.l_sourceness as NonNullable<typeof labels.sourceness>;
      if (r.l_class != null) labels.class = r.l_class as string;
      if (r.l_morphology != null) labels.morphology = r.l_morphology as string;
      if (r.l_tags != null) labels.tags = JSON.parse(r.l_tags as string) as string[];
      if (r.l_notes != null) labels.notes = r.l_notes as string;
      if (Object.keys(labels).length > 0) source.labels = labels;
      out.push(source);
    }
    await new Promise((res) => setImmediate(res));
  }
  return out;
}

/** The normalized model of a catalogue restricted to `selected` ids (null = all), with current labels. */
export async function loadSelection(
  store: Store,
  s: StoredSummary,
  range: { first: number; last: number } | null,
  selected: ArrayLike<number> | null,
): Promise<Catalogue> {
  const cat: Catalogue = {
    version: 1, id: s.uid, name: s.name, finder: s.finder, createdAt: s.createdAt, frame: s.frame,
    sources: await loadSources(store.db, s, range, selected === null ? null : new Set(Array.from(selected))),
  };
  if (s.runId !== undefined) cat.runId = s.runId;
  if (s.imagePath !== undefined) cat.imagePath = s.imagePath;
  if (s.parameters !== undefined) cat.parameters = s.parameters;
  if (s.beam !== undefined) cat.beam = s.beam;
  return cat;
}

/** Write a selection with an exporter; `frame: 'image'` is DS9 only (1-based pixels). Resolves to the row count and warnings. */
export async function writeSelection(
  cat: Catalogue,
  format: ExportFormat,
  path: string,
  frame: ExportFrame | undefined,
  geo: PixelGeometry,
  extraColumns?: readonly { name: string; description: string }[],
): Promise<{ rows: number; warnings: string[] }> {
  if (frame === 'image' && format !== 'ds9') {
    throw new AppError('validation', `frame 'image' applies to DS9 regions only, not ${format} (${path})`, { format, frame });
  }
  const warnings = await exportCatalogue(cat, format, path, { wcs: geo.wcs, pixelScaleArcsec: geo.pixelScaleArcsec, frame, ...(extraColumns?.length ? { extraColumns } : {}) });
  return { rows: cat.sources.length, warnings };
}
