import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors';
import type { Expr } from './ast';
import { compileEvaluator } from './evaluate';
import { parseFilter } from './parse';
import { catalogueFilterSchema } from './schema';

const schema = catalogueFilterSchema({ bmajArcsec: 6, bminArcsec: 5 });

/** Fully parenthesized rendering of the AST: shows how precedence grouped the expression. */
function show(e: Expr): string {
  switch (e.k) {
    case 'num': return String(e.v);
    case 'str': return `'${e.v}'`;
    case 'null': return 'null';
    case 'col': case 'const': return e.name;
    case 'neg': return `(-${show(e.e)})`;
    case 'not': return `(!${show(e.e)})`;
    case 'arith': case 'cmp': return `(${show(e.l)} ${e.op} ${show(e.r)})`;
    case 'and': return `(${show(e.l)} && ${show(e.r)})`;
    case 'or': return `(${show(e.l)} || ${show(e.r)})`;
    case 'call': return `${e.fn}(${e.args.map(show).join(', ')})`;
    case 'in': return `(${show(e.e)} ${e.negated ? 'not in' : 'in'} [${e.list.map(show).join(', ')}])`;
    case 'isnull': return `(${show(e.e)} is ${e.negated ? 'not ' : ''}null)`;
    case 'subset': return `subset(${e.name})`;
  }
}
const p = (text: string): string => show(parseFilter(text, schema)!);

function errorOf(text: string): { position: number; expected?: string; message: string } {
  try {
    parseFilter(text, schema);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('filter.parseFailed');
    return { ...(e.details as { position: number; expected?: string }), message: e.message };
  }
  throw new Error(`no error for ${text}`);
}

describe('parseFilter: precedence and associativity', () => {
  it('groups * / % over + - over comparisons over not over && over ||', () => {
    expect(p('snr > 1 + 2 * 3')).toBe('(snr > (1 + (2 * 3)))');
    expect(p('x - 1 - 2 < 0')).toBe('(((x - 1) - 2) < 0)');
    expect(p('x / 2 % 3 * 4 == 1')).toBe('((((x / 2) % 3) * 4) == 1)');
    expect(p('snr > 1 || snr < 0 && flux > 2')).toBe('((snr > 1) || ((snr < 0) && (flux > 2)))');
    expect(p('not snr > 5 && flux > 1')).toBe('((!(snr > 5)) && (flux > 1))');
    expect(p('!(snr > 5 || flux > 1)')).toBe('(!((snr > 5) || (flux > 1)))');
    expect(p('-x * 2 > -3')).toBe('(((-x) * 2) > (-3))');
    expect(p('(x + 1) * 2 >= 4')).toBe('(((x + 1) * 2) >= 4)');
  });

  it('accepts word and symbol spellings of every operator, case-insensitive', () => {
    expect(p('SNR = 1 AND flux <> 2 Or NOT peak <= 3')).toBe('(((snr == 1) && (flux != 2)) || (!(peak <= 3)))');
    expect(p("snr >= 1 && snr < 2 && snr > 0 && snr == 1 && snr != 3 && label = 'real'"))
      .toBe("((((((snr >= 1) && (snr < 2)) && (snr > 0)) && (snr == 1)) && (snr != 3)) && (sourceness == 'REAL'))");
  });

  it('parses functions, in-lists, is null, constants and aliases', () => {
    expect(p('abs(pa) < sqrt(4) + log10(100) + ln(1) + min(1, 2, 3) - max(x, y)'))
      .toBe('(abs(pa) < ((((sqrt(4) + log10(100)) + ln(1)) + min(1, 2, 3)) - max(x, y)))');
    expect(p("class in ('hii', 'SNR')")).toBe("(class in ['HII', 'SNR'])");
    expect(p("class not in ('HII')")).toBe("(class not in ['HII'])");
    expect(p("type = 'POINT'")).toBe("(type == 'point')");
    expect(p('notes is null || morphology is not null')).toBe('((notes is null) || (morphology is not null))');
    expect(p('bmaj < 2*beam_bmaj')).toBe('(bmaj < (2 * beam_bmaj))');
    expect(p('1.5e-3 < flux && .5 < 1.')).toBe('((0.0015 < flux) && (0.5 < 1))');
    expect(p("name == 'it''s'")).toBe("(name == 'it's')");
    expect(parseFilter('   ', schema)).toBeNull();
  });
});

describe('parseFilter: errors point at the character', () => {
  const cases: [string, number, RegExp][] = [
    ['snr > ', 6, /expected a number, a string/],
    ['snr > 7 &&', 10, /expected/],
    ['snr >> 7', 5, /expected/],
    ['(snr > 7', 8, /expected '\)'/],
    ['snr > 7)', 7, /unexpected '\)'/],
    ['snrr > 7', 0, /unknown column 'snrr'/],
    ['snr > 7 && bogus < 1', 11, /unknown column 'bogus'/],
    ['foo(x) > 1', 0, /unknown function 'foo'/],
    ["snr > 'a'", 6, /cannot compare a number with a string/],
    ["label == 7", 9, /cannot compare a string with a number/],
    ['snr + 1', 0, /must be a condition/],
    ['1 < snr < 3', 8, /do not chain/],
    ["label != 'FAKE", 9, /unterminated string/],
    ['snr > 7 # x', 8, /unexpected character '#'/],
    ['snr > 3abc', 7, /after a number/],
    ['snr == null', 7, /is null/],
    ["class in ('A', 3)", 15, /list item must be a string/],
    ['abs(1, 2) > 0', 7, /takes 1/],
    ['min(1) > 0', 5, /takes 2 or more/],
    ['snr is 3', 7, /expected 'null'/],
    ["label + 1 > 2", 0, /expected a number/],
    ['snr > 1 && 2', 11, /expected a condition/],
  ];
  it.each(cases)('%s → position %i', (text, position, message) => {
    const e = errorOf(text);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(message);
    // The caret line sits under the reported character.
    const lines = e.message.split('\n');
    expect(lines[2]!.indexOf('^') - 2).toBe(position);
  });
  it('names what was expected', () => {
    expect(errorOf('snrr > 1').expected).toMatch(/snr/);
    expect(errorOf('(snr > 1').expected).toBe("')'");
  });
});

describe('evaluator', () => {
  const row = (v: Record<string, number | string | null>) => (c: string) => v[c];
  const m = (text: string, v: Record<string, number | string | null>): boolean => compileEvaluator(parseFilter(text, schema)!)(row(v));

  it('evaluates the issue example', () => {
    const f = "snr > 7 && bmaj < 2*beam_bmaj && label != 'FAKE'";
    expect(m(f, { snr: 8, bmaj: 11, sourceness: null })).toBe(true); // unlabelled passes != 'FAKE'
    expect(m(f, { snr: 8, bmaj: 11, sourceness: 'FAKE' })).toBe(false);
    expect(m(f, { snr: 8, bmaj: 12, sourceness: 'REAL' })).toBe(false);
    expect(m(f, { snr: 7, bmaj: 1, sourceness: 'REAL' })).toBe(false);
    expect(m(f, { snr: null, bmaj: 1, sourceness: 'REAL' })).toBe(false);
  });
  it('arithmetic, functions, modulo of reals, three-valued logic', () => {
    expect(m('7.5 % 2 == 1.5 && -7.5 % 2 == -1.5', {})).toBe(true);
    expect(m('abs(-3) == 3 && sqrt(16) == 4 && log10(1000) == 3 && ln(1) == 0 && min(3, 1, 2) == 1 && max(3, 5) == 5', {})).toBe(true);
    expect(m('x / 0 is null', { x: 1 })).toBe(true);
    expect(m('sqrt(x) is null && ln(0) is null', { x: -1 })).toBe(true);
    expect(m('not (snr > 5)', { snr: null })).toBe(false); // unknown stays unknown
    expect(m('snr > 5 || flux > 1', { snr: null, flux: 2 })).toBe(true);
    expect(m("class in ('HII', 'SNR')", { class: 'SNR' })).toBe(true);
    expect(m("class not in ('HII', 'SNR')", { class: 'PN' })).toBe(true);
    expect(m("class not in ('HII', 'SNR')", { class: null })).toBe(false);
    expect(m('beam_bmin == 5', {})).toBe(true);
  });
  it('an unknown beam makes beam comparisons unknown, not an error', () => {
    const noBeam = catalogueFilterSchema();
    expect(compileEvaluator(parseFilter('bmaj < 2 * beam_bmaj', noBeam)!)(() => 1)).toBe(false);
  });
});
