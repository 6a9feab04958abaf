/**
 * Spherical projections (Calabretta & Greisen 2002), following wcslib's prj.c so that domain edges
 * behave as in astropy. Plane coordinates (x, y) are intermediate world coordinates in degrees
 * (R0 = 180/pi); native spherical coordinates (phi, theta) are in degrees. `null` = outside domain.
 */
import { AppError } from '../../shared/contract/errors';
import { R2D, acosd, asind, atan2d, atand, cosd, sind } from './angles';

const TOL = 1e-13;

export interface Projection {
  readonly code: string;
  /** Default native coordinates of the fiducial point. */
  readonly phi0: number;
  readonly theta0: number;
  toNative(x: number, y: number): [number, number] | null;
  toPlane(phi: number, theta: number): [number, number] | null;
}

export const SUPPORTED_PROJECTIONS = ['SIN', 'TAN', 'ARC', 'ZEA', 'STG', 'CAR', 'SFL', 'MER', 'AIT'] as const;

/** wcslib's prjbchk: native coordinates slightly outside their range are clamped, others rejected. */
function boundsCheck(phi: number, theta: number): [number, number] | null {
  let p = phi;
  let t = theta;
  if (p < -180) { if (p < -180 - TOL) return null; p = -180; }
  else if (p > 180) { if (p > 180 + TOL) return null; p = 180; }
  if (t < -90) { if (t < -90 - TOL) return null; t = -90; }
  else if (t > 90) { if (t > 90 + TOL) return null; t = 90; }
  return [p, t];
}

/** Zenithal projections: radius R(theta) in the plane, phi from the direction. */
function zenithal(
  code: string,
  thetaOfR: (r: number) => number | null,
  rOfTheta: (theta: number) => number | null,
): Projection {
  return {
    code,
    phi0: 0,
    theta0: 90,
    toNative(x, y) {
      const r = Math.hypot(x, y);
      const theta = thetaOfR(r);
      if (theta === null || Number.isNaN(theta)) return null;
      return boundsCheck(r === 0 ? 0 : atan2d(x, -y), theta);
    },
    toPlane(phi, theta) {
      const r = rOfTheta(theta);
      if (r === null) return null;
      return [r * sind(phi), -r * cosd(phi)];
    },
  };
}

/** SIN with the generalised (slant orthographic) form; xi = PV2_1, eta = PV2_2 (NCP: eta = cot(delta0)). */
function sin(xi: number, eta: number): Projection {
  if (xi === 0 && eta === 0) {
    return zenithal(
      'SIN',
      (r) => {
        let s = r / R2D;
        if (s > 1) { if (s - 1 > TOL) return null; s = 1; }
        return acosd(s);
      },
      (theta) => (theta < 0 ? null : R2D * cosd(theta)),
    );
  }
  const w1 = xi * xi + eta * eta;
  const a = 1 + w1;
  return {
    code: 'SIN',
    phi0: 0,
    theta0: 90,
    toNative(xDeg, yDeg) {
      const x = xDeg / R2D;
      const y = yDeg / R2D;
      const r2 = x * x + y * y;
      const xy = x * xi + y * eta;
      let theta: number;
      let z: number;
      if (r2 < 1e-10) {
        // Near the native pole the quadratic loses precision: small-angle formula, as wcslib.
        z = r2 / 2;
        theta = 90 - R2D * Math.sqrt(r2 / (1 + xy));
      } else {
        const b = xy - w1;
        const c = r2 - xy - xy + w1 - 1;
        const d = b * b - a * c;
        if (d < 0) return null;
        const sq = Math.sqrt(d);
        const s1 = (-b + sq) / a;
        const s2 = (-b - sq) / a;
        // The solution nearest the native pole, as wcslib.
        let s = Math.max(s1, s2);
        if (s > 1) s = s - 1 < TOL ? 1 : Math.min(s1, s2);
        if (s < -1 && s + 1 > -TOL) s = -1;
        if (s > 1 || s < -1) return null;
        z = 1 - s;
        theta = asind(s);
      }
      const px = x - z * xi;
      const py = -(y - z * eta);
      const phi = px === 0 && py === 0 ? 0 : atan2d(px, py);
      return boundsCheck(phi, theta);
    },
    toPlane(phi, theta) {
      const sp = sind(phi);
      const cp = cosd(phi);
      // Far side of the sphere is not visible (wcslib's bounds test).
      if (theta < -atand(xi * sp - eta * cp)) return null;
      const ct = cosd(theta);
      const z = 1 - sind(theta);
      return [R2D * (ct * sp + xi * z), -R2D * (ct * cp - eta * z)];
    },
  };
}

function cylindrical(
  code: string,
  toNative: (x: number, y: number) => [number, number] | null,
  toPlane: (phi: number, theta: number) => [number, number] | null,
): Projection {
  return {
    code,
    phi0: 0,
    theta0: 0,
    toNative(x, y) {
      const r = toNative(x, y);
      return r === null ? null : boundsCheck(r[0], r[1]);
    },
    toPlane,
  };
}

function ait(): Projection {
  return cylindrical(
    'AIT',
    (xDeg, yDeg) => {
      const x = xDeg / R2D;
      const y = yDeg / R2D;
      let t = 1 - (x * x) / 16 - (y * y) / 4;
      if (t < 0.5) { if (t < 0.5 - TOL) return null; t = 0.5; }
      const z = Math.sqrt(t);
      let st = z * y;
      if (Math.abs(st) > 1) { if (Math.abs(st) > 1 + TOL) return null; st = Math.sign(st); }
      return [2 * atan2d((z * x) / 2, 2 * z * z - 1), asind(st)];
    },
    (phi, theta) => {
      const ct = cosd(theta);
      const g = Math.sqrt(2 / (1 + ct * cosd(phi / 2)));
      return [2 * R2D * g * ct * sind(phi / 2), R2D * g * sind(theta)];
    },
  );
}

export function createProjection(code: string, pv: ReadonlyMap<number, number>): Projection {
  switch (code) {
    case 'SIN':
      return sin(pv.get(1) ?? 0, pv.get(2) ?? 0);
    case 'TAN':
      return zenithal(
        'TAN',
        (r) => atan2d(R2D, r),
        (theta) => {
          const s = sind(theta);
          if (s <= 0) return null; // wcslib rejects the far hemisphere and the horizon
          return (R2D * cosd(theta)) / s;
        },
      );
    case 'ARC':
      return zenithal('ARC', (r) => 90 - r, (theta) => 90 - theta);
    case 'ZEA':
      return zenithal(
        'ZEA',
        (r) => {
          let s = r / (2 * R2D);
          if (s > 1) { if (s - 1 > TOL) return null; s = 1; }
          return 90 - 2 * asind(s);
        },
        (theta) => 2 * R2D * sind((90 - theta) / 2),
      );
    case 'STG':
      return zenithal(
        'STG',
        (r) => 90 - 2 * atand(r / (2 * R2D)),
        (theta) => {
          const s = 1 + sind(theta);
          if (s === 0) return null;
          return (2 * R2D * cosd(theta)) / s;
        },
      );
    case 'CAR':
      return cylindrical('CAR', (x, y) => [x, y], (phi, theta) => [phi, theta]);
    case 'SFL':
      return cylindrical(
        'SFL',
        (x, y) => {
          const s = cosd(y);
          if (s === 0) return Math.abs(x) > TOL ? null : [0, y];
          return [x / s, y];
        },
        (phi, theta) => [phi * cosd(theta), theta],
      );
    case 'MER':
      return cylindrical(
        'MER',
        (x, y) => [x, 2 * atand(Math.exp(y / R2D)) - 90],
        (phi, theta) => {
          if (theta <= -90 || theta >= 90) return null;
          return [phi, R2D * Math.log(Math.tan(((90 + theta) / 2) * (Math.PI / 180)))];
        },
      );
    case 'AIT':
      return ait();
    default:
      throw new AppError('wcs.unsupportedProjection', `Projection ${code} is not supported`, {
        projection: code,
        supported: [...SUPPORTED_PROJECTIONS, 'NCP', 'GLS'],
      });
  }
}
