import { describe, expect, it } from 'vitest';
import { colormapRgb } from '../viewer/colour';
import {
  binPalette, COLOUR_BINS, colourCodes, dataRange, denormalise, layerPaint, markerRadii, MISSING_COLOUR, normalise, rgbHex, ruleColumns, ruleRange,
} from './styleRules';

describe('rule mapping', () => {
  it('normalise: linear, sqrt and log against the analytic values; clamped; missing → NaN', () => {
    const r = { min: 1, max: 100 };
    expect(normalise(50.5, r, 'linear')).toBeCloseTo(0.5, 12);
    expect(normalise(25.75, r, 'sqrt')).toBeCloseTo(Math.sqrt(0.25), 12);
    expect(normalise(10, r, 'log')).toBeCloseTo(0.5, 12);
    expect(normalise(1000, r, 'log')).toBe(1);
    expect(normalise(-5, r, 'linear')).toBe(0);
    expect(normalise(-5, r, 'log')).toBe(0);
    expect(normalise(Number.NaN, r, 'linear')).toBeNaN();
    for (const scale of ['linear', 'sqrt', 'log'] as const) for (const t of [0, 0.2, 0.7, 1]) expect(normalise(denormalise(t, r, scale), r, scale)).toBeCloseTo(t, 10);
  });

  it('ranges: the data range skips NaN (and non-positive values for log); explicit limits win', () => {
    const v = Float32Array.from([Number.NaN, -2, 0, 3, 8]);
    expect(dataRange(v, 'linear')).toEqual({ min: -2, max: 8 });
    expect(dataRange(v, 'log')).toEqual({ min: 3, max: 8 });
    expect(dataRange(Float32Array.from([Number.NaN]), 'linear')).toBeNull();
    expect(ruleRange(v, { scale: 'linear', min: 0, max: null })).toEqual({ min: 0, max: 8 });
    expect(ruleRange(v, { scale: 'linear', min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
  });

  it('colour codes: bright and faint land at opposite ends of the colormap; missing is code 0 (grey)', () => {
    const snr = Float32Array.from([5, 5.1, 50, 100, Number.NaN]);
    const codes = colourCodes(snr, { min: 5, max: 100 }, 'linear');
    expect(Array.from(codes)).toEqual([1, 1, 1 + Math.floor((45 / 95) * COLOUR_BINS), COLOUR_BINS, 0]);
    const palette = binPalette('viridis');
    expect(palette).toHaveLength(COLOUR_BINS + 1);
    expect(palette[0]).toBe(MISSING_COLOUR);
    expect(palette[1]).toBe(rgbHex(colormapRgb('viridis', 0.5 / COLOUR_BINS)));
    expect(palette[COLOUR_BINS]).toBe(rgbHex(colormapRgb('viridis', 1 - 0.5 / COLOUR_BINS)));
    expect(palette[1]).not.toBe(palette[COLOUR_BINS]);
  });

  it('marker radii: minPx..maxPx along the scale; missing gets minPx', () => {
    const flux = Float32Array.from([0.001, 0.01, 0.1, Number.NaN]);
    const radii = markerRadii(flux, { min: 0.001, max: 0.1 }, { scale: 'log', minPx: 2, maxPx: 10 });
    expect(Array.from(radii)).toEqual([2, 6, 10, 2]);
  });

  it('layerPaint: by label until the column has arrived; cached per column array and rule', () => {
    const style = { colour: '#00e5ff', visible: true, colourBy: { column: 'snr', colormap: 'heat' as const, scale: 'linear' as const, min: null, max: null } };
    expect(layerPaint(style, () => undefined).codes).toBeNull();
    const snr = Float32Array.from([1, 2, 3]);
    const a = layerPaint(style, () => snr);
    expect(a.colourRange).toEqual({ min: 1, max: 3 });
    expect(Array.from(a.codes!)).toEqual([1, 1 + COLOUR_BINS / 2, COLOUR_BINS]);
    expect(layerPaint(style, () => snr).codes).toBe(a.codes);
    const b = layerPaint({ ...style, colourBy: { ...style.colourBy, max: 2 } }, () => snr);
    expect(Array.from(b.codes!)).toEqual([1, COLOUR_BINS, COLOUR_BINS]);
    expect(ruleColumns({ ...style, sizeBy: { column: 'snr', scale: 'linear', min: null, max: null, minPx: 1, maxPx: 4 } })).toEqual(['snr']);
  });
});
