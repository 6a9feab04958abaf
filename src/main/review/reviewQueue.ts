/**
 * The review queue (sources to label next, in a chosen order) over either source of truth the
 * CatalogueService filters with: in-memory columns, or SQL with a compiled WHERE clause. Both give the
 * same ids in the same order (test/integration/reviewService.test.ts compares them).
 */
import type Database from 'better-sqlite3';
import type { LabelField, ReviewOrder, ReviewQueue } from '../../shared/contract/catalogues';
import type { Expr } from '../../shared/filter';
import type { CatalogueColumns } from './columnCache';
import { columnSql } from './sourceSql';

/** Sort key of each order: [column, descending]; ties by id and missing values last, as ORDER_SQL. */
export const ORDER_KEY: Record<ReviewOrder, [column: string, descending: boolean]> = {
  'snr-desc': ['snr', true],
  'snr-asc': ['snr', false],
  'flux-desc': ['flux', true],
};
const ORDER_SQL: Record<ReviewOrder, string> = {
  'snr-desc': '(s.snr IS NULL), s.snr DESC, s.id',
  'snr-asc': '(s.snr IS NULL), s.snr ASC, s.id',
  'flux-desc': '(s.flux IS NULL), s.flux DESC, s.id',
};

export interface QueueRequest {
  order: ReviewOrder;
  /** The label field counted as "labelled" (and, with `onlyUnlabelled`, left out when set). */
  field: LabelField;
  onlyUnlabelled: boolean;
}

/** The queue from in-memory columns (which must hold the filter's columns, the order key and `field`). */
export function queueFromColumns(cols: CatalogueColumns, ast: Expr | null, q: QueueRequest): ReviewQueue {
  const [key, descending] = ORDER_KEY[q.order];
  const matching = cols.match(ast);
  const labels = cols.column(q.field) as ArrayLike<string | null>;
  let labelled = 0;
  for (const i of matching) if (labels[i] !== null) labelled++;
  const queue = q.onlyUnlabelled ? matching.filter((i) => labels[i] === null) : matching;
  const sorted = cols.sort(queue, key, descending);
  return { sourceIds: Array.from(sorted, (i) => i + cols.firstId), total: matching.length, labelled };
}

/** The queue in SQL, for a WHERE clause over `sources s LEFT JOIN labels l` with its bound parameters. */
export function queueFromSql(db: Database.Database, where: { where: string; params: unknown[] }, q: QueueRequest): ReviewQueue {
  const from = 'sources s LEFT JOIN labels l ON l.source_id = s.id';
  const row = db.prepare(`SELECT count(*) AS total, count(${columnSql(q.field)}) AS labelled FROM ${from} WHERE ${where.where}`)
    .get(...where.params) as { total: number; labelled: number };
  const onlyUnlabelled = q.onlyUnlabelled ? ` AND ${columnSql(q.field)} IS NULL` : '';
  const ids = db.prepare(`SELECT s.id FROM ${from} WHERE ${where.where}${onlyUnlabelled} ORDER BY ${ORDER_SQL[q.order]}`)
    .pluck().all(...where.params) as number[];
  return { sourceIds: ids, total: row.total, labelled: row.labelled };
}
