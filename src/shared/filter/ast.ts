/** AST of a filter expression. `pos` = 0-based character offset of the node's first character. */
export type Expr =
  | { k: 'num'; v: number; pos: number }
  | { k: 'str'; v: string; pos: number }
  | { k: 'null'; pos: number }
  | { k: 'col'; name: string; pos: number }
  | { k: 'const'; name: string; v: number | null; pos: number }
  | { k: 'neg'; e: Expr; pos: number }
  | { k: 'not'; e: Expr; pos: number }
  | { k: 'arith'; op: '+' | '-' | '*' | '/' | '%'; l: Expr; r: Expr; pos: number }
  | { k: 'cmp'; op: CmpOp; l: Expr; r: Expr; pos: number; str: boolean }
  | { k: 'and' | 'or'; l: Expr; r: Expr; pos: number }
  | { k: 'call'; fn: FunctionName; args: Expr[]; pos: number }
  | { k: 'in'; e: Expr; list: Expr[]; negated: boolean; pos: number }
  | { k: 'isnull'; e: Expr; negated: boolean; pos: number }
  /** `subset('name')`: membership of the source id in a saved subset (true/false, never unknown). */
  | { k: 'subset'; name: string; subsetId: number; members: () => ReadonlySet<number>; pos: number };

export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export const FUNCTIONS = {
  abs: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  log10: { min: 1, max: 1 },
  ln: { min: 1, max: 1 },
  min: { min: 2, max: 16 },
  max: { min: 2, max: 16 },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** Names of the row columns an expression reads (canonical), for callers that fetch only those. */
export function columnsUsed(e: Expr, into = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'col': into.add(e.name); break;
    case 'neg': case 'not': case 'isnull': columnsUsed(e.e, into); break;
    case 'arith': case 'cmp': case 'and': case 'or': columnsUsed(e.l, into); columnsUsed(e.r, into); break;
    case 'call': for (const a of e.args) columnsUsed(a, into); break;
    case 'in': columnsUsed(e.e, into); for (const a of e.list) columnsUsed(a, into); break;
    case 'subset': into.add('id'); break;
    default: break;
  }
  return into;
}
