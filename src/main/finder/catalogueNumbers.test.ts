import { describe, expect, it } from 'vitest';
import { roundSig, SIGNIFICANT_DIGITS, writeSigNumber } from './catalogueNumbers';

const text = (v: number): string => {
  const buf = new Uint8Array(32);
  return Buffer.from(buf.subarray(0, writeSigNumber(v, buf, 0))).toString('latin1');
};

describe('catalogue numbers (10 significant digits)', () => {
  it('writeSigNumber writes JSON.stringify(roundSig(v)), and roundSig keeps 10 significant digits, over 60 decades', () => {
    let seed = 3;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = [1, 2, 10, 100, 44, 7199.999, 0.1, 0.3, 1e-7, 1e-6, 9.9999999995e-7, 1.00000000005, 0.99999999995, 123456789012, 1e20, 1e21, 5e-324, 1e300, Math.PI, -Math.E];
    for (let i = 0; i < 200000; i++) values.push((rnd() - 0.5) * 10 ** (Math.floor(rnd() * 60) - 30));
    for (const v of values) {
      const r = roundSig(v);
      expect(text(v)).toBe(JSON.stringify(r));
      // the nearest 10-digit decimal (a tie may go either way)
      expect(Math.abs(r - v)).toBeLessThanOrEqual(Math.abs(v) * 0.5000001 * 10 ** (1 - SIGNIFICANT_DIGITS));
      expect(roundSig(r)).toBe(r);
    }
    expect([text(0), text(-0), text(-1.5), text(5970.028814345901), text(0.0000018037890185951255)]).toEqual(['0', '0', '-1.5', '5970.028814', '0.000001803789019']);
    expect([roundSig(NaN), roundSig(Infinity), roundSig(0)]).toEqual([NaN, Infinity, 0]);
  });
});
