import { describe, it, expect } from 'vitest';
import { buildLut, colourTile, LUT_SIZE } from './lut';
import { gaussian } from './statsFromSample';
import { colormapRgb, colormapTable } from './colormaps';
import { seededRandom, statsFromSample } from './statsFromSample';
import type { DisplaySettings } from './types';
import { DEFAULT_DISPLAY, unpackRgba } from './types';

const ramp = statsFromSample(Array.from({ length: 1001 }, (_, i) => i / 1000)); // 0..1 uniform
const base: DisplaySettings = { ...DEFAULT_DISPLAY, clip: { kind: 'user', lo: 0, hi: 1 } };

function colourOf(values: number[], settings: DisplaySettings, stats = ramp): number[][] {
  const out = new Uint8ClampedArray(values.length * 4);
  colourTile(Float32Array.from(values), buildLut(settings, stats), out);
  return values.map((_, i) => Array.from(out.subarray(i * 4, i * 4 + 4)));
}

const hex = (c: number[]) => '#' + c.slice(0, 3).map((v) => v.toString(16).padStart(2, '0')).join('');

describe('buildLut + colourTile', () => {
  it('viridis ends match matplotlib (#440154, #fde725)', () => {
    const [a, b] = colourOf([0, 1], { ...base, colormap: 'viridis' });
    expect(hex(a!)).toBe('#440154');
    expect(hex(b!)).toBe('#fde725');
    expect(a![3]).toBe(255);
  });

  it('invert reverses the colormap (entry 255 − k, like matplotlib inferno_r)', () => {
    const values = [0, 0.1, 0.37, 0.5, 0.9, 1];
    const inv = colourOf(values, { ...base, colormap: 'inferno', invert: true });
    const table = colormapTable('inferno');
    const expected = values.map((v) => {
      const k = 255 - Math.min(255, Math.floor(v * 256));
      return [table[k * 3], table[k * 3 + 1], table[k * 3 + 2], 255];
    });
    expect(inv).toEqual(expected);
    // matplotlib: to_hex(colormaps['inferno_r'](0.0)), (1.0)
    expect(hex(inv[0]!)).toBe('#fcffa4');
    expect(hex(inv[5]!)).toBe('#000004');
  });

  it('NaN pixels get the NaN colour (transparent by default, or a user colour)', () => {
    expect(colourOf([Number.NaN], base)[0]).toEqual([0, 0, 0, 0]);
    expect(colourOf([Number.NaN, 0.5], { ...base, nanColour: [255, 0, 128, 200] })[0]).toEqual([255, 0, 128, 200]);
  });

  it('values below lo / above hi (and ±Infinity) clamp to the end colours', () => {
    const settings = { ...base, clip: { kind: 'user', lo: 10, hi: 20 } as const, colormap: 'plasma' as const };
    const [below, lo, hi, above, ninf, pinf] = colourOf([-1e30, 10, 20, 1e30, -Infinity, Infinity], settings);
    expect(below).toEqual(lo);
    expect(ninf).toEqual(lo);
    expect(above).toEqual(hi);
    expect(pinf).toEqual(hi);
    expect(hex(lo!)).toBe('#0d0887');
    expect(hex(hi!)).toBe('#f0f921');
  });

  it('grey linear maps value to level like matplotlib (floor(t·256))', () => {
    const values = [0, 0.25, 0.5, 0.75, 0.999];
    const got = colourOf(values, base).map((c) => c[0]);
    expect(got).toEqual(values.map((v) => Math.min(255, Math.floor(v * 256))));
  });

  it('applies the stretch: sqrt of 0.25 is mid-grey', () => {
    const [c] = colourOf([0.25], { ...base, stretch: 'sqrt' });
    expect(c![0]).toBe(128);
  });

  it('folds the colormap: every LUT entry equals colormap(stretch(t))', () => {
    const lut = buildLut({ ...base, stretch: 'asinh', colormap: 'magma' }, ramp, 1024);
    for (const i of [0, 1, 100, 511, 1023]) {
      const t = i === 1023 ? 1 : i / 1024; // left edge of entry i; the last entry is pinned to t = 1
      const y = Math.asinh(10 * t) / Math.asinh(10);
      expect(unpackRgba(lut.rgba[i]!).slice(0, 3)).toEqual(colormapRgb('magma', y));
    }
  });

  it('a zero-width clip range still colours (below → bottom, at/above → top)', () => {
    const [a, b, c] = colourOf([0, 1, 2], { ...base, clip: { kind: 'user', lo: 1, hi: 1 } });
    expect(a![0]).toBe(0);
    expect(b![0]).toBe(0);
    expect(c![0]).toBe(255);
  });

  it('histeq gives a near-uniform output distribution on a skewed sample', () => {
    const rand = seededRandom(11);
    const sample = Array.from({ length: 65536 }, () => Math.pow(rand(), 4) * 100); // piled up near 0
    const stats = statsFromSample(sample);
    const settings: DisplaySettings = { ...base, stretch: 'histeq', clip: { kind: 'minmax' } };
    const levels = colourOf(sample, settings, stats).map((c) => c[0]!);
    const counts = new Array(8).fill(0);
    for (const g of levels) counts[g >> 5]++;
    for (const c of counts) expect(Math.abs(c / sample.length - 1 / 8)).toBeLessThan(0.01);
    // the same sample under a linear stretch is nowhere near uniform
    const lin = colourOf(sample, { ...settings, stretch: 'linear' }, stats).map((c) => c[0]!);
    expect(lin.filter((g) => g < 32).length / sample.length).toBeGreaterThan(0.5);
  });

  it('writes into an unaligned view too', () => {
    const buf = new Uint8ClampedArray(4 * 3 + 1);
    const out = buf.subarray(1);
    colourTile(Float32Array.from([0, Number.NaN, 1]), buildLut(base, ramp), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  });

  it('grows the table where the stretch is steep, so histeq on a noise-dominated map reaches every colour', () => {
    const rand = seededRandom(21);
    const sample = Array.from({ length: 100_000 }, () => 1e-3 * gaussian(rand));
    for (let i = 0; i < 50; i++) sample.push(rand() * 10); // a few bright sources set the minmax range
    const stats = statsFromSample(sample);
    const settings: DisplaySettings = { ...base, stretch: 'histeq', clip: { kind: 'minmax' } };
    const lut = buildLut(settings, stats);
    expect(lut.rgba.length).toBeGreaterThan(LUT_SIZE);
    const levels = new Set(colourOf(sample, settings, stats).map((c) => c[0]));
    expect(levels.size).toBeGreaterThanOrEqual(250);
    // a fixed 16384-entry table misses many of them: the reason for growing
    const out = new Uint8ClampedArray(sample.length * 4);
    colourTile(Float32Array.from(sample), buildLut(settings, stats, LUT_SIZE), out);
    const fixed = new Set<number>();
    for (let i = 0; i < sample.length; i++) fixed.add(out[i * 4]!);
    expect(fixed.size).toBeLessThan(200);
  });

  it('keeps the default size for gentle stretches and stops growing at a true step', () => {
    expect(buildLut({ ...base, stretch: 'asinh' }, ramp).rgba.length).toBe(LUT_SIZE);
    // half the pixels are exactly 0: the histeq CDF jumps there whatever the table size
    const plateau = statsFromSample([...new Array(5000).fill(0), ...Array.from({ length: 5000 }, (_, i) => 1 + i)]);
    const lut = buildLut({ ...base, stretch: 'histeq', clip: { kind: 'minmax' } }, plateau);
    expect(lut.rgba.length).toBeLessThanOrEqual(4 * LUT_SIZE);
  });
});
