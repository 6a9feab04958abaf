import { colormapRgb, type ColormapName } from '../viewer/colour';

/**
 * Colour and size rules of a catalogue layer: a numeric column mapped through a range and a scale onto
 * a colormap (in COLOUR_BINS steps, so a frame strokes one path per bin) or onto a marker radius in
 * screen pixels. Pure functions over the Float32 column the overlay column resource returns.
 */
export type RuleScale = 'linear' | 'log' | 'sqrt';
export const RULE_SCALES: readonly RuleScale[] = ['linear', 'sqrt', 'log'];
export const RULE_COLORMAPS: readonly ColormapName[] = ['viridis', 'plasma', 'inferno', 'magma', 'heat', 'cool', 'rainbow', 'grey'];

export interface ColourRule {
  column: string;
  colormap: ColormapName;
  scale: RuleScale;
  /** Range limits in the column's unit; null = the data's own (finite; positive for log). */
  min: number | null;
  max: number | null;
}

export interface SizeRule {
  column: string;
  scale: RuleScale;
  min: number | null;
  max: number | null;
  /** Marker radius (CSS px) at the range's low and high end. */
  minPx: number;
  maxPx: number;
}

export interface CatalogueStyle {
  /** Colour of unlabelled sources when no colour rule is set (labels colour the rest). */
  colour: string;
  visible: boolean;
  /** null = colour by label (REAL/FAKE/CANDIDATE; the layer colour when unlabelled). */
  colourBy?: ColourRule | null;
  sizeBy?: SizeRule | null;
}

/** The columns a style's rules read (to fetch with its overlay). */
export function ruleColumns(style: CatalogueStyle | undefined): string[] {
  const names = [style?.colourBy?.column, style?.sizeBy?.column].filter((c): c is string => Boolean(c));
  return [...new Set(names)];
}

/** Colour steps of a colour rule; code 0 is "value missing". */
export const COLOUR_BINS = 32;
export const MISSING_COLOUR = '#9e9e9e';

export interface Range {
  min: number;
  max: number;
}

/** The finite range of the values (positive values only for log); null when there is none. */
export function dataRange(values: ArrayLike<number>, scale: RuleScale): Range | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || (scale === 'log' && v <= 0)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/** The rule's range: its explicit limits, the data's where unset. */
export function ruleRange(values: ArrayLike<number>, rule: { scale: RuleScale; min: number | null; max: number | null }): Range | null {
  const data = rule.min === null || rule.max === null ? dataRange(values, rule.scale) : null;
  const min = rule.min ?? data?.min;
  const max = rule.max ?? data?.max;
  return min === undefined || max === undefined ? null : { min, max };
}

/** Position of v in the range through the scale, clamped to [0, 1] (≤ 0 on a log scale → 0); NaN when v is missing. */
export function normalise(v: number, range: Range, scale: RuleScale): number {
  if (!Number.isFinite(v)) return Number.NaN;
  let t: number;
  if (scale === 'log') {
    const lo = Math.log10(range.min);
    const hi = Math.log10(range.max);
    t = v <= 0 ? 0 : hi > lo ? (Math.log10(v) - lo) / (hi - lo) : 0.5;
  } else {
    t = range.max > range.min ? (v - range.min) / (range.max - range.min) : 0.5;
  }
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return scale === 'sqrt' ? Math.sqrt(t) : t;
}

/** The inverse of normalise over the range (legend ticks). */
export function denormalise(t: number, range: Range, scale: RuleScale): number {
  const u = scale === 'sqrt' ? t * t : t;
  if (scale === 'log') return 10 ** (Math.log10(range.min) + u * (Math.log10(range.max) - Math.log10(range.min)));
  return range.min + u * (range.max - range.min);
}

/** Colour code per value: 1..COLOUR_BINS along the range, 0 where missing. */
export function colourCodes(values: ArrayLike<number>, range: Range, scale: RuleScale): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = normalise(values[i]!, range, scale);
    out[i] = t !== t ? 0 : 1 + Math.min(COLOUR_BINS - 1, Math.floor(t * COLOUR_BINS));
  }
  return out;
}

/** CSS colours of the codes: index 0 = missing, 1..COLOUR_BINS = the colormap at each bin's centre. */
export function binPalette(colormap: ColormapName): string[] {
  const out = [MISSING_COLOUR];
  for (let b = 0; b < COLOUR_BINS; b++) out.push(rgbHex(colormapRgb(colormap, (b + 0.5) / COLOUR_BINS)));
  return out;
}

/** Marker radius (CSS px) per value; missing values get the smallest. */
export function markerRadii(values: ArrayLike<number>, range: Range, rule: Pick<SizeRule, 'scale' | 'minPx' | 'maxPx'>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = normalise(values[i]!, range, rule.scale);
    out[i] = rule.minPx + (t !== t ? 0 : t) * (rule.maxPx - rule.minPx);
  }
  return out;
}

export function rgbHex([r, g, b]: readonly number[]): string {
  return `#${[r, g, b].map((c) => c!.toString(16).padStart(2, '0')).join('')}`;
}

/** How a layer is painted this frame: colour codes and their palette (null: by label), radii (null: ellipses). */
export interface LayerPaint {
  codes: Uint8Array | null;
  palette: string[];
  radiusPx: Float32Array | null;
  colourRange: Range | null;
  sizeRange: Range | null;
}

/**
 * The paint of a layer from its rules and the loaded columns (undefined = not fetched yet: by label and
 * ellipses meanwhile). Cached on the column arrays, so a frame costs nothing until a rule or column changes.
 */
export function layerPaint(style: CatalogueStyle, column: (name: string) => Float32Array | undefined): LayerPaint {
  const paint: LayerPaint = { codes: null, palette: [], radiusPx: null, colourRange: null, sizeRange: null };
  const c = style.colourBy;
  const cv = c ? column(c.column) : undefined;
  if (c && cv) {
    const hit = cached(cv, `c|${c.colormap}|${c.scale}|${c.min}|${c.max}`, () => {
      const range = ruleRange(cv, c) ?? { min: 0, max: 1 };
      return { codes: colourCodes(cv, range, c.scale), palette: binPalette(c.colormap), range };
    });
    paint.codes = hit.codes;
    paint.palette = hit.palette;
    paint.colourRange = hit.range;
  }
  const s = style.sizeBy;
  const sv = s ? column(s.column) : undefined;
  if (s && sv) {
    const hit = cached(sv, `s|${s.scale}|${s.min}|${s.max}|${s.minPx}|${s.maxPx}`, () => {
      const range = ruleRange(sv, s) ?? { min: 0, max: 1 };
      return { radii: markerRadii(sv, range, s), range };
    });
    paint.radiusPx = hit.radii;
    paint.sizeRange = hit.range;
  }
  return paint;
}

const cache = new WeakMap<Float32Array, Map<string, unknown>>();
function cached<T>(values: Float32Array, key: string, make: () => T): T {
  let byKey = cache.get(values);
  if (!byKey) cache.set(values, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, make());
  return byKey.get(key) as T;
}
