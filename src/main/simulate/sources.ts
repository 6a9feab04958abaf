/**
 * Truth catalogue generation: positions, fluxes, shapes. Everything a finder must recover is decided
 * here, from the seed alone, before a single pixel is drawn.
 */
import { drawFlux, type FluxLaw } from './fluxLaw';
import type { SimProjection } from './projection';
import { Rng, STREAM } from './rng';

export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

export interface TruthSource {
  /** 1-based id, the row order of the truth CSV. */
  id: number;
  /** Degrees (frame of the FITS header: FK5 J2000). */
  ra: number;
  dec: number;
  /** Pixel0 position of the centre. */
  x: number;
  y: number;
  /** Jy/beam at the centre of the (beam-convolved) source. */
  peak: number;
  /** Integrated flux density, Jy. */
  flux: number;
  /** Observed (beam-convolved) FWHM axes, arcsec, and position angle, degrees east of north. */
  bmaj: number;
  bmin: number;
  pa: number;
  type: 'point' | 'extended';
}

export interface SourcePlanOptions {
  width: number;
  height: number;
  pixelArcsec: number;
  beamArcsec: number;
  densityPerDeg2: number;
  /** Overrides the density when ≥ 0. */
  count?: number;
  extendedFraction: number;
  /** Intrinsic major-axis FWHM of extended sources, in beams (uniform between the two). */
  extendedSizeBeams: [number, number];
  fluxLaw: FluxLaw;
  seed: number;
  /** Minimum centre-to-centre separation, arcsec (0 = off). */
  minSeparationArcsec: number;
}

/** Number of sources a plan draws: density × image area. */
export function plannedCount(o: Pick<SourcePlanOptions, 'width' | 'height' | 'pixelArcsec' | 'densityPerDeg2' | 'count'>): number {
  if (o.count !== undefined && o.count >= 0) return Math.floor(o.count);
  const areaDeg2 = o.width * o.height * (o.pixelArcsec / 3600) ** 2;
  return Math.round(o.densityPerDeg2 * areaDeg2);
}

export function planSources(o: SourcePlanOptions, projection: SimProjection): TruthSource[] {
  const rng = Rng.forStream(o.seed, STREAM.sources);
  const n = plannedCount(o);
  const beam = o.beamArcsec;
  const minSepPx = o.minSeparationArcsec / o.pixelArcsec;
  const taken = minSepPx > 0 ? new SeparationGrid(minSepPx) : null;
  const out: TruthSource[] = [];
  for (let i = 0; i < n; i++) {
    let x = rng.between(0, o.width - 1);
    let y = rng.between(0, o.height - 1);
    if (taken) {
      let tries = 0;
      while (taken.tooClose(x, y) && tries++ < 100) {
        x = rng.between(0, o.width - 1);
        y = rng.between(0, o.height - 1);
      }
      if (taken.tooClose(x, y)) continue; // field is full at this separation: fewer sources, never overlaps
      taken.add(x, y);
    }
    const flux = drawFlux(o.fluxLaw, rng);
    const extended = rng.uniform() < o.extendedFraction;
    // Always draw the shape so the point/extended split does not shift later sources' random numbers.
    const sizeBeams = rng.between(o.extendedSizeBeams[0], o.extendedSizeBeams[1]);
    const axisRatio = rng.between(0.3, 1);
    const paDraw = rng.between(0, 180);
    const sky = projection.pixelToWorld(x, y);
    if (!sky) continue;
    let bmaj = beam;
    let bmin = beam;
    let pa = 0;
    if (extended) {
      // Gaussian ⊗ circular Gaussian beam: FWHMs add in quadrature along each axis, PA unchanged.
      const aInt = sizeBeams * beam;
      const bInt = aInt * axisRatio;
      bmaj = Math.hypot(aInt, beam);
      bmin = Math.hypot(bInt, beam);
      pa = paDraw;
    }
    // Integrated flux of a Gaussian = peak × (bmaj·bmin / beam²) in Jy when the peak is in Jy/beam.
    const peak = extended ? (flux * beam * beam) / (bmaj * bmin) : flux;
    out.push({ id: out.length + 1, ra: sky.ra, dec: sky.dec, x, y, peak, flux, bmaj, bmin, pa, type: extended ? 'extended' : 'point' });
  }
  return out;
}

/** Uniform grid of occupied positions for the optional minimum separation. */
class SeparationGrid {
  private readonly cells = new Map<string, [number, number][]>();
  constructor(private readonly sep: number) {}
  private key(cx: number, cy: number): string {
    return `${cx},${cy}`;
  }
  add(x: number, y: number): void {
    const k = this.key(Math.floor(x / this.sep), Math.floor(y / this.sep));
    const list = this.cells.get(k);
    if (list) list.push([x, y]);
    else this.cells.set(k, [[x, y]]);
  }
  tooClose(x: number, y: number): boolean {
    const cx = Math.floor(x / this.sep);
    const cy = Math.floor(y / this.sep);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const [px, py] of this.cells.get(this.key(cx + dx, cy + dy)) ?? []) {
          if ((px - x) ** 2 + (py - y) ** 2 < this.sep * this.sep) return true;
        }
      }
    }
    return false;
  }
}

/** The truth CSV (header: id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type). */
export function truthCsvHeader(): string {
  return 'id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type\n';
}

export function truthCsvLine(s: TruthSource): string {
  return [
    s.id,
    s.ra.toFixed(9),
    s.dec.toFixed(9),
    s.x.toFixed(5),
    s.y.toFixed(5),
    s.peak.toPrecision(8),
    s.flux.toPrecision(8),
    s.bmaj.toFixed(4),
    s.bmin.toFixed(4),
    s.pa.toFixed(4),
    s.type,
  ].join(',') + '\n';
}
