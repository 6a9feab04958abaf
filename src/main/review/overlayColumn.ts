import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { EXTRA_FILTER_COLUMNS, TABLE_COLUMNS } from '../../shared/filter';
import type { CatalogueSummary as StoredSummary } from '../store';
import type { CatalogueColumns } from './columnCache';
import type { CatalogueDefinitions } from './sessionDefinitions';
import { columnSql } from './sourceSql';

/** Stored columns a colour or size rule can read (numeric source columns, not labels). */
const NUMBER_COLUMNS = new Set(
  [...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].filter((c) => c.kind === 'number' && !columnSql(c.name).startsWith('l.')).map((c) => c.name),
);

/**
 * Value by source id (NaN = missing) of the numeric column a colour/size rule reads: a stored column from
 * the in-memory columns when the catalogue has them, else one SQL scan of the catalogue's id range; a
 * computed column (the catalogue's own definitions) by one SQL scan of its expression.
 */
export async function overlayColumnValues(
  db: Database.Database,
  s: StoredSummary,
  range: { first: number; last: number } | null,
  cols: CatalogueColumns | null,
  definitions: CatalogueDefinitions,
  column: string,
): Promise<(sourceId: number) => number> {
  const computed = definitions.computedSql(s.id, s.beam, column) ?? definitions.computedSql(s.id, s.beam, column.toLowerCase());
  const name = column.toLowerCase();
  if (!computed && !NUMBER_COLUMNS.has(name)) {
    throw new AppError('validation', `cannot style by '${column}': not a numeric column of catalogue ${s.id}`, { column });
  }
  if (!computed && cols) {
    await cols.prefetch([name]);
    const col = cols.column(name) as Float64Array;
    const first = cols.firstId;
    return (id) => col[id - first] ?? Number.NaN;
  }
  const r = range ?? { first: 1, last: 0 };
  const [sql, params] = computed ? [computed.sql, computed.params] : [columnSql(name), []];
  const from = computed ? 'sources s LEFT JOIN labels l ON l.source_id = s.id' : 'sources s';
  const rows = db.prepare(`SELECT s.id, ${sql} FROM ${from} WHERE s.id BETWEEN ? AND ? AND +s.catalogue_id = ?`)
    .raw().all(...params, r.first, r.last, s.id) as [number, unknown][];
  const byId = new Map<number, number>();
  for (const [id, v] of rows) if (typeof v === 'number' && Number.isFinite(v)) byId.set(id, v);
  return (id) => byId.get(id) ?? Number.NaN;
}
