import { describe, it, expect } from 'vitest';
import { colormapRgb, colormapTable, COLORMAP_SIZE } from './colormaps';
import { COLORMAPS } from './types';

const hex = (c: number[]) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');

describe('colormaps', () => {
  it('every colormap has 256 RGB entries', () => {
    for (const name of COLORMAPS) expect(colormapTable(name).length).toBe(COLORMAP_SIZE * 3);
  });

  // matplotlib 3.6.3: matplotlib.colors.to_hex(matplotlib.colormaps[name](x))
  const matplotlib: Record<string, string[]> = {
    viridis: ['#440154', '#482475', '#21918c', '#69cd5b', '#fde725'],
    inferno: ['#000004', '#160b39', '#bc3754', '#fb9706', '#fcffa4'],
    magma: ['#000004', '#140e36', '#b73779', '#fd9266', '#fcfdbf'],
    plasma: ['#0d0887', '#41049d', '#cc4778', '#fa9c3c', '#f0f921'],
    cubehelix: ['#000000', '#1a142f', '#a1794a', '#c4bdf1', '#ffffff'],
  };
  for (const [name, colours] of Object.entries(matplotlib)) {
    it(`${name} matches matplotlib at 0, 0.1, 0.5, 0.77, 1`, () => {
      const got = [0, 0.1, 0.5, 0.77, 1].map((x) => hex(colormapRgb(name as never, x)));
      expect(got).toEqual(colours);
    });
  }

  it('cubehelix follows Green (2011) with start 0.5, rotations −1.5, hue 1, gamma 1', () => {
    // Green 2011, eq. 2: a = h·λ(1−λ)/2, φ = 2π(s/3 + r·λ); bin i is sampled at λ = i/255
    for (const i of [0, 40, 128, 200, 255]) {
      const l = i / 255;
      const a = (1 * l * (1 - l)) / 2;
      const phi = 2 * Math.PI * (0.5 / 3 - 1.5 * l);
      const c = Math.cos(phi);
      const s = Math.sin(phi);
      const ref = [l + a * (-0.14861 * c + 1.78277 * s), l + a * (-0.29227 * c - 0.90649 * s), l + a * (1.97294 * c)];
      const t = colormapTable('cubehelix');
      ref.forEach((v, ch) => expect(Math.abs(t[i * 3 + ch]! - 255 * Math.min(1, Math.max(0, v)))).toBeLessThanOrEqual(0.51));
    }
  });

  it("DS9's heat, cool and rainbow follow their anchor points", () => {
    expect(hex(colormapRgb('heat', 0))).toBe('#000000');
    expect(hex(colormapRgb('heat', 1))).toBe('#ffffff');
    // heat: red saturates at 0.34, blue starts at 0.65 → at 0.5 orange-ish: r=255, g=0.5, b=0
    const h = colormapTable('heat');
    expect(h[128 * 3]).toBe(255);
    expect(Math.abs(h[128 * 3 + 1]! - 255 * (128 / 255))).toBeLessThanOrEqual(0.5);
    expect(h[128 * 3 + 2]).toBe(0);
    expect(hex(colormapRgb('cool', 0))).toBe('#000000');
    expect(hex(colormapRgb('cool', 1))).toBe('#ffffff');
    // rainbow: magenta → blue (0.2) → cyan (0.4) → green (0.6) → yellow (0.8) → red (1)
    expect(hex(colormapRgb('rainbow', 0))).toBe('#ff00ff');
    expect(hex(colormapRgb('rainbow', 1))).toBe('#ff0000');
    const r = colormapTable('rainbow');
    const at = (x: number) => hex(Array.from(r.subarray(Math.round(x * 255) * 3, Math.round(x * 255) * 3 + 3)));
    expect(at(0.6)).toBe('#00ff00');
  });

  it('grey is a linear ramp', () => {
    const t = colormapTable('grey');
    for (const i of [0, 1, 77, 255]) expect([t[i * 3], t[i * 3 + 1], t[i * 3 + 2]]).toEqual([i, i, i]);
  });

  it('invert reads the table backwards', () => {
    for (const name of COLORMAPS) {
      expect(colormapRgb(name, 0, true)).toEqual(colormapRgb(name, 1));
      expect(colormapRgb(name, 0.3, true)).toEqual(colormapRgb(name, 0.7 + 1e-9));
      expect(colormapRgb(name, 0.5, true)).toEqual(colormapRgb(name, 0.5 - 1e-9));
    }
  });
});
