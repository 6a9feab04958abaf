import type Database from 'better-sqlite3';
import { compileIndexedEvaluator, EXTRA_FILTER_COLUMNS, TABLE_COLUMNS, type ColumnArray, type Expr } from '../../shared/filter';
import { columnSql } from './sourceSql';

const KIND = new Map([...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].map((c) => [c.name, c.kind]));

/**
 * One catalogue's columns held in memory, loaded on first use: numbers as Float64Array (NaN = missing),
 * strings as arrays (null = missing), indexed by source id − firstId. Filters and sorts over 10⁶ rows
 * then run in tens of milliseconds instead of a table scan each time. Only valid for a catalogue whose
 * source ids are contiguous (one import transaction), which the service checks. Source rows never change
 * after import; label columns are patched in place on every label change.
 */
export class CatalogueColumns {
  private readonly numbers = new Map<string, Float64Array>();
  private readonly strings = new Map<string, (string | null)[]>();

  constructor(
    private readonly db: Database.Database,
    readonly firstId: number,
    readonly n: number,
  ) {}

  column(name: string): ColumnArray {
    return this.numbers.get(name) ?? this.strings.get(name) ?? this.load(name);
  }

  /** Indices (id − firstId) of the rows where `ast` is true, ascending; all rows when null. */
  match(ast: Expr | null): Int32Array {
    if (!ast) return Int32Array.from({ length: this.n }, (_, i) => i);
    const f = compileIndexedEvaluator(ast, (c) => this.column(c));
    const out = new Int32Array(this.n);
    let k = 0;
    for (let i = 0; i < this.n; i++) if (f(i)) out[k++] = i;
    return out.slice(0, k);
  }

  /** Sort indices by a column: missing values last, ties by id (as the SQL `ORDER BY col IS NULL, col, id`). */
  sort(indices: Int32Array, column: string, descending: boolean): Int32Array {
    const key = this.column(column) as ArrayLike<number | string | null>;
    const missing = (v: number | string | null | undefined): boolean => v === null || v === undefined || v !== v;
    const sign = descending ? -1 : 1;
    return indices.slice().sort((a, b) => {
      const x = key[a], y = key[b];
      const mx = missing(x), my = missing(y);
      if (mx || my) return mx === my ? a - b : mx ? 1 : -1;
      if (x! < y!) return -sign;
      if (x! > y!) return sign;
      return a - b;
    });
  }

  /** Apply label changes to loaded label columns (ids outside this catalogue are ignored). */
  patchLabels(changes: readonly { sourceId: number; field: string; value: string | null }[]): void {
    for (const c of changes) {
      const col = this.strings.get(c.field);
      const i = c.sourceId - this.firstId;
      if (col && i >= 0 && i < this.n) col[i] = c.value;
    }
  }

  private load(name: string): ColumnArray {
    const sql = columnSql(name);
    const last = this.firstId + this.n - 1;
    if (sql.startsWith('l.')) {
      // Labels are sparse: read only the labelled rows.
      const col: (string | null)[] = new Array<string | null>(this.n).fill(null);
      const field = sql.slice(2);
      const rows = this.db.prepare(`SELECT source_id, ${field} FROM labels WHERE source_id BETWEEN ? AND ? AND ${field} IS NOT NULL`)
        .raw().all(this.firstId, last) as [number, string][];
      for (const [id, v] of rows) col[id - this.firstId] = v;
      this.strings.set(name, col);
      return col;
    }
    if (name === 'id') {
      const col = Float64Array.from({ length: this.n }, (_, i) => this.firstId + i);
      this.numbers.set(name, col);
      return col;
    }
    const values = this.db.prepare(`SELECT ${sql} FROM sources s WHERE s.id BETWEEN ? AND ? ORDER BY s.id`).pluck().all(this.firstId, last) as (number | string | null)[];
    if (KIND.get(name) === 'string') {
      const col = values as (string | null)[];
      this.strings.set(name, col);
      return col;
    }
    const col = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const v = values[i];
      col[i] = v === null || v === undefined ? Number.NaN : (v as number);
    }
    this.numbers.set(name, col);
    return col;
  }
}
