/**
 * Correlated Gaussian noise: white noise convolved with the beam-shaped Gaussian, computed strip by
 * strip. The 2-D Gaussian is separable, so each strip convolves its rows (padded by a halo of white
 * noise on both sides) and then its columns (using halo rows above and below). White noise of row y is
 * drawn from a stream keyed by (seed, y), so a halo row equals the same row seen from the next strip:
 * the map is seamless and independent of the strip height.
 */
import { Rng, STREAM } from './rng';

export interface NoiseKernel {
  /** 1-D taps, index i ↔ offset i − half. Normalised so Σ taps² = 1: unit white noise stays unit variance. */
  taps: Float64Array;
  half: number;
}

/** The beam-shaped 1-D kernel for a Gaussian of `sigmaPx` (truncated at 4 σ). */
export function noiseKernel(sigmaPx: number): NoiseKernel {
  if (!(sigmaPx > 0)) return { taps: Float64Array.of(1), half: 0 };
  const half = Math.max(1, Math.ceil(4 * sigmaPx));
  const taps = new Float64Array(2 * half + 1);
  let sumSq = 0;
  for (let i = -half; i <= half; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigmaPx * sigmaPx));
    taps[i + half] = v;
    sumSq += v * v;
  }
  // Σ over 2-D of (k_x k_y)² = (Σ k²)²: normalising each axis to 1 normalises the product.
  const norm = 1 / Math.sqrt(sumSq);
  for (let i = 0; i < taps.length; i++) taps[i]! *= norm;
  return { taps, half };
}

/**
 * Reusable strip generator for unit-variance (in expectation) correlated noise. `fill` writes rows
 * [y0, y0 + rows) of a `width`-wide map into `out` (row-major, y0 first).
 */
export class NoiseStripper {
  private white: Float32Array;
  private horiz: Float32Array;

  constructor(
    private readonly seed: number,
    private readonly width: number,
    private readonly kernel: NoiseKernel,
    maxRows: number,
  ) {
    this.white = new Float32Array(width + 2 * kernel.half);
    this.horiz = new Float32Array(width * (maxRows + 2 * kernel.half));
  }

  fill(y0: number, rows: number, out: Float32Array): void {
    const { taps, half } = this.kernel;
    const w = this.width;
    const k = taps.length;
    const needed = w * (rows + 2 * half);
    if (this.horiz.length < needed) this.horiz = new Float32Array(needed);
    const horiz = this.horiz;
    const white = this.white;
    // Rows y0 − half … y0 + rows + half − 1, convolved along x.
    for (let r = 0; r < rows + 2 * half; r++) {
      Rng.forStream(this.seed, STREAM.noise, y0 - half + r).fillNormal(white);
      const base = r * w;
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = 0; t < k; t++) acc += taps[t]! * white[x + t]!;
        horiz[base + x] = acc;
      }
    }
    // Convolve along y: output row r uses horiz rows r … r + 2·half.
    for (let r = 0; r < rows; r++) {
      const o = r * w;
      out.fill(0, o, o + w);
      for (let t = 0; t < k; t++) {
        const c = taps[t]!;
        const src = (r + t) * w;
        for (let x = 0; x < w; x++) out[o + x]! += c * horiz[src + x]!;
      }
    }
  }
}
