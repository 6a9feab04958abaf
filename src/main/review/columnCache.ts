import type Database from 'better-sqlite3';
import { columnsUsed, compileIndexedEvaluator, EXTRA_FILTER_COLUMNS, TABLE_COLUMNS, type ColumnArray, type Expr } from '../../shared/filter';
import { columnSql } from './sourceSql';

const KIND = new Map([...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].map((c) => [c.name, c.kind]));
/** Rows read per step of a background load: one step blocks the event loop for ~10–20 ms. */
const CHUNK = 50_000;

/**
 * One catalogue's columns held in memory: numbers as Float64Array (NaN = missing), strings as arrays
 * (null = missing), indexed by source id − firstId. A filter or sort over 10⁶ loaded rows takes tens of
 * milliseconds instead of a table scan. Loading a source column costs a scan (~0.3 s per 10⁶ rows), so
 * it happens in the background in chunks (`prefetch`) while callers use SQL; label columns are sparse
 * and load at once. Valid only for a catalogue whose source ids are contiguous (one import transaction),
 * which the service checks. Source rows never change after import; label columns are patched on change.
 */
export class CatalogueColumns {
  private readonly numbers = new Map<string, Float64Array>();
  private readonly strings = new Map<string, (string | null)[]>();
  private readonly loading = new Map<string, Promise<void>>();
  private disposed = false;

  constructor(
    private readonly db: Database.Database,
    readonly firstId: number,
    readonly n: number,
  ) {}

  /** Whether every column in `names` can be read now without a scan (labels and ids always can). */
  ready(names: Iterable<string>): boolean {
    for (const c of names) if (!this.cheap(c) && !this.numbers.has(c) && !this.strings.has(c)) return false;
    return true;
  }

  /** Load the missing source columns among `names` in the background; resolves when all are loaded. */
  prefetch(names: Iterable<string>): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const c of names) {
      if (this.cheap(c) || this.numbers.has(c) || this.strings.has(c)) continue;
      let job = this.loading.get(c);
      if (!job) {
        job = this.loadInChunks(c).finally(() => this.loading.delete(c));
        this.loading.set(c, job);
      }
      jobs.push(job);
    }
    return Promise.all(jobs).then(() => undefined);
  }

  /** Stop background loads (catalogue removed, store closing). */
  dispose(): void {
    this.disposed = true;
  }

  column(name: string): ColumnArray {
    const have = this.numbers.get(name) ?? this.strings.get(name);
    if (have) return have;
    if (name === 'id') return this.keep(name, Float64Array.from({ length: this.n }, (_, i) => this.firstId + i));
    if (isLabel(name)) return this.keep(name, this.loadLabels(name));
    throw new Error(`column ${name} is not loaded (call prefetch first)`);
  }

  /** Indices (id − firstId) of the rows where `ast` is true, ascending; all rows when null. Needs ready(columnsUsed(ast)). */
  match(ast: Expr | null): Int32Array {
    if (!ast) return Int32Array.from({ length: this.n }, (_, i) => i);
    for (const c of columnsUsed(ast)) this.column(c);
    const f = compileIndexedEvaluator(ast, (c) => this.column(c));
    const out = new Int32Array(this.n);
    let k = 0;
    for (let i = 0; i < this.n; i++) if (f(i)) out[k++] = i;
    return out.slice(0, k);
  }

  /** Sort indices by a column: missing values last, ties by id (as SQL `ORDER BY col IS NULL, col, id`). */
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

  private cheap(name: string): boolean {
    return name === 'id' || isLabel(name);
  }

  private keep<T extends ColumnArray>(name: string, col: T): T {
    if (col instanceof Float64Array) this.numbers.set(name, col);
    else this.strings.set(name, col as unknown as (string | null)[]);
    return col;
  }

  private loadLabels(name: string): (string | null)[] {
    const col: (string | null)[] = new Array<string | null>(this.n).fill(null);
    const field = columnSql(name).slice(2);
    const rows = this.db.prepare(`SELECT source_id, ${field} FROM labels WHERE source_id BETWEEN ? AND ? AND ${field} IS NOT NULL`)
      .raw().all(this.firstId, this.firstId + this.n - 1) as [number, string][];
    for (const [id, v] of rows) col[id - this.firstId] = v;
    return col;
  }

  private async loadInChunks(name: string): Promise<void> {
    const stmt = this.db.prepare(`SELECT ${columnSql(name)} FROM sources s WHERE s.id BETWEEN ? AND ? ORDER BY s.id`).pluck();
    const isString = KIND.get(name) === 'string';
    const nums = isString ? null : new Float64Array(this.n).fill(Number.NaN);
    const strs: (string | null)[] | null = isString ? new Array<string | null>(this.n).fill(null) : null;
    for (let off = 0; off < this.n; off += CHUNK) {
      if (this.disposed) return;
      const values = stmt.all(this.firstId + off, this.firstId + Math.min(this.n, off + CHUNK) - 1) as (number | string | null)[];
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        if (nums) nums[off + k] = v === null ? Number.NaN : (v as number);
        else strs![off + k] = v as string | null;
      }
      // Yield so tiles and calls are served between chunks.
      await new Promise((r) => setImmediate(r));
    }
    if (!this.disposed) this.keep(name, nums ?? strs!);
  }
}

function isLabel(name: string): boolean {
  return columnSql(name).startsWith('l.');
}
