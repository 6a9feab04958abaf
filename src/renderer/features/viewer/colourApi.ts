// TEMPORARY grey linear stand-in for the colour helper's module (./colour/index.ts), same API names.
// Deleted, and this file reduced to a re-export, as soon as ./colour lands.
import type { ImageStats } from '../../../shared/contract/images';

export type StretchName = 'linear' | 'log' | 'sqrt' | 'squared' | 'power' | 'asinh' | 'sinh' | 'histeq';
export type ColormapName = 'grey' | 'viridis' | 'inferno' | 'magma' | 'plasma' | 'cubehelix' | 'heat' | 'cool' | 'rainbow';
export type ClipMode = { kind: 'minmax' } | { kind: 'percentile'; percent: number } | { kind: 'zscale' } | { kind: 'user'; lo: number; hi: number };
export interface DisplaySettings {
  stretch: StretchName;
  stretchParam?: number;
  clip: ClipMode;
  colormap: ColormapName;
  invert: boolean;
  nanColour: [number, number, number, number];
}
export interface ColourLut { lo: number; hi: number; rgba: Uint32Array; nan: number }

export const DEFAULT_DISPLAY: DisplaySettings = { stretch: 'linear', clip: { kind: 'percentile', percent: 99.5 }, colormap: 'grey', invert: false, nanColour: [0, 0, 0, 0] };
export const STRETCHES: readonly StretchName[] = ['linear', 'log', 'sqrt', 'squared', 'power', 'asinh', 'sinh', 'histeq'];
export const COLORMAPS: readonly ColormapName[] = ['grey', 'viridis', 'inferno', 'magma', 'plasma', 'cubehelix', 'heat', 'cool', 'rainbow'];
export const PERCENT_CLIPS: readonly number[] = [90, 95, 97, 98, 99, 99.5, 99.9];

function quantile(stats: ImageStats, p: number): number {
  const q = stats.quantiles;
  return q[Math.max(0, Math.min(q.length - 1, Math.round((p / 100) * (q.length - 1))))] ?? 0;
}

export function clipLimits(stats: ImageStats, clip: ClipMode): { lo: number; hi: number } {
  if (clip.kind === 'minmax') return { lo: stats.min, hi: stats.max };
  if (clip.kind === 'zscale') return { lo: stats.zscale.z1, hi: stats.zscale.z2 };
  if (clip.kind === 'user') return { lo: clip.lo, hi: clip.hi };
  const tail = (100 - clip.percent) / 2;
  return { lo: quantile(stats, tail), hi: quantile(stats, 100 - tail) };
}

const pack = (r: number, g: number, b: number, a: number): number => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;

export function buildLut(settings: DisplaySettings, stats: ImageStats): ColourLut {
  const { lo, hi } = clipLimits(stats, settings.clip);
  const rgba = new Uint32Array(4096);
  const tint = settings.colormap === 'grey' ? [1, 1, 1] : [1, 0.7, 0.3];
  for (let i = 0; i < rgba.length; i++) {
    let t = i / (rgba.length - 1);
    if (settings.invert) t = 1 - t;
    rgba[i] = pack(255 * t * tint[0]!, 255 * t * tint[1]!, 255 * t * tint[2]!, 255);
  }
  const [r, g, b, a] = settings.nanColour;
  return { lo, hi, rgba, nan: pack(r, g, b, a) };
}

export function colourTile(data: Float32Array, lut: ColourLut, out: Uint8ClampedArray): void {
  const px = new Uint32Array(out.buffer, out.byteOffset, data.length);
  const n = lut.rgba.length - 1;
  const scale = lut.hi > lut.lo ? n / (lut.hi - lut.lo) : 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== v) px[i] = lut.nan;
    else px[i] = lut.rgba[Math.max(0, Math.min(n, ((v - lut.lo) * scale) | 0))]!;
  }
}

export function colourbarTicks(settings: DisplaySettings, stats: ImageStats, n: number): { value: number; position: number }[] {
  const { lo, hi } = clipLimits(stats, settings.clip);
  return Array.from({ length: n }, (_, i) => ({ value: lo + ((hi - lo) * i) / (n - 1), position: i / (n - 1) }));
}

export function colourbarPixels(settings: DisplaySettings, stats: ImageStats, width: number): Uint8ClampedArray {
  const lut = buildLut(settings, stats);
  const data = new Float32Array(width).map((_, i) => lut.lo + ((lut.hi - lut.lo) * i) / Math.max(1, width - 1));
  const out = new Uint8ClampedArray(width * 4);
  colourTile(data, lut, out);
  return out;
}

export function histogramBins(stats: ImageStats, bins: number, range?: { lo: number; hi: number }): { edges: number[]; counts: number[] } {
  const lo = range?.lo ?? stats.min;
  const hi = range?.hi ?? stats.max;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  const q = stats.quantiles;
  for (const v of q) {
    const b = Math.floor(((v - lo) / (hi - lo)) * bins);
    if (b >= 0 && b < bins) counts[b]! += stats.finiteCount / q.length;
  }
  return { edges, counts };
}
