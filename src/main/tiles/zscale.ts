/**
 * DS9's zscale: IRAF's zscale algorithm with DS9's defaults (contrast 0.25, sample size 600,
 * 120 samples per line). The sample grid follows IRAF `zsc_sample`; the line fit with iterative
 * k-sigma rejection and a grown bad-pixel mask follows IRAF `zsc_fit_line` as astropy's
 * ZScaleInterval implements it (the reference the tests compare against).
 */
export interface ZScaleOptions {
  contrast: number;
  sampleSize: number;
  samplesPerLine: number;
  maxReject: number;
  minPixels: number;
  krej: number;
  maxIterations: number;
}

export const DS9_ZSCALE: ZScaleOptions = {
  contrast: 0.25,
  sampleSize: 600,
  samplesPerLine: 120,
  maxReject: 0.5,
  minPixels: 5,
  krej: 2.5,
  maxIterations: 5,
};

export interface ZScaleGrid {
  /** Pixel0 rows to sample. */
  lines: number[];
  /** Column step and number of columns per line (columns 0, step, 2·step, …). */
  colStep: number;
  pixelsPerLine: number;
}

/** IRAF zsc_sample's grid: evenly spaced columns spanning the line, a few evenly spaced lines. */
export function zscaleGrid(width: number, height: number, o: ZScaleOptions = DS9_ZSCALE): ZScaleGrid {
  const optPerLine = Math.max(1, Math.min(width, o.samplesPerLine));
  const colStep = Math.max(1, Math.floor((width + optPerLine - 1) / optPerLine));
  const pixelsPerLine = Math.max(1, Math.floor((width + colStep - 1) / colStep));
  const minLines = Math.max(1, Math.floor(o.sampleSize / o.samplesPerLine));
  const optLines = Math.max(minLines, Math.min(height, Math.floor((o.sampleSize + pixelsPerLine - 1) / pixelsPerLine)));
  const lineStep = Math.max(1, Math.floor(height / optLines));
  const lines: number[] = [];
  // IRAF lines are 1-based starting at (step+1)/2; Pixel0 y = line - 1.
  for (let line = Math.floor((lineStep + 1) / 2); line <= height; line += lineStep) lines.push(line - 1);
  return { lines, colStep, pixelsPerLine };
}

/** Append the grid samples of one line (finite values only) to `out`, up to the sample size. */
export function addZscaleLine(row: Float32Array, grid: ZScaleGrid, out: number[], o: ZScaleOptions = DS9_ZSCALE): void {
  for (let i = 0; i < grid.pixelsPerLine && out.length < o.sampleSize; i++) {
    const v = row[i * grid.colStep]!;
    if (Number.isFinite(v)) out.push(v);
  }
}

function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/** z1, z2 from a sample (non-finite values ignored). An empty sample gives {0, 0}. */
export function zscaleLimits(sample: ArrayLike<number>, o: ZScaleOptions = DS9_ZSCALE): { z1: number; z2: number } {
  const s = Float64Array.from(Array.prototype.filter.call(sample, (v: number) => Number.isFinite(v)) as number[]).sort();
  const n = s.length;
  if (n === 0) return { z1: 0, z2: 0 };
  let z1 = s[0]!;
  let z2 = s[n - 1]!;
  const minPix = Math.max(o.minPixels, Math.floor(n * o.maxReject));
  const grow = Math.max(1, Math.floor(n * 0.01));
  let bad = new Uint8Array(n);
  let good = n;
  let lastGood = n + 1;
  let slope = 0;
  let fitted = false;
  for (let iter = 0; iter < o.maxIterations; iter++) {
    if (good >= lastGood || good < minPix) break;
    // Least-squares line through the good points (x = index in the sorted sample).
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      if (bad[i]) continue;
      sw++; sx += i; sy += s[i]!; sxx += i * i; sxy += i * s[i]!;
    }
    const det = sw * sxx - sx * sx;
    slope = det !== 0 ? (sw * sxy - sx * sy) / det : 0;
    const intercept = (sy - slope * sx) / sw;
    fitted = true;
    const flat = new Float64Array(n);
    let fm = 0;
    for (let i = 0; i < n; i++) {
      flat[i] = s[i]! - (slope * i + intercept);
      if (!bad[i]) fm += flat[i]!;
    }
    fm /= sw;
    let fv = 0;
    for (let i = 0; i < n; i++) if (!bad[i]) fv += (flat[i]! - fm) ** 2;
    const threshold = o.krej * Math.sqrt(fv / sw);
    for (let i = 0; i < n; i++) if (flat[i]! < -threshold || flat[i]! > threshold) bad[i] = 1;
    // Grow the rejected runs by `grow` pixels, as numpy.convolve(mask, ones(grow), 'same').
    const grown = new Uint8Array(n);
    const left = grow >> 1;
    const right = (grow - 1) >> 1;
    for (let i = 0; i < n; i++) {
      if (!bad[i]) continue;
      for (let j = Math.max(0, i - right); j <= Math.min(n - 1, i + left); j++) grown[j] = 1;
    }
    bad = grown;
    lastGood = good;
    good = 0;
    for (let i = 0; i < n; i++) if (!bad[i]) good++;
  }
  if (fitted && good >= minPix) {
    if (o.contrast > 0) slope /= o.contrast;
    const center = Math.floor((n - 1) / 2);
    const med = median(s);
    z1 = Math.max(z1, med - (center - 1) * slope);
    z2 = Math.min(z2, med + (n - center) * slope);
  }
  return { z1, z2 };
}
