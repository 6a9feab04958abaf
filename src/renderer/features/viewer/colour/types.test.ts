import { describe, it, expect } from 'vitest';
import { DEFAULT_DISPLAY, packRgba, sameDisplay, unpackRgba } from './types';

describe('packRgba', () => {
  it('packs so that a Uint32 view writes r, g, b, a bytes in order (little-endian)', () => {
    const bytes = new Uint8ClampedArray(4);
    new Uint32Array(bytes.buffer)[0] = packRgba(1, 2, 3, 250);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 250]);
    expect(unpackRgba(packRgba(255, 0, 128, 7))).toEqual([255, 0, 128, 7]);
  });
});

describe('sameDisplay', () => {
  it('detects every change that alters the LUT', () => {
    const d = DEFAULT_DISPLAY;
    expect(sameDisplay(d, { ...d, nanColour: [...d.nanColour] })).toBe(true);
    expect(sameDisplay(d, { ...d, stretch: 'log' })).toBe(false);
    expect(sameDisplay(d, { ...d, stretchParam: 100 })).toBe(false);
    expect(sameDisplay(d, { ...d, colormap: 'heat' })).toBe(false);
    expect(sameDisplay(d, { ...d, invert: true })).toBe(false);
    expect(sameDisplay(d, { ...d, nanColour: [1, 0, 0, 0] })).toBe(false);
    expect(sameDisplay(d, { ...d, clip: { kind: 'percentile', percent: 99 } })).toBe(false);
    expect(sameDisplay(d, { ...d, clip: { kind: 'zscale' } })).toBe(false);
    const u = { ...d, clip: { kind: 'user', lo: 0, hi: 1 } as const };
    expect(sameDisplay(u, { ...d, clip: { kind: 'user', lo: 0, hi: 1 } })).toBe(true);
    expect(sameDisplay(u, { ...d, clip: { kind: 'user', lo: 0, hi: 2 } })).toBe(false);
  });
});
