/** Display settings and lookup-table types of the colour pipeline (pure data, serialisable). */

export type StretchName = 'linear' | 'log' | 'sqrt' | 'squared' | 'power' | 'asinh' | 'sinh' | 'histeq';

export type ColormapName =
  | 'grey'
  | 'viridis'
  | 'inferno'
  | 'magma'
  | 'plasma'
  | 'cubehelix'
  | 'heat'
  | 'cool'
  | 'rainbow';

export type ClipMode =
  | { kind: 'minmax' }
  /** Keeps the central `percent` % of the finite pixels: equal tails cut at each end (DS9 "99.5%"). */
  | { kind: 'percentile'; percent: number }
  | { kind: 'zscale' }
  /** Explicit limits in image units (e.g. Jy/beam). */
  | { kind: 'user'; lo: number; hi: number };

/** RGBA, each 0–255. */
export type Rgba = [number, number, number, number];

export interface DisplaySettings {
  stretch: StretchName;
  /**
   * The stretch's parameter where DS9 has one: the "log exponent" a of log and power (default 1000).
   * asinh also accepts its softening factor (default 10, DS9's fixed value). Ignored otherwise.
   */
  stretchParam?: number;
  clip: ClipMode;
  colormap: ColormapName;
  invert: boolean;
  /** Colour of NaN / blank pixels, RGBA 0–255 (default fully transparent). */
  nanColour: Rgba;
}

/** One combined lookup table: value in [lo, hi] → packed colour, stretch + colormap + invert folded in. */
export interface ColourLut {
  lo: number;
  hi: number;
  /** Packed little-endian RGBA (r | g<<8 | b<<16 | a<<24), entry i covers [lo + i·w, lo + (i+1)·w), w = (hi−lo)/length. */
  rgba: Uint32Array;
  /** Packed NaN colour. */
  nan: number;
}

export const STRETCHES: readonly StretchName[] = [
  'linear',
  'log',
  'sqrt',
  'squared',
  'power',
  'asinh',
  'sinh',
  'histeq',
];

export const COLORMAPS: readonly ColormapName[] = [
  'grey',
  'viridis',
  'inferno',
  'magma',
  'plasma',
  'cubehelix',
  'heat',
  'cool',
  'rainbow',
];

/** DS9's percentile clip menu. */
export const PERCENT_CLIPS: readonly number[] = [90, 95, 97, 98, 99, 99.5, 99.9];

/**
 * Default for radio maps: the central 99.5 % with a linear stretch in grey. Radio images are mostly
 * noise around zero with a few bright compact sources; minmax lets one source flatten everything to
 * black, zscale saturates every source, while 99.5 % keeps the noise texture visible and the brighter
 * sources graded, and linear keeps what the eye sees proportional to flux (CARTA's choice too).
 */
export const DEFAULT_DISPLAY: DisplaySettings = {
  stretch: 'linear',
  clip: { kind: 'percentile', percent: 99.5 },
  colormap: 'grey',
  invert: false,
  nanColour: [0, 0, 0, 0],
};

/** Packs RGBA bytes into the little-endian Uint32 layout that a Uint32Array view over canvas RGBA bytes reads. */
export function packRgba(r: number, g: number, b: number, a: number): number {
  return ((a & 255) << 24 | (b & 255) << 16 | (g & 255) << 8 | (r & 255)) >>> 0;
}

export function unpackRgba(packed: number): Rgba {
  return [packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255, (packed >>> 24) & 255];
}

/** True when two settings give the same LUT (so the viewer can skip a rebuild and a recolour). */
export function sameDisplay(a: DisplaySettings, b: DisplaySettings): boolean {
  const clipSame =
    a.clip.kind === b.clip.kind &&
    (a.clip.kind !== 'percentile' || a.clip.percent === (b.clip as { percent: number }).percent) &&
    (a.clip.kind !== 'user' || (a.clip.lo === (b.clip as { lo: number }).lo && a.clip.hi === (b.clip as { hi: number }).hi));
  return (
    clipSame &&
    a.stretch === b.stretch &&
    a.stretchParam === b.stretchParam &&
    a.colormap === b.colormap &&
    a.invert === b.invert &&
    a.nanColour.every((v, i) => v === b.nanColour[i])
  );
}
