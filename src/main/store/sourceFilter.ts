import { AppError } from '../../shared/contract/errors';
import { MEASUREMENT_NUMBERS, SOURCE_NUMBERS, type NumericField, type SourceNumericField } from './sourceColumns';

export interface Range {
  min?: number;
  max?: number;
}

/**
 * A structured filter over one catalogue's sources, run in SQL. All parts are ANDed; ranges are
 * inclusive and exclude sources where the value is missing. Labels: a term, or null = unlabelled.
 */
export interface SourceFilter {
  ranges?: Partial<Record<NumericField | SourceNumericField, Range>>;
  type?: 'point' | 'extended';
  sourceness?: string | null;
  class?: string | null;
  morphology?: string | null;
}

const COLUMNS: Record<string, string> = { ...MEASUREMENT_NUMBERS, ...SOURCE_NUMBERS };

/** WHERE clause (over `sources s LEFT JOIN labels l`) and its parameters. Column names come from a whitelist. */
export function buildSourceFilter(catalogueId: number, filter: SourceFilter): { where: string; params: unknown[] } {
  // Unary + keeps SQLite off the (catalogue_id, key) index: walking it visits rows in random order.
  const parts = ['+s.catalogue_id = ?'];
  const params: unknown[] = [catalogueId];
  for (const [field, range] of Object.entries(filter.ranges ?? {})) {
    const col = COLUMNS[field];
    if (!col) throw new AppError('validation', `filter: unknown numeric field ${field}`, { field });
    if (range?.min !== undefined) {
      parts.push(`s.${col} >= ?`);
      params.push(range.min);
    }
    if (range?.max !== undefined) {
      parts.push(`s.${col} <= ?`);
      params.push(range.max);
    }
  }
  if (filter.type !== undefined) {
    parts.push('s.type = ?');
    params.push(filter.type);
  }
  for (const field of ['sourceness', 'class', 'morphology'] as const) {
    const v = filter[field];
    if (v === undefined) continue;
    if (v === null) parts.push(`l.${field} IS NULL`);
    else {
      parts.push(`l.${field} = ?`);
      params.push(v.trim().toUpperCase());
    }
  }
  return { where: parts.join(' AND '), params };
}
