import { describe, it, expect } from 'vitest';
import { stretchForward, stretchInverse } from './stretch';
import { STRETCHES } from './types';

const grid = Array.from({ length: 1001 }, (_, i) => i / 1000);
// a skewed CDF so histeq has something to do
const cdf = (t: number) => Math.sqrt(t);

describe('stretchForward', () => {
  for (const s of STRETCHES) {
    it(`${s}: 0→0, 1→1, monotone non-decreasing, inside [0,1]`, () => {
      expect(stretchForward(s, 0, undefined, cdf)).toBe(0);
      expect(stretchForward(s, 1, undefined, cdf)).toBeCloseTo(1, 12);
      let prev = -1;
      for (const t of grid) {
        const y = stretchForward(s, t, undefined, cdf);
        expect(y).toBeGreaterThanOrEqual(prev);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(1);
        prev = y;
      }
    });
    it(`${s}: inverse undoes forward`, () => {
      for (const t of [0, 0.01, 0.1, 0.3, 0.5, 0.9, 1]) {
        const y = stretchForward(s, t, undefined, cdf);
        expect(stretchInverse(s, y, undefined, cdf)).toBeCloseTo(t, 6);
      }
    });
  }

  it('clamps t outside [0,1]', () => {
    expect(stretchForward('log', -3)).toBe(0);
    expect(stretchForward('sqrt', 7)).toBe(1);
  });

  // DS9 tksao/frame/colorscale.C; ours is normalised to end at exactly 1, so it matches within the
  // normalisation factor (≤ 0.2 % for the default parameters).
  const ds9: Record<string, (x: number) => number> = {
    log: (x) => Math.log10(1000 * x + 1) / Math.log10(1000),
    power: (x) => (Math.pow(1000, x) - 1) / 1000,
    sqrt: (x) => Math.sqrt(x),
    squared: (x) => x * x,
    asinh: (x) => Math.asinh(10 * x) / 3,
    sinh: (x) => Math.sinh(3 * x) / 10,
  };
  for (const [name, f] of Object.entries(ds9)) {
    it(`${name} matches DS9's curve`, () => {
      for (const x of [0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.99]) {
        const ours = stretchForward(name as never, x);
        expect(Math.abs(ours - f(x))).toBeLessThanOrEqual(0.002 * Math.max(f(x), 1e-3) + 1e-12);
      }
    });
  }

  it('log and power use the exponent parameter', () => {
    // a = 10: y(0.5) = log10(6)/log10(11)
    expect(stretchForward('log', 0.5, 10)).toBeCloseTo(Math.log10(6) / Math.log10(11), 12);
    expect(stretchForward('power', 0.5, 10)).toBeCloseTo((Math.sqrt(10) - 1) / 9, 12);
    // a larger exponent makes log steeper at the faint end
    expect(stretchForward('log', 0.05, 10000)).toBeGreaterThan(stretchForward('log', 0.05, 100));
    // invalid parameters fall back to the default 1000
    expect(stretchForward('log', 0.3, -5)).toBe(stretchForward('log', 0.3));
  });

  it('histeq without a CDF is linear, with one follows it', () => {
    expect(stretchForward('histeq', 0.25)).toBe(0.25);
    expect(stretchForward('histeq', 0.25, undefined, cdf)).toBe(0.5);
  });
});
