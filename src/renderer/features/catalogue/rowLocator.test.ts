import { describe, expect, it } from 'vitest';
import { filterLiteral, lowerBound } from './rowLocator';

describe('rowLocator helpers', () => {
  it('lowerBound finds the first element not below the value', () => {
    const a = Int32Array.from([2, 5, 5, 9, 40]);
    expect([1, 2, 3, 5, 6, 9, 40, 41].map((v) => lowerBound(a, v))).toEqual([0, 0, 1, 1, 3, 3, 4, 5]);
    expect(lowerBound(new Int32Array(0), 3)).toBe(0);
  });
  it('writes literals that round-trip numbers and escape quotes', () => {
    expect(filterLiteral(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(filterLiteral("O'Neil")).toBe("'O''Neil'");
  });
});
