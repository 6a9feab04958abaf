/**
 * Stretches: maps t ∈ [0,1] (the value's position between the clip limits) to y ∈ [0,1] (position
 * along the colormap). Definitions follow DS9 (tksao/frame/colorscale.C, reference manual "scale"),
 * normalised so that 0→0 and 1→1 exactly (DS9's own curves end a hair off 1 and it clamps):
 *   log     y = log10(a·t+1) / log10(a+1)   DS9: / log10(a)      (a = "log exponent", default 1000)
 *   power   y = (a^t − 1) / (a − 1)         DS9: / a             (same exponent a)
 *   sqrt    y = √t,   squared y = t²
 *   asinh   y = asinh(k·t) / asinh(k)       DS9: asinh(10t)/3    (k = 10)
 *   sinh    y = sinh(3t) / sinh(3)          DS9: sinh(3t)/10 (the manual's "sinh(10x)/3" is a typo: it
 *                                           would reach 3671 at t=1; the source code uses sinh(3t)/10)
 *   histeq  y = CDF of the pixel values restricted to the clip range (see histeqCdf in clip.ts).
 */
import type { StretchName } from './types';

export const DEFAULT_LOG_EXPONENT = 1000;
export const DEFAULT_ASINH_SOFTENING = 10;
const SINH_SCALE = 3;

/** The equalising transfer function for `histeq`: t ∈ [0,1] → fraction of clipped pixels below. */
export type StretchCdf = (t: number) => number;

function paramOr(param: number | undefined, fallback: number): number {
  return param !== undefined && Number.isFinite(param) && param > 0 ? param : fallback;
}

function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/** Forward stretch [0,1] → [0,1]; t outside [0,1] is clamped first. `cdf` is required for histeq (linear without it). */
export function stretchForward(stretch: StretchName, t: number, param?: number, cdf?: StretchCdf): number {
  const x = clamp01(t);
  switch (stretch) {
    case 'linear':
      return x;
    case 'log': {
      const a = paramOr(param, DEFAULT_LOG_EXPONENT);
      return Math.log10(a * x + 1) / Math.log10(a + 1);
    }
    case 'power': {
      const a = paramOr(param, DEFAULT_LOG_EXPONENT);
      if (a === 1) return x;
      return (Math.pow(a, x) - 1) / (a - 1);
    }
    case 'sqrt':
      return Math.sqrt(x);
    case 'squared':
      return x * x;
    case 'asinh': {
      const k = paramOr(param, DEFAULT_ASINH_SOFTENING);
      return Math.asinh(k * x) / Math.asinh(k);
    }
    case 'sinh':
      return Math.sinh(SINH_SCALE * x) / Math.sinh(SINH_SCALE);
    case 'histeq':
      return cdf ? clamp01(cdf(x)) : x;
  }
}

/** Inverse of stretchForward: y ∈ [0,1] → t ∈ [0,1] (bisection for histeq, whose CDF has no closed form). */
export function stretchInverse(stretch: StretchName, y: number, param?: number, cdf?: StretchCdf): number {
  const v = clamp01(y);
  switch (stretch) {
    case 'linear':
      return v;
    case 'log': {
      const a = paramOr(param, DEFAULT_LOG_EXPONENT);
      return (Math.pow(a + 1, v) - 1) / a;
    }
    case 'power': {
      const a = paramOr(param, DEFAULT_LOG_EXPONENT);
      if (a === 1) return v;
      return Math.log(v * (a - 1) + 1) / Math.log(a);
    }
    case 'sqrt':
      return v * v;
    case 'squared':
      return Math.sqrt(v);
    case 'asinh': {
      const k = paramOr(param, DEFAULT_ASINH_SOFTENING);
      return Math.sinh(v * Math.asinh(k)) / k;
    }
    case 'sinh':
      return Math.asinh(v * Math.sinh(SINH_SCALE)) / SINH_SCALE;
    case 'histeq': {
      if (!cdf) return v;
      let a = 0;
      let b = 1;
      for (let i = 0; i < 50; i++) {
        const m = (a + b) / 2;
        if (clamp01(cdf(m)) < v) a = m;
        else b = m;
      }
      return (a + b) / 2;
    }
  }
}
