import type { Expr } from './ast';

/** A value during evaluation: SQL semantics (null = unknown and propagates; booleans are three-valued). */
export type Value = number | string | boolean | null;
/** Reads a row's column by canonical name (numbers, strings; null or undefined = missing). */
export type RowAccessor = (column: string) => number | string | null | undefined;
type Fn<R> = (row: R) => Value;
/** How a leaf reads column `name` from whatever a "row" is (an accessor, or an index into typed columns). */
type Leaf<R> = (name: string) => Fn<R>;

/** Non-finite results are missing values, as in SQLite (sqrt(-1), ln(0), x/0 are NULL). */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Turn an AST into a closure (built once, called per row; no eval/Function). Semantics match the SQL
 * compiler exactly: a comparison with a missing value is unknown; string == / != treat null as a value
 * (`label != 'FAKE'` keeps unlabelled sources); `and`/`or`/`not` are three-valued; a row matches when
 * the condition is true.
 */
export function compileEvaluator(e: Expr): (row: RowAccessor) => boolean {
  const f = build<RowAccessor>(e, (name) => (row) => {
    const v = row(name);
    return v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
  });
  return (row) => f(row) === true;
}

/** A column as read by compileIndexedEvaluator: numbers (NaN = missing) or strings (null = missing). */
export type ColumnArray = ArrayLike<number> | ArrayLike<string | null>;

/**
 * The same semantics over columnar data: `column(name)` gives the whole column, the result tests row
 * index i. Used to filter 10⁶ rows held in typed arrays without a database round trip.
 */
export function compileIndexedEvaluator(e: Expr, column: (name: string) => ColumnArray): (i: number) => boolean {
  const f = build<number>(e, (name) => {
    const a = column(name) as ArrayLike<number | string | null>;
    return (i) => {
      const v = a[i];
      // NaN (v !== v) marks a missing number; undefined an index past the end.
      return v === undefined || v !== v ? null : v;
    };
  });
  return (i) => f(i) === true;
}

function build<R>(e: Expr, leaf: Leaf<R>): Fn<R> {
  switch (e.k) {
    case 'num': {
      const v = e.v;
      return () => v;
    }
    case 'str': {
      const v = e.v;
      return () => v;
    }
    case 'null':
      return () => null;
    case 'const': {
      const v = e.v;
      return () => v;
    }
    case 'col':
      return leaf(e.name);
    case 'neg': {
      const a = build(e.e, leaf);
      return (row) => {
        const v = a(row);
        return v === null ? null : -(v as number);
      };
    }
    case 'not': {
      const a = build(e.e, leaf);
      return (row) => {
        const v = a(row);
        return v === null ? null : !v;
      };
    }
    case 'and': {
      const l = build(e.l, leaf), r = build(e.r, leaf);
      return (row) => {
        const a = l(row);
        if (a === false) return false;
        const b = r(row);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      };
    }
    case 'or': {
      const l = build(e.l, leaf), r = build(e.r, leaf);
      return (row) => {
        const a = l(row);
        if (a === true) return true;
        const b = r(row);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
    }
    case 'arith': {
      const l = build(e.l, leaf), r = build(e.r, leaf);
      const op = ARITH[e.op];
      return (row) => {
        const a = l(row), b = r(row);
        return a === null || b === null ? null : op(a as number, b as number);
      };
    }
    case 'cmp': {
      const l = build(e.l, leaf), r = build(e.r, leaf);
      const op = e.op;
      const nullSafe = e.str && (op === '==' || op === '!=');
      return (row) => {
        const a = l(row), b = r(row);
        if (a === null || b === null) {
          if (!nullSafe) return null;
          return op === '==' ? a === b : a !== b;
        }
        return compare(op, a as number | string, b as number | string);
      };
    }
    case 'call': {
      const args = e.args.map((a) => build(a, leaf));
      const fn = FUNCS[e.fn];
      return (row) => {
        const vs: number[] = [];
        for (const a of args) {
          const v = a(row);
          if (v === null) return null;
          vs.push(v as number);
        }
        return fn(vs);
      };
    }
    case 'in': {
      const a = build(e.e, leaf);
      const list = e.list.map((a) => build(a, leaf));
      const negated = e.negated;
      return (row) => {
        const v = a(row);
        if (v === null) return null;
        let sawNull = false;
        for (const item of list) {
          const w = item(row);
          if (w === null) sawNull = true;
          else if (w === v) return !negated;
        }
        return sawNull ? null : negated;
      };
    }
    case 'isnull': {
      const a = build(e.e, leaf);
      const negated = e.negated;
      return (row) => (a(row) === null) !== negated;
    }
    case 'subset': {
      const id = leaf('id');
      let members: ReadonlySet<number> | null = null;
      return (row) => {
        members ??= e.members(); // loaded on first use, once per compiled filter
        return members.has(id(row) as number);
      };
    }
  }
}

/**
 * A numeric expression (a computed column's definition) as a function of a row: the value, or null when
 * missing (same arithmetic as the filter evaluators: x/0, sqrt(-1), a missing operand are null).
 */
export function compileValueEvaluator(e: Expr): (row: RowAccessor) => number | null {
  const f = build<RowAccessor>(e, (name) => (row) => {
    const v = row(name);
    return v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
  });
  return (row) => {
    const v = f(row);
    return typeof v === 'number' ? v : null;
  };
}

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    default: return a !== b;
  }
}

/** Remainder as a − b·trunc(a/b) (what the SQL compiler emits; SQLite's own % truncates operands to integers). */
export function remainder(a: number, b: number): number | null {
  if (b === 0) return null;
  return finite(a - b * Math.trunc(a / b));
}

const ARITH: Record<'+' | '-' | '*' | '/' | '%', (a: number, b: number) => number | null> = {
  '+': (a, b) => finite(a + b),
  '-': (a, b) => finite(a - b),
  '*': (a, b) => finite(a * b),
  '/': (a, b) => (b === 0 ? null : finite(a / b)),
  '%': remainder,
};

const FUNCS: Record<string, (v: number[]) => number | null> = {
  abs: (v) => Math.abs(v[0]!),
  sqrt: (v) => (v[0]! < 0 ? null : Math.sqrt(v[0]!)),
  log10: (v) => (v[0]! <= 0 ? null : Math.log10(v[0]!)),
  ln: (v) => (v[0]! <= 0 ? null : Math.log(v[0]!)),
  min: (v) => Math.min(...v),
  max: (v) => Math.max(...v),
};
