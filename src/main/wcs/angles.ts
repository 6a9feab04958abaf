/** Degree-based trigonometry and small angle helpers shared by the WCS code. */

export const D2R = Math.PI / 180;
export const R2D = 180 / Math.PI;

export const sind = (a: number): number => Math.sin(a * D2R);
export const cosd = (a: number): number => Math.cos(a * D2R);
export const tand = (a: number): number => Math.tan(a * D2R);
export const asind = (v: number): number => Math.asin(v) * R2D;
export const acosd = (v: number): number => Math.acos(v) * R2D;
export const atand = (v: number): number => Math.atan(v) * R2D;
export const atan2d = (y: number, x: number): number => Math.atan2(y, x) * R2D;

/** Longitude normalised to [0, 360). */
export function normLon(lon: number): number {
  let l = lon % 360;
  if (l < 0) l += 360;
  // -1e-15 % 360 + 360 rounds to 360 exactly
  return l >= 360 ? 0 : l;
}

/** Unit vector of (lon, lat) in degrees. */
export function toVector(lon: number, lat: number): [number, number, number] {
  const cl = cosd(lat);
  return [cl * cosd(lon), cl * sind(lon), sind(lat)];
}

/** (lon, lat) in degrees of a vector (need not be unit length); lon in [0, 360). */
export function fromVector(v: readonly number[]): [number, number] {
  const [x, y, z] = v as [number, number, number];
  const rxy = Math.hypot(x, y);
  const lon = rxy === 0 ? 0 : normLon(atan2d(y, x));
  return [lon, atan2d(z, rxy)];
}

/** Angular separation in degrees (Vincenty formula: accurate at all separations). */
export function separationDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dl = (lon2 - lon1) * D2R;
  const p1 = lat1 * D2R;
  const p2 = lat2 * D2R;
  const sdl = Math.sin(dl);
  const cdl = Math.cos(dl);
  const num1 = Math.cos(p2) * sdl;
  const num2 = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * cdl;
  const den = Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * cdl;
  return Math.atan2(Math.hypot(num1, num2), den) * R2D;
}

export type Mat3 = readonly [readonly number[], readonly number[], readonly number[]];

export function matVec(m: Mat3, v: readonly number[]): [number, number, number] {
  const r = (i: 0 | 1 | 2): number => m[i][0]! * v[0]! + m[i][1]! * v[1]! + m[i][2]! * v[2]!;
  return [r(0), r(1), r(2)];
}

export function matMul(a: Mat3, b: Mat3): Mat3 {
  const row = (i: 0 | 1 | 2): number[] =>
    [0, 1, 2].map((j) => a[i][0]! * b[0]![j]! + a[i][1]! * b[1]![j]! + a[i][2]! * b[2]![j]!);
  return [row(0), row(1), row(2)];
}

export function transpose(m: Mat3): Mat3 {
  return [0, 1, 2].map((j) => [m[0][j]!, m[1][j]!, m[2][j]!]) as unknown as Mat3;
}

/** Passive rotation about an axis, as astropy's `rotation_matrix(angle, axis)` (degrees). */
export function rotationMatrix(angleDeg: number, axis: 'x' | 'y' | 'z'): Mat3 {
  const c = cosd(angleDeg);
  const s = sind(angleDeg);
  if (axis === 'z') return [[c, s, 0], [-s, c, 0], [0, 0, 1]];
  if (axis === 'y') return [[c, 0, -s], [0, 1, 0], [s, 0, c]];
  return [[1, 0, 0], [0, c, s], [0, -s, c]];
}
