/**
 * The combined lookup table and the per-pixel colouring loop. All the expensive work (stretch,
 * histeq CDF, colormap, invert) happens once per settings change in buildLut; colourTile then does
 * per pixel only a NaN test, a clamp, an index and one 32-bit store.
 */
import type { ImageStats } from '../../../../shared/contract/images';
import { clipLimits, histeqMaxSlope, histeqTable } from './clip';
import { COLORMAP_SIZE, colormapIndex, colormapTable } from './colormaps';
import { stretchForward } from './stretch';
import type { ColourLut, DisplaySettings } from './types';
import { packRgba } from './types';

/**
 * Starting number of LUT entries: 64 KiB that sits in the L2 cache and is fine-grained enough for
 * every stretch with its default parameter on an ordinary clip range.
 */
export const LUT_SIZE = 16384;
/**
 * Upper bound on LUT entries (4 MiB). A steep curve needs many: histeq on a radio map clipped at
 * minmax spends most colours on the noise, a sliver of the range (measured on a real ATCA map: 124 of
 * 256 grey levels reached with 16384 entries, 255 with 65536; noise 10⁴ times below the peak needs ~10⁶).
 */
export const MAX_LUT_SIZE = 1 << 20;
/**
 * Growth limit for the closed-form stretches. log with the default a = 1000 needs 65536 entries to
 * reach every colour at its faint end; a larger exponent skips a few colours in the first 10⁻⁵ of
 * the range rather than spending ~100 ms on a million-entry table.
 */
const MAX_GROWN_SIZE = 65536;

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
 * Without an explicit `size` the table has LUT_SIZE entries, more where the stretch is steep: for
 * histeq as many as its steepest slope needs (up to MAX_LUT_SIZE); for the others it grows ×4 while
 * neighbouring entries skip colormap colours (log or power with a large exponent), up to 65536.
 */
export function buildLut(settings: DisplaySettings, stats: ImageStats, size?: number): ColourLut {
  const clip = clipLimits(stats, settings.clip);
  const { lo, hi } = usableRange(clip.lo, clip.hi);
  const histeq = settings.stretch === 'histeq';
  const [r, g, b, a] = settings.nanColour;
  const nan = packRgba(r, g, b, a);
  if (histeq) {
    // two entries per colour along the steepest stretch of the curve
    const need = 2 * COLORMAP_SIZE * histeqMaxSlope(stats, lo, hi);
    let n = size ?? LUT_SIZE;
    while (size === undefined && n < need && n < MAX_LUT_SIZE) n *= 2;
    return { lo, hi, rgba: fillFromY(settings, histeqTable(stats, lo, hi, n)), nan };
  }
  if (size !== undefined) return { lo, hi, rgba: fillLut(settings, size).rgba, nan };
  let n = LUT_SIZE;
  let filled = fillLut(settings, n);
  while (filled.maxJump > 1 && n < MAX_GROWN_SIZE) {
    n *= 4;
    filled = fillLut(settings, n);
  }
  return { lo, hi, rgba: filled.rgba, nan };
}

/** LUT of a closed-form stretch, and the largest colour-index step between neighbouring entries. */
function fillLut(settings: DisplaySettings, size: number): { rgba: Uint32Array; maxJump: number } {
  const palette = packedPalette(settings);
  const rgba = new Uint32Array(size);
  const last = size - 1;
  const { stretch, stretchParam } = settings;
  let maxJump = 0;
  let prev = colormapIndex(0);
  for (let i = 0; i < size; i++) {
    const t = i === last ? 1 : i / size;
    const idx = colormapIndex(stretchForward(stretch, t, stretchParam));
    const jump = idx - prev; // the stretch is non-decreasing, so jumps are ≥ 0
    if (jump > maxJump) maxJump = jump;
    prev = idx;
    rgba[i] = palette[idx]!;
  }
  return { rgba, maxJump };
}

/** LUT from precomputed stretch outputs y (histeq). */
function fillFromY(settings: DisplaySettings, y: Float64Array): Uint32Array {
  const palette = packedPalette(settings);
  const rgba = new Uint32Array(y.length);
  for (let i = 0; i < y.length; i++) rgba[i] = palette[colormapIndex(y[i]!)]!;
  return rgba;
}

/** The colormap as 256 packed opaque colours, reversed when inverted. */
function packedPalette(settings: DisplaySettings): Uint32Array {
  const table = colormapTable(settings.colormap);
  const palette = new Uint32Array(COLORMAP_SIZE);
  for (let i = 0; i < COLORMAP_SIZE; i++) {
    const k = (settings.invert ? COLORMAP_SIZE - 1 - i : i) * 3;
    palette[i] = packRgba(table[k]!, table[k + 1]!, table[k + 2]!, 255);
  }
  return palette;
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
