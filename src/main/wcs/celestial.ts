/**
 * Native <-> celestial spherical rotation, with wcslib's celset() rules for the LONPOLE default and for
 * choosing LATPOLE between the two possible native-pole latitudes.
 */
import { AppError } from '../../shared/contract/errors';
import { acosd, asind, atan2d, cosd, sind } from './angles';

const TOL = 1e-10;

export interface Rotation {
  /** Celestial coordinates of the native pole (alpha_p, delta_p) and native longitude of the celestial pole. */
  readonly lngp: number;
  readonly latp: number;
  readonly phip: number;
}

/**
 * Solve for the native pole. `lonpole`/`latpole` are undefined when absent from the header.
 * (phi0, theta0) is the fiducial point in native coordinates, (lng0, lat0) = CRVAL.
 */
export function solveRotation(
  lng0: number,
  lat0: number,
  phi0: number,
  theta0: number,
  lonpole: number | undefined,
  latpole: number | undefined,
): Rotation {
  const phip = lonpole ?? (lat0 < theta0 ? 180 : 0);
  let latp = latpole ?? 90;
  let lngp: number;
  if (theta0 === 90) {
    return { lngp: lng0, latp: lat0, phip };
  }
  const slat0 = sind(lat0);
  const clat0 = cosd(lat0);
  const sthe0 = sind(theta0);
  const cthe0 = cosd(theta0);
  let sphip: number;
  let u = 0;
  let v = 0;
  let latpFixed = false;
  if (phip === phi0) {
    sphip = 0;
    u = theta0;
    v = 90 - lat0;
  } else {
    sphip = sind(phip - phi0);
    const cphip = cosd(phip - phi0);
    const x = cthe0 * cphip;
    const y = sthe0;
    const z = Math.hypot(x, y);
    if (z === 0) {
      if (slat0 !== 0) throw bad('LONPOLE/theta0 combination has no solution');
      latpFixed = true;
      latp = Math.max(-90, Math.min(90, latp));
    } else {
      let slz = slat0 / z;
      if (Math.abs(slz) > 1) {
        if (Math.abs(slz) - 1 < TOL) slz = Math.sign(slz);
        else throw bad('CRVAL/LONPOLE combination has no solution');
      }
      u = atan2d(y, x);
      v = acosd(slz);
    }
  }
  if (!latpFixed) {
    const wrap = (a: number): number => (a > 180 ? a - 360 : a < -180 ? a + 360 : a);
    const latp1 = wrap(u + v);
    const latp2 = wrap(u - v);
    if (Math.abs(latp - latp1) < Math.abs(latp - latp2)) {
      latp = Math.abs(latp1) < 90 + TOL ? latp1 : latp2;
    } else {
      latp = Math.abs(latp2) < 90 + TOL ? latp2 : latp1;
    }
    if (Math.abs(latp) > 90 + TOL) throw bad('no valid native pole latitude for these CRVAL/LONPOLE values');
    latp = Math.max(-90, Math.min(90, latp));
  }
  const z = cosd(latp) * clat0;
  if (Math.abs(z) < TOL) {
    if (Math.abs(clat0) < TOL) lngp = lng0;
    else if (latp > 0) lngp = lng0 + phip - phi0 - 180;
    else lngp = lng0 - phip + phi0;
  } else {
    const x = (sthe0 - sind(latp) * slat0) / z;
    const y = (sphip * cthe0) / clat0;
    if (x === 0 && y === 0) throw bad('native pole is undefined');
    lngp = lng0 - atan2d(y, x);
  }
  return { lngp, latp, phip };
}

function bad(why: string): AppError {
  return new AppError('wcs.unsupportedProjection', `Invalid celestial WCS: ${why}`);
}

/** Native (phi, theta) -> celestial (lon, lat), degrees; lon not normalised. */
export function nativeToCelestial(rot: Rotation, phi: number, theta: number): [number, number] {
  const b = 90 - rot.latp;
  const cb = cosd(b);
  const sb = sind(b);
  const dphi = phi - rot.phip;
  const st = sind(theta);
  const ct = cosd(theta);
  const sp = sind(dphi);
  const cp = cosd(dphi);
  let x = st * sb - ct * cb * cp;
  if (Math.abs(x) < 1e-5) x = -cosd(theta + b) + ct * cb * (1 - cp); // better precision, as wcslib
  const y = -ct * sp;
  const dlng = x !== 0 || y !== 0 ? atan2d(y, x) : b < 90 ? dphi + 180 : -dphi;
  const z = st * cb + ct * sb * cp;
  const lat = Math.abs(z) > 0.99 ? Math.sign(z) * acosd(Math.min(1, Math.hypot(x, y))) : asind(z);
  return [rot.lngp + dlng, lat];
}

/** Celestial (lon, lat) -> native (phi, theta), degrees; phi in [-180, 180]. */
export function celestialToNative(rot: Rotation, lon: number, lat: number): [number, number] {
  const b = 90 - rot.latp;
  const cb = cosd(b);
  const sb = sind(b);
  const dlng = lon - rot.lngp;
  const sl = sind(lat);
  const cl = cosd(lat);
  const sa = sind(dlng);
  const ca = cosd(dlng);
  let x = sl * sb - cl * cb * ca;
  if (Math.abs(x) < 1e-5) x = -cosd(lat + b) + cl * cb * (1 - ca);
  const y = -cl * sa;
  const dphi = x !== 0 || y !== 0 ? atan2d(y, x) : b < 90 ? dlng - 180 : -dlng;
  let phi = rot.phip + dphi;
  phi = ((((phi + 180) % 360) + 360) % 360) - 180;
  const z = sl * cb + cl * sb * ca;
  const theta = Math.abs(z) > 0.99 ? Math.sign(z) * acosd(Math.min(1, Math.hypot(x, y))) : asind(z);
  return [phi, theta];
}
