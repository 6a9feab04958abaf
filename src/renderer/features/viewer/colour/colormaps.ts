/**
 * Colormap tables: 256 RGB entries each (Uint8Array, r,g,b per entry). Index for y ∈ [0,1] is
 * min(255, floor(y·256)), as matplotlib's Colormap.__call__ does.
 *  - viridis, inferno, magma, plasma, cubehelix: generated from matplotlib (colormapData.ts).
 *  - heat, cool, rainbow: DS9's piecewise-linear definitions (tksao/colorbar/default.C). rainbow is
 *    DS9's "rainbow" (magenta → blue → cyan → green → yellow → red), not matplotlib's jet/turbo.
 *  - grey: linear black → white.
 */
import { COLORMAP_HEX } from './colormapData';
import type { ColormapName } from './types';

export const COLORMAP_SIZE = 256;

/** A channel as DS9 writes it: (x, level) anchors, linearly interpolated. */
type Anchors = readonly (readonly [number, number])[];

interface Ds9Map {
  red: Anchors;
  green: Anchors;
  blue: Anchors;
}

const DS9_MAPS: Record<'heat' | 'cool' | 'rainbow', Ds9Map> = {
  heat: {
    red: [[0, 0], [0.34, 1], [1, 1]],
    green: [[0, 0], [1, 1]],
    blue: [[0, 0], [0.65, 0], [0.98, 1], [1, 1]],
  },
  cool: {
    red: [[0, 0], [0.29, 0], [0.76, 0.1], [1, 1]],
    green: [[0, 0], [0.22, 0], [0.96, 1], [1, 1]],
    blue: [[0, 0], [0.53, 1], [1, 1]],
  },
  rainbow: {
    red: [[0, 1], [0.2, 0], [0.6, 0], [0.8, 1], [1, 1]],
    green: [[0, 0], [0.2, 0], [0.4, 1], [0.8, 1], [1, 0]],
    blue: [[0, 1], [0.4, 1], [0.6, 0], [1, 0]],
  },
};

function interpolateAnchors(anchors: Anchors, x: number): number {
  for (let i = 1; i < anchors.length; i++) {
    const [x1, y1] = anchors[i]!;
    if (x <= x1) {
      const [x0, y0] = anchors[i - 1]!;
      return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return anchors[anchors.length - 1]![1];
}

function fromDs9(map: Ds9Map): Uint8Array {
  const out = new Uint8Array(COLORMAP_SIZE * 3);
  for (let i = 0; i < COLORMAP_SIZE; i++) {
    // sampled end to end so entry 0 and 255 are exactly the anchors at x = 0 and x = 1
    const x = i / (COLORMAP_SIZE - 1);
    out[i * 3] = Math.round(255 * interpolateAnchors(map.red, x));
    out[i * 3 + 1] = Math.round(255 * interpolateAnchors(map.green, x));
    out[i * 3 + 2] = Math.round(255 * interpolateAnchors(map.blue, x));
  }
  return out;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(COLORMAP_SIZE * 3);
  for (let i = 0; i < COLORMAP_SIZE * 3; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function grey(): Uint8Array {
  const out = new Uint8Array(COLORMAP_SIZE * 3);
  for (let i = 0; i < COLORMAP_SIZE; i++) out.fill(i, i * 3, i * 3 + 3);
  return out;
}

function makeTable(name: ColormapName): Uint8Array {
  switch (name) {
    case 'grey':
      return grey();
    case 'heat':
    case 'cool':
    case 'rainbow':
      return fromDs9(DS9_MAPS[name]);
    default:
      return fromHex(COLORMAP_HEX[name]);
  }
}

const tables = new Map<ColormapName, Uint8Array>();

/** The 256×RGB table of a colormap (memoised; treat as read-only). */
export function colormapTable(name: ColormapName): Uint8Array {
  let t = tables.get(name);
  if (!t) {
    t = makeTable(name);
    tables.set(name, t);
  }
  return t;
}

/**
 * Colour of y ∈ [0,1] (clamped) as [r, g, b], matplotlib's binning: index = min(255, floor(y·256)).
 * Inverted reads the table backwards (entry 255 − index), as matplotlib's "_r" maps and DS9 do.
 */
export function colormapRgb(name: ColormapName, y: number, invert = false): [number, number, number] {
  const t = colormapTable(name);
  const k = invert ? COLORMAP_SIZE - 1 - colormapIndex(y) : colormapIndex(y);
  return [t[k * 3]!, t[k * 3 + 1]!, t[k * 3 + 2]!];
}

export function colormapIndex(y: number): number {
  if (!(y > 0)) return 0;
  const k = Math.floor(y * COLORMAP_SIZE);
  return k >= COLORMAP_SIZE ? COLORMAP_SIZE - 1 : k;
}
