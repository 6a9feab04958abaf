import { describe, it, expect } from 'vitest';
import { colourbarPixels, colourbarTicks } from './colourbar';
import { colormapRgb } from './colormaps';
import { stretchForward } from './stretch';
import { seededRandom, statsFromSample } from './statsFromSample';
import type { DisplaySettings } from './types';
import { DEFAULT_DISPLAY, STRETCHES } from './types';

const rand = seededRandom(5);
const stats = statsFromSample(Array.from({ length: 20000 }, () => -0.002 + 0.05 * Math.pow(rand(), 3)));
const settings: DisplaySettings = { ...DEFAULT_DISPLAY, clip: { kind: 'user', lo: -0.002, hi: 0.048 } };

describe('colourbarTicks', () => {
  it('linear: evenly spaced 1-2-5 values inside the clip range, positions linear in value', () => {
    const ticks = colourbarTicks(settings, stats, 6);
    expect(ticks.map((t) => t.value)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    for (const t of ticks) expect(t.position).toBeCloseTo((t.value + 0.002) / 0.05, 12);
  });

  for (const stretch of STRETCHES) {
    it(`${stretch}: ticks are increasing, inside the bar, and placed by the stretch`, () => {
      const s = { ...settings, stretch };
      const ticks = colourbarTicks(s, stats, 7);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < ticks.length; i++) {
        const t = ticks[i]!;
        expect(t.value).toBeGreaterThanOrEqual(-0.002);
        expect(t.value).toBeLessThanOrEqual(0.048);
        expect(t.position).toBeGreaterThanOrEqual(0);
        expect(t.position).toBeLessThanOrEqual(1);
        if (i > 0) {
          expect(t.value).toBeGreaterThan(ticks[i - 1]!.value);
          expect(t.position).toBeGreaterThan(ticks[i - 1]!.position);
        }
        if (stretch !== 'histeq') expect(t.position).toBeCloseTo(stretchForward(stretch, (t.value + 0.002) / 0.05), 12);
        // labels are short: at most 2 significant digits
        expect(Number(t.value.toPrecision(2))).toBe(t.value);
      }
    });
  }
});

describe('colourbarPixels', () => {
  it('runs the colormap from the low end to the high end, reversed when inverted', () => {
    const s = { ...settings, colormap: 'viridis' as const };
    const px = colourbarPixels(s, stats, 100);
    expect(px.length).toBe(400);
    expect(Array.from(px.subarray(0, 4))).toEqual([...colormapRgb('viridis', 0), 255]);
    expect(Array.from(px.subarray(396, 400))).toEqual([...colormapRgb('viridis', 1), 255]);
    const inv = colourbarPixels({ ...s, invert: true }, stats, 100);
    expect(Array.from(inv.subarray(0, 4))).toEqual([...colormapRgb('viridis', 1), 255]);
  });
});
