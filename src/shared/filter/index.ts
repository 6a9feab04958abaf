/** The filter expression language: `snr > 7 && bmaj < 2*beam_bmaj && label != 'FAKE'`. Pure TS (renderer + main). */
export type { Expr, FunctionName } from './ast';
export { columnsUsed, FUNCTIONS } from './ast';
export { parseFilter } from './parse';
export { compileEvaluator, compileIndexedEvaluator, type ColumnArray, type RowAccessor } from './evaluate';
export { compileToSql, type SqlFragment } from './toSql';
export { caretExcerpt } from './errors';
export {
  catalogueFilterSchema, COLUMN_ALIASES, CONSTANT_COLUMNS, EXTRA_FILTER_COLUMNS, TABLE_COLUMNS,
  type FilterColumn, type FilterSchema, type ValueKind,
} from './schema';
