/**
 * The simulator's own SIN/TAN sky projection (Calabretta & Greisen 2002, zenithal with LONPOLE 180),
 * used to place sources and write the truth catalogue. It is the exact inverse pair of what the FITS
 * header cards from `projectionCards` describe, and it is tested against astropy and against the app's
 * WCS module; keeping it here means the simulator needs nothing but a header to produce exact truth.
 */
import type { HeaderCard } from '../../shared/contract/images';

export type SimProjectionName = 'SIN' | 'TAN';

export interface ProjectionSpec {
  projection: SimProjectionName;
  /** Image size in pixels; the reference pixel is the image centre. */
  width: number;
  height: number;
  /** Pointing centre (CRVAL1/2), degrees. */
  raDeg: number;
  decDeg: number;
  /** Pixel size, arcsec (CDELT1 = −pixel, CDELT2 = +pixel: RA increases to the left). */
  pixelArcsec: number;
}

export interface SkyPosition {
  ra: number;
  dec: number;
}

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

export class SimProjection {
  readonly crpix1: number;
  readonly crpix2: number;
  readonly cdelt1: number;
  readonly cdelt2: number;
  private readonly sinDec0: number;
  private readonly cosDec0: number;

  constructor(readonly spec: ProjectionSpec) {
    // FITS pixel (1-based) of the geometric centre: Pixel0 (w−1)/2 ⇒ FITS (w+1)/2.
    this.crpix1 = (spec.width + 1) / 2;
    this.crpix2 = (spec.height + 1) / 2;
    this.cdelt1 = -spec.pixelArcsec / 3600;
    this.cdelt2 = spec.pixelArcsec / 3600;
    this.sinDec0 = Math.sin(spec.decDeg * D2R);
    this.cosDec0 = Math.cos(spec.decDeg * D2R);
  }

  /** Pixel0 → (ra, dec) in degrees; null outside the projection's domain. */
  pixelToWorld(x: number, y: number): SkyPosition | null {
    const xi = this.cdelt1 * (x + 1 - this.crpix1) * D2R;
    const eta = this.cdelt2 * (y + 1 - this.crpix2) * D2R;
    const r = Math.hypot(xi, eta);
    const phi = r === 0 ? 0 : Math.atan2(xi, -eta);
    let theta: number;
    if (this.spec.projection === 'SIN') {
      if (r > 1) return null;
      theta = Math.acos(r);
    } else {
      theta = Math.atan2(1, r);
    }
    // Native (phi, theta) → celestial with phi_p = 180°.
    const sinT = Math.sin(theta);
    const cosT = Math.cos(theta);
    const dphi = phi - Math.PI;
    const sinDec = sinT * this.sinDec0 + cosT * this.cosDec0 * Math.cos(dphi);
    // cos δ·sin Δα and cos δ·cos Δα: atan2 keeps full precision near the poles, where asin would not.
    const cdSin = -cosT * Math.sin(dphi);
    const cdCos = sinT * this.cosDec0 - cosT * this.sinDec0 * Math.cos(dphi);
    const dec = Math.atan2(sinDec, Math.hypot(cdSin, cdCos));
    const dra = Math.atan2(cdSin, cdCos);
    let ra = (this.spec.raDeg + dra * R2D) % 360;
    if (ra < 0) ra += 360;
    return { ra, dec: dec * R2D };
  }

  /** (ra, dec) degrees → Pixel0; null when the point is on the far side of the projection. */
  worldToPixel(ra: number, dec: number): { x: number; y: number } | null {
    const dra = (ra - this.spec.raDeg) * D2R;
    const d = dec * D2R;
    const sinD = Math.sin(d);
    const cosD = Math.cos(d);
    const sinTheta = sinD * this.sinDec0 + cosD * this.cosDec0 * Math.cos(dra);
    if (sinTheta <= 0) return null; // behind the tangent plane (both SIN and TAN)
    // cos θ·sin(φ−φp) and cos θ·cos(φ−φp): their norm is cos θ, exact even at the reference point.
    const a = -cosD * Math.sin(dra);
    const b = sinD * this.cosDec0 - cosD * this.sinDec0 * Math.cos(dra);
    const phi = Math.PI + Math.atan2(a, b);
    const cosTheta = Math.hypot(a, b);
    const r = this.spec.projection === 'SIN' ? cosTheta : cosTheta / sinTheta;
    const xi = r * Math.sin(phi) * R2D;
    const eta = -r * Math.cos(phi) * R2D;
    return { x: xi / this.cdelt1 + this.crpix1 - 1, y: eta / this.cdelt2 + this.crpix2 - 1 };
  }

  /**
   * Unit vectors, in pixel coordinates, pointing to local north and local east at a sky position.
   * A position angle θ (east of north) points along cos θ · north + sin θ · east.
   */
  localAxes(ra: number, dec: number): { north: [number, number]; east: [number, number] } {
    const eps = 1e-4; // degrees: small enough for a local tangent, large enough for float precision
    const p = this.worldToPixel(ra, dec);
    const pn = this.worldToPixel(ra, Math.min(90, dec + eps));
    const pe = this.worldToPixel(ra + eps / Math.max(1e-9, Math.cos(dec * D2R)), dec);
    if (!p || !pn || !pe) return { north: [0, 1], east: [-1, 0] };
    return { north: unit(pn.x - p.x, pn.y - p.y), east: unit(pe.x - p.x, pe.y - p.y) };
  }

  /** WCS header cards describing exactly this projection (ICRS-compatible FK5 J2000 as radio maps use). */
  cards(): HeaderCard[] {
    const p = this.spec.projection;
    return [
      { key: 'CTYPE1', value: `RA---${p}`, comment: 'Right ascension, ' + (p === 'SIN' ? 'orthographic' : 'gnomonic') },
      { key: 'CRVAL1', value: this.spec.raDeg, comment: '[deg] RA of reference pixel' },
      { key: 'CDELT1', value: this.cdelt1, comment: '[deg] RA increases to the left' },
      { key: 'CRPIX1', value: this.crpix1, comment: 'Reference pixel (image centre)' },
      { key: 'CUNIT1', value: 'deg' },
      { key: 'CTYPE2', value: `DEC--${p}`, comment: 'Declination, ' + (p === 'SIN' ? 'orthographic' : 'gnomonic') },
      { key: 'CRVAL2', value: this.spec.decDeg, comment: '[deg] Dec of reference pixel' },
      { key: 'CDELT2', value: this.cdelt2, comment: '[deg]' },
      { key: 'CRPIX2', value: this.crpix2, comment: 'Reference pixel (image centre)' },
      { key: 'CUNIT2', value: 'deg' },
      { key: 'LONPOLE', value: 180.0, comment: '[deg] Native longitude of celestial pole' },
      { key: 'RADESYS', value: 'FK5', comment: 'Reference frame' },
      { key: 'EQUINOX', value: 2000.0, comment: 'Equinox of the equatorial coordinates' },
    ];
  }
}

function unit(dx: number, dy: number): [number, number] {
  const n = Math.hypot(dx, dy);
  return [dx / n, dy / n];
}
