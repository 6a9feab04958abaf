/** The filter expression language: `snr > 7 && bmaj < 2*beam_bmaj && label != 'FAKE'`. Pure TS (renderer + main). */
export type { Expr, FunctionName } from './ast';
export { columnsUsed, FUNCTIONS } from './ast';
export { parseFilter, parseNumericExpression } from './parse';
export { compileEvaluator, compileIndexedEvaluator, compileValueEvaluator, type ColumnArray, type RowAccessor } from './evaluate';
export { compileToSql, type SqlFragment } from './toSql';
export { caretExcerpt } from './errors';
export {
  catalogueFilterSchema, COLUMN_ALIASES, COMPUTED_NAME, computedNameProblem, type ComputedRef, type SubsetRef, CONSTANT_COLUMNS, EXTRA_FILTER_COLUMNS, TABLE_COLUMNS,
  type FilterColumn, type FilterSchema, type ValueKind,
} from './schema';
