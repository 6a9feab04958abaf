/**
 * Random fields for the finder's equivalence tests (islands, peaks, contours): smoothed noise with
 * sources, optionally quantized (many equal values: ties), NaN holes, and maps with a background
 * gradient and some zero/NaN/infinite rms pixels. Deterministic per seed.
 */
import { addGaussian, addNoise, makePlane, makeRng } from './synthetic';
import type { BackgroundMaps, ImagePlane } from './types';

export interface FieldOptions {
  width: number;
  height: number;
  seed: number;
  /** Round pixel values to this step (0 = no rounding). */
  quantum?: number;
  /** Fraction of pixels with NaN data / bad rms. */
  nanFraction?: number;
  badRmsFraction?: number;
}

export function randomField(o: FieldOptions): { plane: ImagePlane; maps: BackgroundMaps } {
  const { width: w, height: h, seed } = o;
  const raw = makePlane(w, h);
  addNoise(raw, 1, seed);
  const plane = makePlane(w, h);
  // 3×3 box smoothing (×3 to keep σ ≈ 1): correlated noise gives islands of several pixels
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += raw.data[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))];
      plane.data[y * w + x] = s / 3;
    }
  }
  const rng = makeRng(seed + 1);
  for (let k = 0; k < (w * h) / 400; k++) {
    const sigma = 1 + 2 * rng();
    addGaussian(plane, { amp: 4 + 30 * rng(), x: w * rng(), y: h * rng(), majorSigma: sigma * (1 + rng()), minorSigma: sigma, paDeg: 180 * rng() });
  }
  if (o.quantum) for (let i = 0; i < w * h; i++) plane.data[i] = Math.round(plane.data[i] / o.quantum) * o.quantum;
  const bkg = new Float32Array(w * h);
  const rms = new Float32Array(w * h).fill(1);
  for (let i = 0; i < w * h; i++) {
    bkg[i] = o.quantum ? 0 : 0.1 * ((i % w) / w);
    if (rng() < (o.nanFraction ?? 0)) plane.data[i] = NaN;
    if (rng() < (o.badRmsFraction ?? 0)) rms[i] = [0, NaN, Infinity, -1][Math.floor(4 * rng())];
  }
  return { plane, maps: { bkg, rms } };
}
