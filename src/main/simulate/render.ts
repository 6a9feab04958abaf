/**
 * Drawing sources into a strip of rows. Each source is an elliptical Gaussian evaluated at pixel
 * centres; its axes are oriented on the sky (PA east of north through the local north/east directions
 * of the projection), so the pixel-space ellipse matches the WCS exactly, including CDELT1 < 0.
 */
import type { SimProjection } from './projection';
import { FWHM_PER_SIGMA, type TruthSource } from './sources';

/** A source ready to draw: inverse covariance in pixel space and a bounding box. */
export interface DrawableSource {
  x: number;
  y: number;
  peak: number;
  /** value = peak · exp(−½ (a dx² + 2 b dx dy + c dy²)). */
  a: number;
  b: number;
  c: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Half-size of the drawn box in units of the major-axis sigma: exp(−18) ≈ 1.5e−8 of the peak is dropped. */
const EXTENT_SIGMAS = 6;

export function toDrawable(s: TruthSource, projection: SimProjection, pixelArcsec: number): DrawableSource {
  const { north, east } = projection.localAxes(s.ra, s.dec);
  const pa = (s.pa * Math.PI) / 180;
  let ux = Math.cos(pa) * north[0] + Math.sin(pa) * east[0];
  let uy = Math.cos(pa) * north[1] + Math.sin(pa) * east[1];
  const n = Math.hypot(ux, uy);
  ux /= n;
  uy /= n;
  const vx = -uy;
  const vy = ux;
  const s1 = s.bmaj / pixelArcsec / FWHM_PER_SIGMA;
  const s2 = s.bmin / pixelArcsec / FWHM_PER_SIGMA;
  const i1 = 1 / (s1 * s1);
  const i2 = 1 / (s2 * s2);
  const r = Math.ceil(EXTENT_SIGMAS * s1);
  return {
    x: s.x,
    y: s.y,
    peak: s.peak,
    a: i1 * ux * ux + i2 * vx * vx,
    b: i1 * ux * uy + i2 * vx * vy,
    c: i1 * uy * uy + i2 * vy * vy,
    x0: Math.floor(s.x) - r,
    x1: Math.ceil(s.x) + r,
    y0: Math.floor(s.y) - r,
    y1: Math.ceil(s.y) + r,
  };
}

/** Add a source to rows [stripY0, stripY0 + rows) of a `width`-wide strip. */
export function addSource(d: DrawableSource, out: Float32Array, width: number, stripY0: number, rows: number): void {
  const ya = Math.max(d.y0, stripY0);
  const yb = Math.min(d.y1, stripY0 + rows - 1);
  const xa = Math.max(d.x0, 0);
  const xb = Math.min(d.x1, width - 1);
  for (let y = ya; y <= yb; y++) {
    const dy = y - d.y;
    const base = (y - stripY0) * width;
    const cy = d.c * dy * dy;
    const by = 2 * d.b * dy;
    for (let x = xa; x <= xb; x++) {
      const dx = x - d.x;
      out[base + x]! += d.peak * Math.exp(-0.5 * (d.a * dx * dx + by * dx + cy));
    }
  }
}

/** Buckets of source indexes per strip, so each strip touches only the sources overlapping it. */
export function bucketByStrip(sources: DrawableSource[], stripRows: number, height: number): number[][] {
  const nStrips = Math.ceil(height / stripRows);
  const buckets: number[][] = Array.from({ length: nStrips }, () => []);
  sources.forEach((d, i) => {
    const first = Math.max(0, Math.floor(d.y0 / stripRows));
    const last = Math.min(nStrips - 1, Math.floor(d.y1 / stripRows));
    for (let s = first; s <= last; s++) buckets[s]!.push(i);
  });
  return buckets;
}
