/** The celestial WCS of an image: pixel (Pixel0) <-> world in the header's native frame. */
import type { HeaderCards } from '../../shared/contract/images';
import type { Pixel0, SkyFrame, World } from '../../shared/domain/coords';
import { AppError } from '../../shared/contract/errors';
import { atan2d, normLon } from './angles';
import { type Rotation, celestialToNative, nativeToCelestial, solveRotation } from './celestial';
import { convertFrame } from './frames';
import { type CelestialHeader, readCelestialHeader } from './header';
import { type Projection, createProjection } from './projections';

export interface Wcs {
  readonly frame: SkyFrame;
  readonly equinox?: number;
  readonly projection: string;
  /** 1-based FITS axis numbers. */
  readonly lonAxis: number;
  readonly latAxis: number;
  /** Approximate pixel scale (deg/px) along x and y at the reference pixel. */
  readonly pixelScaleDeg: { x: number; y: number };
  /** Position angle (deg east of north) of the image +y axis at the reference pixel (-CROTA2 for AIPS headers). */
  readonly northAngleDeg: number;
  pixelToWorld(p: Pixel0): World | null;
  worldToPixel(w: World): Pixel0 | null;
  describe(): string;
}

const FRAME_NAMES: Record<SkyFrame, string> = { icrs: 'ICRS', fk5: 'FK5', fk4: 'FK4', galactic: 'Galactic' };

export function describeFrame(frame: SkyFrame, equinox?: number): string {
  if (frame === 'fk5') return `FK5 J${equinox ?? 2000}`;
  if (frame === 'fk4') return `FK4 B${equinox ?? 1950}`;
  return FRAME_NAMES[frame];
}

class CelestialWcs implements Wcs {
  readonly frame: SkyFrame;
  readonly equinox?: number;
  readonly projection: string;
  readonly lonAxis: number;
  readonly latAxis: number;
  readonly pixelScaleDeg: { x: number; y: number };
  readonly northAngleDeg: number;
  private readonly h: CelestialHeader;
  private readonly prj: Projection;
  private readonly rot: Rotation;
  private readonly inv: [[number, number], [number, number]];
  /** Plane offset so that the fiducial point maps to (0, 0) when it is not the projection's default. */
  private readonly x0: number = 0;
  private readonly y0: number = 0;

  constructor(h: CelestialHeader) {
    this.h = h;
    this.frame = h.frame;
    if (h.equinox !== undefined) this.equinox = h.equinox;
    this.projection = h.projection;
    this.lonAxis = h.lonAxis;
    this.latAxis = h.latAxis;
    this.prj = createProjection(h.projection, h.pv);
    const phi0 = h.phi0 ?? this.prj.phi0;
    const theta0 = h.theta0 ?? this.prj.theta0;
    if (h.offset) {
      const xy = this.prj.toPlane(phi0, theta0);
      if (xy) [this.x0, this.y0] = xy;
    }
    this.rot = solveRotation(h.crval[0], h.crval[1], phi0, theta0, h.lonpole, h.latpole);
    const [[a, b], [c, d]] = h.matrix;
    const det = a * d - b * c;
    if (det === 0 || !Number.isFinite(det)) {
      throw new AppError('wcs.unsupportedProjection', 'The celestial linear transformation (PC/CD/CDELT) is singular', { matrix: h.matrix });
    }
    this.inv = [[d / det, -b / det], [-c / det, a / det]];
    this.pixelScaleDeg = { x: Math.hypot(a, c), y: Math.hypot(b, d) };
    // Intermediate x points east and y north at the reference point (standard LONPOLE), and column 1
    // of the matrix is the +y pixel direction: its position angle is atan2(east, north).
    this.northAngleDeg = atan2d(b, d);
  }

  pixelToWorld(p: Pixel0): World | null {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
    const [[a, b], [c, d]] = this.h.matrix;
    const dx = p.x + 1 - this.h.crpix[0];
    const dy = p.y + 1 - this.h.crpix[1];
    const x = a * dx + b * dy + this.x0;
    const y = c * dx + d * dy + this.y0;
    const native = this.prj.toNative(x, y);
    if (!native) return null;
    const [lon, lat] = nativeToCelestial(this.rot, native[0], native[1]);
    return { lon: normLon(lon), lat, frame: this.frame };
  }

  worldToPixel(w: World): Pixel0 | null {
    const v = w.frame === this.frame ? w : convertFrame(w, this.frame, this.equinox !== undefined ? { equinox: this.equinox } : {});
    if (!Number.isFinite(v.lon) || !Number.isFinite(v.lat) || Math.abs(v.lat) > 90) return null;
    const [phi, theta] = celestialToNative(this.rot, v.lon, v.lat);
    const plane = this.prj.toPlane(phi, theta);
    if (!plane) return null;
    const x = plane[0] - this.x0;
    const y = plane[1] - this.y0;
    const [[a, b], [c, d]] = this.inv;
    const px = a * x + b * y + this.h.crpix[0] - 1;
    const py = c * x + d * y + this.h.crpix[1] - 1;
    return Number.isFinite(px) && Number.isFinite(py) ? { x: px, y: py } : null;
  }

  describe(): string {
    return `${this.h.ctypeLon}/${this.h.ctypeLat}, ${describeFrame(this.frame, this.equinox)}`;
  }
}

/**
 * Build the celestial WCS of a header given as keyword -> value. Throws AppError 'wcs.noCelestialAxes'
 * when no RA/DEC or GLON/GLAT pair exists, 'wcs.unsupportedProjection' for other projections.
 */
export function parseWcs(cards: HeaderCards, source?: string): Wcs {
  return new CelestialWcs(readCelestialHeader(cards, source));
}
