/**
 * Small synthetic-image generator for the finder's tests and benchmark: seeded Gaussian noise and
 * elliptical Gaussian sources written straight from the definition (independent of the fitter's
 * model code, so tests compare against truth, not against themselves).
 */
import type { BackgroundMaps, ImagePlane } from './types';
import { mulberry32 } from '../../shared/random';

/** Deterministic PRNG (mulberry32) returning uniforms in [0, 1). */
export const makeRng = mulberry32;

/** Standard normal deviates by Box–Muller. */
export function makeNormal(rng: () => number): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

export function makePlane(width: number, height: number, fill = 0): ImagePlane {
  return { width, height, data: new Float32Array(width * height).fill(fill) };
}

/** Known maps: background 0, rms 1 everywhere (isolates detection and fitting from background estimation). */
export function unitMaps(p: ImagePlane): BackgroundMaps {
  return { bkg: new Float32Array(p.data.length), rms: new Float32Array(p.data.length).fill(1) };
}

/** Adds N(0, sigma²) white noise. */
export function addNoise(plane: ImagePlane, sigma: number, seed: number): void {
  const normal = makeNormal(makeRng(seed));
  for (let i = 0; i < plane.data.length; i++) plane.data[i] += sigma * normal();
}

export interface SynthSource {
  /** Peak (image units). */
  amp: number;
  x: number;
  y: number;
  majorSigma: number;
  minorSigma: number;
  /** Degrees east of north with north = +y, east = −x. */
  paDeg: number;
}

/** Adds an elliptical Gaussian, evaluated within `cutSigmas` major sigmas of its centre. */
export function addGaussian(plane: ImagePlane, s: SynthSource, cutSigmas = 8): void {
  const pa = (s.paDeg * Math.PI) / 180;
  // unit vector of the major axis: PA turns from +y (north) towards −x (east)
  const mx = -Math.sin(pa);
  const my = Math.cos(pa);
  const r = cutSigmas * s.majorSigma;
  const x0 = Math.max(0, Math.floor(s.x - r));
  const x1 = Math.min(plane.width - 1, Math.ceil(s.x + r));
  const y0 = Math.max(0, Math.floor(s.y - r));
  const y1 = Math.min(plane.height - 1, Math.ceil(s.y + r));
  for (let y = y0; y <= y1; y++) {
    const dy = y - s.y;
    for (let x = x0; x <= x1; x++) {
      const dx = x - s.x;
      const u = dx * mx + dy * my;
      const v = dx * my - dy * mx;
      const e = (u * u) / (2 * s.majorSigma * s.majorSigma) + (v * v) / (2 * s.minorSigma * s.minorSigma);
      plane.data[y * plane.width + x] += s.amp * Math.exp(-e);
    }
  }
}

/** Integrated flux (image units × pixels / beam area) of a synthetic source for a beam of given sigmas. */
export function synthFlux(s: SynthSource, beamMajorSigma: number, beamMinorSigma: number): number {
  return (s.amp * s.majorSigma * s.minorSigma) / (beamMajorSigma * beamMinorSigma);
}
