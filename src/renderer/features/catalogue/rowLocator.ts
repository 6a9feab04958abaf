import { decodeIdsBase64, type SourceRow } from '../../../shared/contract/catalogues';
import { call } from '../../api/client';

export interface TableQuery {
  catalogueId: number;
  filter: string;
  sort: { column: string; descending: boolean } | null;
}

/** Index of the first element ≥ v in an ascending array. */
export function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A literal of the filter language for a value (strings single-quoted, SQL style: '' is one quote). */
export function filterLiteral(v: number | string): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

const and = (filter: string, clause: string): string => (filter.trim() ? `(${filter}) && ${clause}` : clause);

/**
 * Where a source sits in the table (0-based row), so a click on the image can scroll the table to it.
 * Unsorted tables list sources by ascending id (as filterIds answers them): a binary search. Sorted
 * ones: count the rows strictly before its value, then look for it in the pages from there.
 */
export async function locateRow(q: TableQuery, sourceId: number, fetchPage: (offset: number) => Promise<SourceRow[]>): Promise<number | null> {
  if (!q.sort) {
    const { idsBase64 } = await call('catalogue.filterIds', { catalogueId: q.catalogueId, filter: q.filter });
    const ids = decodeIdsBase64(idsBase64);
    const i = lowerBound(ids, sourceId);
    return ids[i] === sourceId ? i : null;
  }
  const { row } = await call('catalogue.source', { sourceId });
  const v = row.values[q.sort.column];
  let start = 0;
  if (v !== null && v !== undefined) {
    const before = `${q.sort.column} ${q.sort.descending ? '>' : '<'} ${filterLiteral(v)}`;
    start = (await call('catalogue.filterIds', { catalogueId: q.catalogueId, filter: and(q.filter, before) })).count;
  }
  // Ties (and NULLs) share a value: scan a few pages from the first row that can hold it.
  for (let offset = start, pages = 0; pages < 5; pages++) {
    const rows = await fetchPage(offset);
    const k = rows.findIndex((r) => r.sourceId === sourceId);
    if (k >= 0) return offset + k;
    if (rows.length === 0) break;
    offset += rows.length;
  }
  return null;
}
