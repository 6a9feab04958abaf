/**
 * Colourbar data. The bar is drawn as DS9 does: linear in colour (position p ∈ [0,1] along the bar
 * shows colormap(p), inverted if asked), so with a non-linear stretch the tick values are spaced
 * unevenly along it. Ticks are nice round data values placed at stretch((v − lo)/(hi − lo)).
 */
import type { ImageStats } from '../../../../shared/contract/images';
import { clipLimits, histeqCdf } from './clip';
import { COLORMAP_SIZE, colormapIndex, colormapTable } from './colormaps';
import { usableRange } from './lut';
import { stretchForward, stretchInverse, type StretchCdf } from './stretch';
import type { DisplaySettings } from './types';

export interface ColourbarTick {
  /** Data value (image units). */
  value: number;
  /** Position along the bar, 0 = low end (the lo clip limit), 1 = high end. */
  position: number;
}

interface Mapping {
  lo: number;
  hi: number;
  cdf: StretchCdf | undefined;
}

function mapping(settings: DisplaySettings, stats: ImageStats): Mapping {
  const c = clipLimits(stats, settings.clip);
  const { lo, hi } = usableRange(c.lo, c.hi);
  return { lo, hi, cdf: settings.stretch === 'histeq' ? histeqCdf(stats, lo, hi) : undefined };
}

/** The 1-2-5 step nearest above `raw`. */
function niceStep(raw: number): number {
  const e = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / e;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

/** Rounds away the float noise of k·step (0.30000000000000004 → 0.3). */
function tidy(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return digits > 15 ? v : Number(v.toFixed(digits));
}

/**
 * About n ticks (fewer where nice values would collide). Linear: evenly spaced 1-2-5 values.
 * Other stretches: n evenly spaced positions along the bar, each value rounded to one significant
 * digit of the local value spacing, then placed where that rounded value really falls.
 */
export function colourbarTicks(settings: DisplaySettings, stats: ImageStats, n: number): ColourbarTick[] {
  const count = Math.max(2, Math.floor(n));
  const { lo, hi, cdf } = mapping(settings, stats);
  const span = hi - lo;
  const positionOf = (v: number) => stretchForward(settings.stretch, (v - lo) / span, settings.stretchParam, cdf);
  const valueAt = (p: number) => lo + span * stretchInverse(settings.stretch, p, settings.stretchParam, cdf);
  const ticks: ColourbarTick[] = [];

  if (settings.stretch === 'linear') {
    const step = niceStep(span / (count - 1));
    for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
      const value = tidy(k * step, step);
      ticks.push({ value, position: positionOf(value) });
    }
    return ticks;
  }

  const values = Array.from({ length: count }, (_, i) => valueAt(i / (count - 1)));
  const minGap = 0.5 / count;
  for (let i = 0; i < count; i++) {
    const spacing = Math.abs(values[Math.min(i + 1, count - 1)]! - values[Math.max(i - 1, 0)]!) / 2;
    const v = values[i]!;
    // one significant digit of the local spacing, but never more than two significant digits in the label
    let step = spacing > 0 ? Math.pow(10, Math.floor(Math.log10(spacing))) : span;
    if (v !== 0) step = Math.max(step, Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 1));
    let value = tidy(Math.round(v / step) * step, step);
    if (value < lo || value > hi) value = tidy((value < lo ? Math.ceil(lo / step) : Math.floor(hi / step)) * step, step);
    if (value < lo || value > hi) continue;
    const position = positionOf(value);
    const prev = ticks[ticks.length - 1];
    if (prev && (value <= prev.value || position - prev.position < minGap)) continue;
    ticks.push({ value, position });
  }
  return ticks;
}

/** A 1-pixel-high RGBA strip of the bar, low end at x = 0 (alpha 255). */
export function colourbarPixels(settings: DisplaySettings, _stats: ImageStats, width: number): Uint8ClampedArray {
  const w = Math.max(0, Math.floor(width));
  const table = colormapTable(settings.colormap);
  const out = new Uint8ClampedArray(w * 4);
  for (let x = 0; x < w; x++) {
    const p = w > 1 ? x / (w - 1) : 0.5; // end pixels show the exact end colours
    const idx = colormapIndex(p);
    const k = (settings.invert ? COLORMAP_SIZE - 1 - idx : idx) * 3;
    out[x * 4] = table[k]!;
    out[x * 4 + 1] = table[k + 1]!;
    out[x * 4 + 2] = table[k + 2]!;
    out[x * 4 + 3] = 255;
  }
  return out;
}
