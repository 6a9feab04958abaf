import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildLut, colourTile } from './lut';
import { statsFromSample } from './statsFromSample';
import type { ColormapName, DisplaySettings, StretchName } from './types';
import { DEFAULT_DISPLAY } from './types';

/** SAOImage DS9's own colouring of a test row, exported by tools/ds9Reference.py. */
interface Reference {
  ds9Version: string;
  combos: { ds9: string; stretch: StretchName; colormap: ColormapName; invert: boolean; rgb: string }[];
}
const ref = JSON.parse(readFileSync(new URL('./ds9Reference.json', import.meta.url), 'utf8')) as Reference;

const N = 512;
const values = Float32Array.from({ length: N }, (_, i) => (i / (N - 1)) ** 3);
const stats = statsFromSample(values);

describe(`colourTile agrees with DS9 ${ref.ds9Version}`, () => {
  for (const combo of ref.combos) {
    it(`${combo.ds9}`, () => {
      const settings: DisplaySettings = {
        ...DEFAULT_DISPLAY,
        stretch: combo.stretch,
        colormap: combo.colormap,
        invert: combo.invert,
        clip: { kind: 'user', lo: 0, hi: 1 },
      };
      const out = new Uint8ClampedArray(N * 4);
      colourTile(values, buildLut(settings, stats), out);
      let max = 0;
      let sum = 0;
      let far = 0;
      for (let i = 0; i < N; i++) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(out[i * 4 + c]! - parseInt(combo.rgb.slice(i * 6 + c * 2, i * 6 + c * 2 + 2), 16));
          max = Math.max(max, d);
          sum += d;
          if (d > 6) far++;
        }
      }
      // DS9 samples its colormaps and scales at slightly different points (and normalises the curves a
      // hair differently, see stretch.ts): on average well under one level, a few levels at colour-bin
      // edges, and an isolated bigger step where a curve is steep (sqrt/histeq at the faint end).
      expect(sum / (3 * N), combo.ds9).toBeLessThan(1);
      expect(far / (3 * N), combo.ds9).toBeLessThan(0.01);
      expect(max, combo.ds9).toBeLessThanOrEqual(16);
    });
  }
});
