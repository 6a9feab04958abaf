import type { Expr } from './ast';

export interface SqlFragment {
  sql: string;
  params: (number | string | null)[];
}

/**
 * Compile an AST to a SQL expression (SQLite dialect) with bound parameters: every literal is a `?`,
 * and column names come only from `columnSql` (the caller's whitelist), so no text of the expression
 * reaches SQL. Semantics match compileEvaluator: division is real division (x/0 is NULL), % is
 * a − b·trunc(a/b), string ==/!= are null-safe (IS / IS NOT). Needs SQLite's math functions (better-sqlite3 has them).
 */
export function compileToSql(e: Expr, columnSql: (name: string) => string): SqlFragment {
  const params: (number | string | null)[] = [];
  const go = (x: Expr): string => {
    switch (x.k) {
      case 'num': case 'str':
        params.push(x.v);
        return '?';
      case 'const':
        params.push(x.v);
        return '?';
      case 'null':
        return 'NULL';
      case 'col':
        return columnSql(x.name);
      case 'neg':
        return `(-${go(x.e)})`;
      case 'not':
        return `(NOT ${go(x.e)})`;
      case 'and':
        return `(${go(x.l)} AND ${go(x.r)})`;
      case 'or':
        return `(${go(x.l)} OR ${go(x.r)})`;
      case 'arith': {
        if (x.op === '/') {
          const l = go(x.l);
          return `((1.0 * ${l}) / ${go(x.r)})`;
        }
        if (x.op === '%') {
          // Operands appear twice; compile each twice so their parameters stay in textual order.
          const a1 = go(x.l), b1 = go(x.r), a2 = go(x.l), b2 = go(x.r);
          return `(${a1} - ${b1} * CAST((1.0 * ${a2}) / ${b2} AS INTEGER))`;
        }
        const l = go(x.l);
        return `(${l} ${x.op} ${go(x.r)})`;
      }
      case 'cmp': {
        const l = go(x.l);
        const r = go(x.r);
        if (x.str && x.op === '==') return `(${l} IS ${r})`;
        if (x.str && x.op === '!=') return `(${l} IS NOT ${r})`;
        return `(${l} ${x.op === '==' ? '=' : x.op} ${r})`;
      }
      case 'call': {
        const args = x.args.map(go);
        const name = { abs: 'abs', sqrt: 'sqrt', log10: 'log10', ln: 'ln', min: 'min', max: 'max' }[x.fn];
        return `${name}(${args.join(', ')})`;
      }
      case 'in': {
        const v = go(x.e);
        const list = x.list.map(go);
        return `(${v} ${x.negated ? 'NOT IN' : 'IN'} (${list.join(', ')}))`;
      }
      case 'isnull':
        return `(${go(x.e)} ${x.negated ? 'IS NOT NULL' : 'IS NULL'})`;
      case 'subset':
        // Members live in the store's subset_members table (migration 001); the id is bound, never spliced.
        params.push(x.subsetId);
        return `(${columnSql('id')} IN (SELECT source_id FROM subset_members WHERE subset_id = ?))`;
    }
  };
  const sql = go(e);
  return { sql, params };
}
