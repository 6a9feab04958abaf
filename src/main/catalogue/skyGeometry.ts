/**
 * Ellipse geometry between the image and the sky, done with the WCS itself (no assumption about
 * orientation): a direction in the image is turned into a sky position angle by mapping the centre and
 * a point one pixel along the direction, and back by offsetting on the sphere and mapping to pixels.
 * That handles rotated (CROTA/PC/CD), flipped and non-square pixels, and any projection.
 *
 * Angles: `thetaDeg` is counter-clockwise from the image +x axis (SExtractor THETA_IMAGE, CAESAR θ,
 * DS9 `image` angle); `paDeg` is east of north in the given frame. Without a WCS but with a pixel scale
 * the image is assumed north-up, east-left (CDELT1 < 0): PA = θ − 90.
 */
import type { Wcs } from '../wcs';
import { convertFrame } from '../wcs';
import { atan2d, cosd, separationDeg, sind, asind } from '../wcs/angles';
import type { Pixel0, SkyFrame, World } from '../../shared/domain/coords';
import { foldAxisAngle } from '../../shared/domain/source';

/** How readers/writers relate pixels to the sky: a WCS, or just a pixel scale (arcsec/px). */
export interface PixelGeometry {
  wcs?: Wcs;
  pixelScaleArcsec?: number;
}

/** Position angle (deg E of N, (−180,180]) of point 2 seen from point 1 on the sphere. */
export function positionAngleDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dl = lon2 - lon1;
  return atan2d(sind(dl) * cosd(lat2), cosd(lat1) * sind(lat2) - sind(lat1) * cosd(lat2) * cosd(dl));
}

/** The point `distDeg` away from (lon, lat) towards position angle `paDeg`. */
export function offsetByPa(lon: number, lat: number, paDeg: number, distDeg: number): [number, number] {
  const lat2 = asind(sind(lat) * cosd(distDeg) + cosd(lat) * sind(distDeg) * cosd(paDeg));
  const dl = atan2d(sind(paDeg) * sind(distDeg) * cosd(lat), cosd(distDeg) - sind(lat) * sind(lat2));
  return [(((lon + dl) % 360) + 360) % 360, lat2];
}

/** Re-express a position angle measured in `world.frame` in another frame (north poles differ). */
export function paInFrame(world: World, paDeg: number, to: SkyFrame): number {
  if (world.frame === to) return paDeg;
  const step = 0.01 / 3600;
  const [lon1, lat1] = offsetByPa(world.lon, world.lat, paDeg + 180, step);
  const [lon2, lat2] = offsetByPa(world.lon, world.lat, paDeg, step);
  const a = convertFrame({ lon: lon1, lat: lat1, frame: world.frame }, to);
  const b = convertFrame({ lon: lon2, lat: lat2, frame: world.frame }, to);
  return positionAngleDeg(a.lon, a.lat, b.lon, b.lat);
}

/** Half-step of the central differences: small enough that sky curvature does not bias the direction. */
const H_PX = 0.01;

/** Sky positions a half-step behind and ahead of `p` along the image direction `thetaDeg`. */
function stepWorld(wcs: Wcs, p: Pixel0, thetaDeg: number): { a: World; b: World; centre: World } | null {
  const dx = H_PX * cosd(thetaDeg), dy = H_PX * sind(thetaDeg);
  const a = wcs.pixelToWorld({ x: p.x - dx, y: p.y - dy });
  const b = wcs.pixelToWorld({ x: p.x + dx, y: p.y + dy });
  const centre = wcs.pixelToWorld(p);
  return a && b && centre ? { a, b, centre } : null;
}

/** Image angle (CCW from +x) → PA E of N in `frame` (default: the WCS frame), folded to [0,180). */
export function thetaToPaDeg(g: PixelGeometry, p: Pixel0, thetaDeg: number, frame?: SkyFrame): number | undefined {
  if (!g.wcs) return g.pixelScaleArcsec ? foldAxisAngle(thetaDeg - 90) : undefined;
  const s = stepWorld(g.wcs, p, thetaDeg);
  if (!s) return undefined;
  // PA at the centre towards +h and (reversed) towards −h, averaged: exact to O(h²) and the same for θ and θ+180.
  const ahead = positionAngleDeg(s.centre.lon, s.centre.lat, s.b.lon, s.b.lat);
  const behind = positionAngleDeg(s.centre.lon, s.centre.lat, s.a.lon, s.a.lat) + 180;
  const pa = atan2d(sind(ahead) + sind(behind), cosd(ahead) + cosd(behind));
  return foldAxisAngle(frame ? paInFrame(s.centre, pa, frame) : pa);
}

/** PA E of N (in `frame`, default the WCS frame) → image angle CCW from +x, folded to [0,180). */
export function paToThetaDeg(g: PixelGeometry, p: Pixel0, paDeg: number, frame?: SkyFrame): number | undefined {
  if (!g.wcs) return g.pixelScaleArcsec ? foldAxisAngle(paDeg + 90) : undefined;
  const a = g.wcs.pixelToWorld(p);
  if (!a) return undefined;
  const pa = frame && frame !== a.frame ? paInFrame(convertFrame(a, frame), paDeg, a.frame) : paDeg;
  const step = 0.01 / 3600;
  const [lon1, lat1] = offsetByPa(a.lon, a.lat, pa + 180, step);
  const [lon2, lat2] = offsetByPa(a.lon, a.lat, pa, step);
  const q1 = g.wcs.worldToPixel({ lon: lon1, lat: lat1, frame: a.frame });
  const q2 = g.wcs.worldToPixel({ lon: lon2, lat: lat2, frame: a.frame });
  return q1 && q2 ? foldAxisAngle(atan2d(q2.y - q1.y, q2.x - q1.x)) : undefined;
}

/** Arcsec per pixel along the image direction `thetaDeg` at `p`. */
export function arcsecPerPixel(g: PixelGeometry, p: Pixel0, thetaDeg: number): number | undefined {
  if (!g.wcs) return g.pixelScaleArcsec;
  const s = stepWorld(g.wcs, p, thetaDeg);
  return s ? (separationDeg(s.a.lon, s.a.lat, s.b.lon, s.b.lat) * 3600) / (2 * H_PX) : undefined;
}

/** Sky position of a pixel in `frame` (default the WCS frame). */
export function pixelToSky(g: PixelGeometry, p: Pixel0, frame?: SkyFrame): World | undefined {
  const w = g.wcs?.pixelToWorld(p);
  if (!w) return undefined;
  return frame && frame !== w.frame ? convertFrame(w, frame) : w;
}

/** Pixel position of a sky position given in any frame. */
export function skyToPixel(g: PixelGeometry, w: World): Pixel0 | undefined {
  return g.wcs?.worldToPixel(w) ?? undefined;
}

/** Half-step (pixels) of the central differences of `LocalSky` (sky curvature over a pixel is ~10⁻¹⁰). */
const JACOBIAN_H_PX = 0.5;
const ARCSEC_PER_RAD = (180 / Math.PI) * 3600;
const RAD = Math.PI / 180;

/** Gnomonic (tangent-plane) coordinate east, radians, of `w` about the point (lon0 deg, lat0 rad). */
function tangentEast(w: World, lon0: number, lat0: number): number {
  const dl = (w.lon - lon0) * RAD;
  const lat = w.lat * RAD;
  return (Math.cos(lat) * Math.sin(dl)) / (Math.sin(lat) * Math.sin(lat0) + Math.cos(lat) * Math.cos(lat0) * Math.cos(dl));
}

/** The same, north: sin δ cos δ0 − cos δ sin δ0 cos Δα written without the cancellation of two nearly equal terms. */
function tangentNorth(w: World, lon0: number, lat0: number): number {
  const dl = (w.lon - lon0) * RAD;
  const lat = w.lat * RAD;
  const s = Math.sin(dl / 2);
  const num = Math.sin(lat - lat0) + 2 * Math.cos(lat) * Math.sin(lat0) * s * s;
  return num / (Math.sin(lat) * Math.sin(lat0) + Math.cos(lat) * Math.cos(lat0) * Math.cos(dl));
}

/**
 * The sky around one pixel, for many sizes and angles at the same point: its position (WCS frame and
 * galactic) and the local Jacobian of pixel → sky, as arcsec east and north per pixel step along +x
 * and +y (central differences in the tangent plane at the point, so any projection, rotation or
 * flip is handled). A direction θ in the image then has the scale |J·(cos θ, sin θ)| and the PA
 * atan2(east, north) of that vector — the quantities `arcsecPerPixel` and `thetaToPaDeg` measure
 * with two projections per direction; this needs five per point. One object is reused point after
 * point (`at`).
 */
export class LocalSky {
  /** False when the WCS is missing or fails at the point (then every other field is NaN). */
  ok = false;
  lon = NaN;
  lat = NaN;
  glon = NaN;
  glat = NaN;
  private eastX = NaN;
  private northX = NaN;
  private eastY = NaN;
  private northY = NaN;

  constructor(private readonly wcs: Wcs | undefined) {}

  /** Moves to pixel (x, y); returns `ok`. */
  at(x: number, y: number): boolean {
    this.ok = false;
    this.lon = this.lat = this.glon = this.glat = NaN;
    this.eastX = this.northX = this.eastY = this.northY = NaN;
    const wcs = this.wcs;
    if (!wcs) return false;
    const c = wcs.pixelToWorld({ x, y });
    const x0 = wcs.pixelToWorld({ x: x - JACOBIAN_H_PX, y });
    const x1 = wcs.pixelToWorld({ x: x + JACOBIAN_H_PX, y });
    const y0 = wcs.pixelToWorld({ x, y: y - JACOBIAN_H_PX });
    const y1 = wcs.pixelToWorld({ x, y: y + JACOBIAN_H_PX });
    if (!c || !x0 || !x1 || !y0 || !y1) return false;
    const lat0 = c.lat * RAD;
    const k = ARCSEC_PER_RAD / (2 * JACOBIAN_H_PX);
    this.eastX = (tangentEast(x1, c.lon, lat0) - tangentEast(x0, c.lon, lat0)) * k;
    this.northX = (tangentNorth(x1, c.lon, lat0) - tangentNorth(x0, c.lon, lat0)) * k;
    this.eastY = (tangentEast(y1, c.lon, lat0) - tangentEast(y0, c.lon, lat0)) * k;
    this.northY = (tangentNorth(y1, c.lon, lat0) - tangentNorth(y0, c.lon, lat0)) * k;
    this.lon = c.lon;
    this.lat = c.lat;
    const gal = c.frame !== 'galactic' ? convertFrame(c, 'galactic') : c;
    this.glon = gal.lon;
    this.glat = gal.lat;
    this.ok = true;
    return true;
  }

  /** Arcsec per pixel along the image direction θ (deg CCW from +x); NaN when not `ok`. */
  scaleArcsec(thetaDeg: number): number {
    const c = Math.cos(thetaDeg * RAD);
    const s = Math.sin(thetaDeg * RAD);
    return Math.hypot(this.eastX * c + this.eastY * s, this.northX * c + this.northY * s);
  }

  /** PA (deg E of N in the WCS frame, folded to [0,180)) of the image direction θ; NaN when not `ok`. */
  paDeg(thetaDeg: number): number {
    if (!this.ok) return NaN;
    const c = Math.cos(thetaDeg * RAD);
    const s = Math.sin(thetaDeg * RAD);
    return foldAxisAngle(Math.atan2(this.eastX * c + this.eastY * s, this.northX * c + this.northY * s) / RAD);
  }
}
