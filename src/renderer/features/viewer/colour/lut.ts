/**
 * The combined lookup table and the per-pixel colouring loop. All the expensive work (stretch,
 * histeq CDF, colormap, invert) happens once per settings change in buildLut; colourTile then does
 * per pixel only a NaN test, a clamp, an index and one 32-bit store.
 */
import type { ImageStats } from '../../../../shared/contract/images';
import { clipLimits, histeqCdf } from './clip';
import { colormapIndex, colormapTable } from './colormaps';
import { stretchForward } from './stretch';
import type { ColourLut, DisplaySettings } from './types';
import { packRgba } from './types';

/**
 * Entries in the LUT. 16384 keeps steep stretches honest (log with a = 1000 spans < 3 of the 256
 * colours in its first entry) while the 64 KiB table still sits in the L2 cache.
 */
export const LUT_SIZE = 16384;

/** Clip limits made usable: a zero-width range gets a tiny width so values ≥ lo go to the top colour. */
export function usableRange(lo: number, hi: number): { lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1 };
  if (hi > lo) return { lo, hi };
  const eps = Math.max(Math.abs(lo) * 1e-9, 1e-30);
  return { lo, hi: lo + eps };
}

/**
 * Builds the LUT for the settings. Entry i covers t ∈ [i/N, (i+1)/N) (t = (v − lo)/(hi − lo)) and holds
 * the colour of its left edge: with N a multiple of 256 the linear stretch then picks exactly
 * matplotlib's colour bin floor(256·t) for every value. The last entry is pinned to t = 1.
 */
export function buildLut(settings: DisplaySettings, stats: ImageStats, size: number = LUT_SIZE): ColourLut {
  const clip = clipLimits(stats, settings.clip);
  const { lo, hi } = usableRange(clip.lo, clip.hi);
  const cdf = settings.stretch === 'histeq' ? histeqCdf(stats, lo, hi) : undefined;
  const table = colormapTable(settings.colormap);
  const rgba = new Uint32Array(size);
  const last = size - 1;
  for (let i = 0; i < size; i++) {
    const t = i === last ? 1 : i / size;
    const y = stretchForward(settings.stretch, t, settings.stretchParam, cdf);
    const k = colormapIndex(settings.invert ? 1 - y : y) * 3;
    rgba[i] = packRgba(table[k]!, table[k + 1]!, table[k + 2]!, 255);
  }
  const [r, g, b, a] = settings.nanColour;
  return { lo, hi, rgba, nan: packRgba(r, g, b, a) };
}

/**
 * Colours a float32 tile into RGBA bytes (out.length = 4·data.length), e.g. an ImageData's data.
 * ±Infinity clamp like out-of-range values; NaN takes the LUT's NaN colour.
 */
export function colourTile(data: Float32Array, lut: ColourLut, out: Uint8ClampedArray): void {
  const n = data.length;
  if (out.length < n * 4) throw new RangeError(`colourTile: out has ${out.length} bytes, needs ${n * 4}`);
  const table = lut.rgba;
  const last = table.length - 1;
  const lo = lut.lo;
  const scale = table.length / (lut.hi - lut.lo);
  const nan = lut.nan;
  // A Uint32 view needs 4-byte alignment; canvas ImageData always is. Otherwise go through a scratch copy.
  const aligned = out.byteOffset % 4 === 0;
  const out32 = aligned ? new Uint32Array(out.buffer, out.byteOffset, n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v !== v) {
      out32[i] = nan;
      continue;
    }
    const k = (v - lo) * scale;
    out32[i] = k <= 0 ? table[0]! : k >= last ? table[last]! : table[k | 0]!;
  }
  if (!aligned) out.set(new Uint8ClampedArray(out32.buffer, 0, n * 4));
}
