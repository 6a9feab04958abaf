import { FUNCTIONS, type CmpOp, type Expr, type FunctionName } from './ast';
import { filterError } from './errors';
import type { FilterColumn, FilterSchema } from './schema';
import { tokenize, type Token } from './tokenize';

type Type = 'number' | 'string' | 'bool';
interface Typed {
  e: Expr;
  t: Type;
  /** Set when the expression is a bare column: string literals compared with it are normalized. */
  column?: FilterColumn;
}

// Binding powers. `not` binds looser than comparisons (as in SQL): `not snr > 5` = not (snr > 5).
const BP_OR = 1, BP_AND = 2, BP_NOT = 3, BP_CMP = 4, BP_ADD = 5, BP_MUL = 6, BP_NEG = 7;
const CMP_OPS = new Set(['<', '<=', '>', '>=', '==', '!=']);
const PRIMARY = 'a number, a string, a column, a function or (';

/**
 * Parse and type-check a filter expression against a schema (Pratt parser; no eval). The result is a
 * condition: comparisons joined by and/or/not. Errors are AppError('filter.parseFailed') with
 * details.position at the offending character. A blank expression parses to null (no filter).
 */
export function parseFilter(text: string, schema: FilterSchema): Expr | null {
  if (text.trim() === '') return null;
  const p = new Parser(text, tokenize(text), schema);
  const top = p.expression(0);
  p.expectEnd();
  if (top.t !== 'bool') throw filterError(text, top.e.pos, 'a filter must be a condition such as snr > 5', 'a comparison');
  return top.e;
}

/**
 * Parse a numeric expression (a computed column's definition, e.g. `flux / peak`) against a schema;
 * errors as parseFilter's, pointed at the character. `subset(...)` is not allowed in it.
 */
export function parseNumericExpression(text: string, schema: FilterSchema): Expr {
  if (text.trim() === '') throw filterError(text, 0, 'the expression is empty', 'a number, a column or a function');
  const p = new Parser(text, tokenize(text), { ...schema, subsets: undefined });
  const top = p.expression(0);
  p.expectEnd();
  if (top.t !== 'number') throw filterError(text, top.e.pos, 'a computed column must be a number, such as flux / peak', 'a numeric expression');
  return top.e;
}

/** A copy of `e` with every position set to `pos` (a computed column inlined where its name is used). */
function relocate(e: Expr, pos: number): Expr {
  switch (e.k) {
    case 'neg': case 'not': return { ...e, e: relocate(e.e, pos), pos };
    case 'isnull': return { ...e, e: relocate(e.e, pos), pos };
    case 'arith': case 'cmp': return { ...e, l: relocate(e.l, pos), r: relocate(e.r, pos), pos };
    case 'and': case 'or': return { ...e, l: relocate(e.l, pos), r: relocate(e.r, pos), pos };
    case 'call': return { ...e, args: e.args.map((a) => relocate(a, pos)), pos };
    case 'in': return { ...e, e: relocate(e.e, pos), list: e.list.map((a) => relocate(a, pos)), pos };
    default: return { ...e, pos };
  }
}

class Parser {
  private i = 0;
  constructor(private readonly text: string, private readonly toks: Token[], private readonly schema: FilterSchema) {}

  private get tok(): Token {
    return this.toks[this.i]!;
  }
  /** Type of the current token (a method, so TypeScript does not keep a narrowing across next()). */
  private peekType(): Token['type'] {
    return this.toks[this.i]!.type;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private fail(t: Token, problem: string, expected?: string): never {
    throw filterError(this.text, t.pos, problem, expected);
  }
  private describe(t: Token): string {
    return t.type === 'end' ? 'end of expression' : `'${this.text.slice(t.pos, t.pos + t.length)}'`;
  }
  private expect(type: Token['type'], what: string): Token {
    if (this.tok.type !== type) this.fail(this.tok, `expected ${what} but found ${this.describe(this.tok)}`, what);
    return this.next();
  }
  expectEnd(): void {
    const t = this.tok;
    if (t.type !== 'end') this.fail(t, `unexpected ${this.describe(t)}`, t.type === 'op' && CMP_OPS.has(t.text) ? '&& or || (comparisons do not chain)' : 'an operator or end of expression');
  }
  private want(x: Typed, t: Type, what: string): void {
    if (x.t !== t) this.fail(this.toks.find((k) => k.pos === x.e.pos) ?? this.tok, `expected ${what}`, what);
  }

  expression(minBp: number): Typed {
    let left = this.prefix();
    for (;;) {
      const t = this.tok;
      const bp = this.infixBp(t);
      if (bp === 0 || bp <= minBp) break;
      this.next();
      left = this.infix(left, t, bp);
    }
    return left;
  }

  private infixBp(t: Token): number {
    if (t.type === 'op') {
      if (t.text === '||') return BP_OR;
      if (t.text === '&&') return BP_AND;
      if (CMP_OPS.has(t.text)) return BP_CMP;
      if (t.text === '+' || t.text === '-') return BP_ADD;
      if (t.text === '*' || t.text === '/' || t.text === '%') return BP_MUL;
      if (t.text === '!') return BP_CMP; // `x not in (...)`
    }
    if (t.type === 'ident' && (t.text === 'in' || t.text === 'is')) return BP_CMP;
    return 0;
  }

  private infix(left: Typed, op: Token, bp: number): Typed {
    const pos = left.e.pos;
    if (op.text === '||' || op.text === '&&') {
      const right = this.expression(bp);
      this.want(left, 'bool', 'a condition');
      this.want(right, 'bool', 'a condition');
      return { e: { k: op.text === '||' ? 'or' : 'and', l: left.e, r: right.e, pos }, t: 'bool' };
    }
    if (bp === BP_CMP) {
      if (left.t === 'bool') this.fail(op, 'comparisons do not chain; join them with && or ||', '&& or ||');
      let r: Typed;
      if (op.text === '!' || op.text === 'in') {
        if (op.text === '!' && !(this.tok.type === 'ident' && this.tok.text === 'in')) this.fail(this.tok, `expected 'in' after 'not'`, 'in');
        if (op.text === '!') this.next();
        r = this.inList(left, op.text === '!', pos);
      } else if (op.text === 'is') {
        let negated = false;
        if (this.tok.type === 'op' && this.tok.text === '!') {
          this.next();
          negated = true;
        }
        if (!(this.tok.type === 'ident' && this.tok.text === 'null')) this.fail(this.tok, `expected 'null' after 'is'`, 'null');
        this.next();
        r = { e: { k: 'isnull', e: left.e, negated, pos }, t: 'bool' };
      } else {
        const right = this.expression(bp);
        if (right.t === 'bool') this.fail(op, 'comparisons do not chain; join them with && or ||', '&& or ||');
        if (left.t !== right.t) {
          this.fail(this.tokenAt(right.e.pos), `cannot compare a ${left.t} with a ${right.t}`, `a ${left.t}`);
        }
        const l = this.normalized(left, right.column);
        const rr = this.normalized(right, left.column);
        r = { e: { k: 'cmp', op: op.text as CmpOp, l, r: rr, pos, str: left.t === 'string' }, t: 'bool' };
      }
      const after = this.tok;
      if (this.infixBp(after) === BP_CMP) this.fail(after, 'comparisons do not chain; join them with && or ||', '&& or ||');
      return r;
    }
    const right = this.expression(bp);
    this.want(left, 'number', 'a number');
    this.want(right, 'number', 'a number');
    return { e: { k: 'arith', op: op.text as '+' | '-' | '*' | '/' | '%', l: left.e, r: right.e, pos }, t: 'number' };
  }

  private inList(left: Typed, negated: boolean, pos: number): Typed {
    this.expect('(', "'(' to open the list");
    const list: Expr[] = [];
    for (;;) {
      const item = this.expression(BP_CMP);
      if (item.t !== left.t) this.fail(this.tokenAt(item.e.pos), `list item must be a ${left.t}`, `a ${left.t}`);
      list.push(this.normalized(item, left.column));
      if (this.tok.type === ',') {
        this.next();
        continue;
      }
      this.expect(')', "',' or ')'");
      break;
    }
    return { e: { k: 'in', e: left.e, list, negated, pos }, t: 'bool' };
  }

  /** A string literal compared with a vocabulary column takes its case (labels are stored upper case). */
  private normalized(x: Typed, other: FilterColumn | undefined): Expr {
    if (x.e.k !== 'str' || !other?.normalize) return x.e;
    const v = x.e.v.trim();
    return { ...x.e, v: other.normalize === 'upper' ? v.toUpperCase() : v.toLowerCase() };
  }

  private tokenAt(pos: number): Token {
    return this.toks.find((k) => k.pos === pos) ?? this.tok;
  }

  private prefix(): Typed {
    const t = this.next();
    switch (t.type) {
      case 'num':
        return { e: { k: 'num', v: t.value!, pos: t.pos }, t: 'number' };
      case 'str':
        return { e: { k: 'str', v: t.text, pos: t.pos }, t: 'string' };
      case '(': {
        const inner = this.expression(0);
        this.expect(')', "')'");
        return { e: inner.e, t: inner.t };
      }
      case 'op':
        if (t.text === '-') {
          const e = this.expression(BP_NEG);
          this.want(e, 'number', 'a number');
          return { e: { k: 'neg', e: e.e, pos: t.pos }, t: 'number' };
        }
        if (t.text === '!') {
          const e = this.expression(BP_NOT);
          this.want(e, 'bool', 'a condition');
          return { e: { k: 'not', e: e.e, pos: t.pos }, t: 'bool' };
        }
        return this.fail(t, `expected ${PRIMARY} but found ${this.describe(t)}`, PRIMARY);
      case 'ident':
        return this.identifier(t);
      default:
        return this.fail(t, `expected ${PRIMARY} but found ${this.describe(t)}`, PRIMARY);
    }
  }

  /** `subset('name')`: a condition, true for the members of a saved subset. */
  private subset(t: Token): Typed {
    this.next();
    const arg = this.tok;
    if (arg.type !== 'str') this.fail(arg, "expected a subset name in quotes, e.g. subset('bright')", 'a quoted subset name');
    this.next();
    this.expect(')', "')'");
    const ref = this.schema.subsets?.get(arg.text);
    if (!ref) {
      const names = [...(this.schema.subsets?.keys() ?? [])].map((n) => `'${n}'`);
      this.fail(arg, `unknown subset '${arg.text}'`, names.length > 0 ? `one of ${names.join(', ')}` : 'a saved subset (none saved yet)');
    }
    return { e: { k: 'subset', name: arg.text, subsetId: ref.subsetId, members: ref.members, pos: t.pos }, t: 'bool' };
  }

  private identifier(t: Token): Typed {
    if (t.text === 'subset' && this.tok.type === '(') return this.subset(t);
    if (this.tok.type === '(') {
      const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, t.text) ? FUNCTIONS[t.text as FunctionName] : undefined;
      if (!spec) this.fail(t, `unknown function '${t.text}'`, `one of ${Object.keys(FUNCTIONS).join(', ')}`);
      this.next();
      const args: Expr[] = [];
      if (this.peekType() !== ')') {
        for (;;) {
          const a = this.expression(0);
          this.want(a, 'number', 'a number');
          args.push(a.e);
          if (this.peekType() !== ',') break;
          this.next();
        }
      }
      const close = this.expect(')', "',' or ')'");
      if (args.length < spec.min || args.length > spec.max) {
        this.fail(args.length < spec.min ? close : this.tokenAt(args[spec.max]!.pos), `${t.text}() takes ${spec.min === spec.max ? spec.min : `${spec.min} or more`} argument(s)`);
      }
      return { e: { k: 'call', fn: t.text as FunctionName, args, pos: t.pos }, t: 'number' };
    }
    if (t.text === 'null') this.fail(t, "null is only allowed as 'is null' / 'is not null'", 'a value');
    const name = this.schema.aliases[t.text] ?? t.text;
    const col = this.schema.columns.get(name);
    if (col) return { e: { k: 'col', name, pos: t.pos }, t: col.kind, column: col };
    if (this.schema.constants.has(name)) return { e: { k: 'const', name, v: this.schema.constants.get(name)!, pos: t.pos }, t: 'number' };
    const computed = this.schema.computed?.get(name);
    if (computed) return { e: relocate(computed.expr, t.pos), t: 'number' };
    const known = [
      ...this.schema.columns.keys(), ...this.schema.constants.keys(), ...Object.keys(this.schema.aliases), ...(this.schema.computed?.keys() ?? []),
    ];
    return this.fail(t, `unknown column '${this.text.slice(t.pos, t.pos + t.length)}'`, `a column: ${known.join(', ')}`);
  }
}
