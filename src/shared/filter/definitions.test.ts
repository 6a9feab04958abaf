import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors';
import { compileEvaluator, compileValueEvaluator } from './evaluate';
import { parseFilter, parseNumericExpression } from './parse';
import { catalogueFilterSchema, computedNameProblem } from './schema';
import { compileToSql } from './toSql';

// Saved subsets (`subset('name')`) and computed columns in the filter language.

const base = catalogueFilterSchema();
const schema = catalogueFilterSchema(undefined, {
  subsets: new Map([['bright', { subsetId: 4, members: () => new Set([2, 5]) }], ['Edge Set', { subsetId: 9, members: () => new Set([5, 7]) }]]),
  computed: new Map([['ratio', { expr: parseNumericExpression('flux / peak', base) }]]),
});

function errorOf(text: string, s = schema): AppError {
  try {
    parseFilter(text, s);
  } catch (err) {
    return err as AppError;
  }
  throw new Error(`no error for ${text}`);
}

describe('subset() in filters', () => {
  const rows: Record<string, number | null>[] = [
    { id: 2, flux: 4, peak: 2 }, { id: 5, flux: 1, peak: 2 }, { id: 7, flux: null, peak: 1 }, { id: 8, flux: 3, peak: 1 },
  ];
  const run = (text: string): number[] => {
    const f = compileEvaluator(parseFilter(text, schema)!);
    return rows.filter((r) => f((c) => r[c])).map((r) => r.id!);
  };
  it('combines subsets with and/or/not (names are exact, case-sensitive)', () => {
    expect(run("subset('bright') && !subset('Edge Set')")).toEqual([2]);
    expect(run("subset('bright') or subset('Edge Set')")).toEqual([2, 5, 7]);
    expect(run("not subset('bright')")).toEqual([7, 8]);
    expect(run("subset('Edge Set') and ratio < 1")).toEqual([5]);
  });
  it('compiles to a bound subquery on subset_members', () => {
    const f = compileToSql(parseFilter("subset('Edge Set') || snr > 3", schema)!, (c) => `s.${c}`);
    expect(f).toEqual({ sql: '((s.id IN (SELECT source_id FROM subset_members WHERE subset_id = ?)) OR (s.snr > ?))', params: [9, 3] });
  });
  it('points at the unknown name, or at a missing quote', () => {
    const e = errorOf("snr > 5 && subset('Bright')");
    expect(e.details).toMatchObject({ position: 18, expected: "one of 'bright', 'Edge Set'" });
    expect(errorOf('subset(bright)').details).toMatchObject({ position: 7 });
    expect(errorOf("subset('x')", base).details).toMatchObject({ position: 7, expected: 'a saved subset (none saved yet)' });
    expect(errorOf("subset('bright') > 1").details).toMatchObject({ position: 17 });
  });
});

describe('computed columns', () => {
  it('are inlined: same value as the definition, missing when an operand is', () => {
    const v = compileValueEvaluator(parseNumericExpression('ratio * 10', schema));
    expect(v((c) => ({ flux: 3, peak: 2 })[c])).toBe(15);
    expect(v((c) => ({ flux: null, peak: 2 })[c])).toBeNull();
    expect(v((c) => ({ flux: 1, peak: 0 })[c])).toBeNull();
  });
  it('errors point at the name where it is used', () => {
    expect(errorOf("snr > 1 && ratio == 'a'").details).toMatchObject({ position: 20 });
    expect(errorOf('snr > 1 && ratio').details).toMatchObject({ position: 11 });
    expect(errorOf('ratio').details).toMatchObject({ position: 0 });
  });
  it('definitions must be numeric and parse; names must be free', () => {
    expect(() => parseNumericExpression('snr > 2', base)).toThrow(/must be a number/);
    expect(() => parseNumericExpression('  ', base)).toThrow(AppError);
    expect(() => parseNumericExpression("subset('bright')", schema)).toThrow(/unknown subset/);
    expect(computedNameProblem('ratio2', base)).toBeNull();
    expect(computedNameProblem('flux', base)).toMatch(/already/);
    expect(computedNameProblem('label', base)).toMatch(/already/);
    expect(computedNameProblem('subset', base)).toMatch(/reserved/);
    expect(computedNameProblem('Ratio', base)).toMatch(/not a valid/);
  });
});
