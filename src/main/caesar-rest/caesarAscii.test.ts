import { describe, expect, it } from 'vitest';
import { formatG } from './caesarAscii';

describe('formatG (C++ setprecision / printf %g, as CAESAR prints its tables)', () => {
  it('matches Python\'s %.6g and %.8g (same rule as C) on edge values', () => {
    const vals = [0.000123456789, 1234567.891, 12345678.9, -0.5, 3.0, 1e-5, 0.0001, 123456, 1234567, 2.5e-10, 99.99999999];
    // printed by /usr/bin/python3: ['%.6g' % v for v in vals], ['%.8g' % v for v in vals]
    expect(vals.map((v) => formatG(v, 6))).toEqual(['0.000123457', '1.23457e+06', '1.23457e+07', '-0.5', '3', '1e-05', '0.0001', '123456', '1.23457e+06', '2.5e-10', '100']);
    expect(vals.map((v) => formatG(v, 8))).toEqual(['0.00012345679', '1234567.9', '12345679', '-0.5', '3', '1e-05', '0.0001', '123456', '1234567', '2.5e-10', '100']);
  });

  it('NaN, infinities and missing values as CAESAR spells them', () => {
    expect([NaN, Infinity, -Infinity, undefined, 0].map((v) => formatG(v, 6))).toEqual(['nan', 'inf', '-inf', 'nan', '0']);
  });
});
