import { filterError } from './errors';

export type TokenType = 'num' | 'str' | 'ident' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  type: TokenType;
  /** Operator spelled canonically ('and' → '&&', '=' → '==', '<>' → '!='); ident lower-cased; string unquoted. */
  text: string;
  value?: number;
  pos: number;
  /** Characters covered in the source. */
  length: number;
}

const WORD_OPS: Record<string, string> = { and: '&&', or: '||', not: '!' };
// Longest first so '<=' wins over '<'.
const SYMBOL_OPS: [string, string][] = [
  ['&&', '&&'], ['||', '||'], ['<=', '<='], ['>=', '>='], ['==', '=='], ['!=', '!='], ['<>', '!='],
  ['<', '<'], ['>', '>'], ['=', '=='], ['!', '!'], ['+', '+'], ['-', '-'], ['*', '*'], ['/', '/'], ['%', '%'],
];
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Split an expression into tokens; a stray character or an unclosed string is a parse error pointing at it. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i, i + 400);
    const num = NUMBER.exec(rest);
    if (num) {
      // "2e" or "3abc": a number glued to letters is a typo, not two tokens.
      const after = text[i + num[0].length];
      if (after !== undefined && /[A-Za-z_]/.test(after)) throw filterError(text, i + num[0].length, 'unexpected character after a number', 'an operator');
      out.push({ type: 'num', text: num[0], value: Number(num[0]), pos: i, length: num[0].length });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      const lower = id[0].toLowerCase();
      const op = WORD_OPS[lower];
      out.push(op ? { type: 'op', text: op, pos: i, length: id[0].length } : { type: 'ident', text: lower, pos: i, length: id[0].length });
      i += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      // SQL style: a doubled quote inside the string is one quote.
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw filterError(text, i, 'unterminated string', `closing ${c}`);
        if (text[j] === c) {
          if (text[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        s += text[j];
        j++;
      }
      out.push({ type: 'str', text: s, pos: i, length: j + 1 - i });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ type: c, text: c, pos: i, length: 1 });
      i++;
      continue;
    }
    const sym = SYMBOL_OPS.find(([s]) => text.startsWith(s, i));
    if (sym) {
      out.push({ type: 'op', text: sym[1], pos: i, length: sym[0].length });
      i += sym[0].length;
      continue;
    }
    throw filterError(text, i, `unexpected character '${c}'`);
  }
  out.push({ type: 'end', text: '', pos: text.length, length: 0 });
  return out;
}
