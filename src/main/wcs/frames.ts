/**
 * Sky frame conversions, following astropy's transformation graph so results agree with it:
 * ICRS <-> FK5 (frame bias, then IAU 2006 precession), FK5 J2000 <-> Galactic, FK4 <-> FK4-no-E-terms
 * <-> FK5 (Standish 1982 matrix) and FK4-no-E-terms <-> Galactic (B1950 definition of the pole).
 * The hub is FK5 J2000 except for FK4 <-> Galactic, which astropy takes directly. FK4 at any Besselian
 * equinox (Newcomb precession); its observation epoch is taken equal to the equinox, astropy's default.
 */
import type { SkyFrame, World } from '../../shared/domain/coords';
import { type Mat3, fromVector, matMul, matVec, rotationMatrix, toVector, transpose, cosd, sind } from './angles';

const MAS = 1 / 3600000;

/** ICRS -> FK5 J2000 frame bias (astropy `_icrs_to_fk5_matrix`). */
const ICRS_TO_FK5: Mat3 = matMul(
  matMul(rotationMatrix(19.9 * MAS, 'x'), rotationMatrix(9.1 * MAS, 'y')),
  rotationMatrix(-22.9 * MAS, 'z'),
);

/** FK5 J2000 -> Galactic. */
const FK5_TO_GAL: Mat3 = matMul(
  matMul(rotationMatrix(180 - 122.9319185680026, 'z'), rotationMatrix(90 - 27.12825118085622, 'y')),
  rotationMatrix(192.8594812065348, 'z'),
);

/** FK4 (no E-terms) B1950 -> Galactic. */
const FK4NOE_TO_GAL: Mat3 = matMul(
  matMul(rotationMatrix(180 - 123, 'z'), rotationMatrix(90 - 27.4, 'y')),
  rotationMatrix(192.25, 'z'),
);

const B1950_TO_J2000: Mat3 = [
  [0.9999256794956877, -0.0111814832204662, -0.0048590038153592],
  [0.0111814832391717, 0.9999374848933135, -0.0000271625947142],
  [0.0048590037723143, -0.000027170293744, 0.9999881946023742],
];
const FK4_CORR: Mat3 = [
  [-0.0026455262e-6, -1.1539918689e-6, 2.111134619e-6],
  [1.1540628161e-6, -0.0129042997e-6, 0.0236021478e-6],
  [-2.1112979048e-6, -0.0056024448e-6, 0.0102587734e-6],
];

const FK5_TO_ICRS = transpose(ICRS_TO_FK5);
const GAL_TO_FK5 = transpose(FK5_TO_GAL);

const JD_J2000 = 2451545;
const besselianToJd = (b: number): number => 2415020.31352 + (b - 1900) * 365.242198781;
const jdToJulianYear = (jd: number): number => 2000 + (jd - JD_J2000) / 365.25;

/**
 * FK4 no-E-terms at Besselian equinox `eq` -> FK5 J2000 (astropy `fk4_no_e_to_fk5`: precess to B1950 with
 * Newcomb, then the Standish matrix with its rotating-frame term for obstime = equinox, astropy's default).
 */
function fk4NoEToFk5(eq: number): Mat3 {
  const t = (jdToJulianYear(besselianToJd(eq)) - 1950) / 100;
  const b = B1950_TO_J2000.map((row, i) => row.map((v, j) => v + FK4_CORR[i]![j]! * t)) as unknown as Mat3;
  return eq === 1950 ? b : matMul(b, precessBesselian(eq, 1950));
}

/** Newcomb precession between Besselian epochs (astropy `_precession_matrix_besselian`). */
function precessBesselian(epoch1: number, epoch2: number): Mat3 {
  const t1 = (epoch1 - 1850) / 1000;
  const dt = (epoch2 - 1850) / 1000 - t1;
  const zeta = ((17.995 * dt + (30.24 - 0.27 * t1)) * dt + (23035.545 + t1 * 139.72 + 0.06 * t1 * t1)) * dt / 3600;
  const z = ((18.325 * dt + (109.48 + 0.39 * t1)) * dt + (23035.545 + t1 * 139.72 + 0.06 * t1 * t1)) * dt / 3600;
  const theta = ((-41.8 * dt + (-42.65 - 0.37 * t1)) * dt + (20051.12 - 85.29 * t1 - 0.37 * t1 * t1)) * dt / 3600;
  return matMul(matMul(rotationMatrix(-z, 'z'), rotationMatrix(theta, 'y')), rotationMatrix(-zeta, 'z'));
}

/** E-terms of aberration for the FK4 equinox (astropy `fk4_e_terms`). */
function eTerms(besselianEquinox: number): [number, number, number] {
  const jd = besselianToJd(besselianEquinox);
  const t50 = (jd - besselianToJd(1950)) / 36525; // eccentricity and perigee: centuries from B1950
  const t = (jd - JD_J2000) / 36525; // obliquity (IAU 1980): centuries from J2000
  const k = 0.0056932 * (Math.PI / 180);
  const e = (-0.000000126 * t50 - 0.00004193) * t50 + 0.01673011;
  const g = (((0.012 * t50 + 1.65) * t50 + 6190.67) * t50 + 1015489.951) / 3600;
  const o = (((0.001813 * t - 0.00059) * t - 46.815) * t + 84381.448) / 3600;
  return [e * k * sind(g), -e * k * cosd(g) * cosd(o), -e * k * cosd(g) * sind(o)];
}

const dot = (a: readonly number[], b: readonly number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const unit = (v: readonly number[]): [number, number, number] => {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return [v[0]! / n, v[1]! / n, v[2]! / n];
};

function removeETerms(v: readonly number[], eq: number): [number, number, number] {
  const a = eTerms(eq);
  const d = dot(a, v);
  return unit([v[0]! - a[0] + d * v[0]!, v[1]! - a[1] + d * v[1]!, v[2]! - a[2] + d * v[2]!]);
}

function addETerms(v0: readonly number[], eq: number): [number, number, number] {
  const a = eTerms(eq);
  let v: readonly number[] = v0;
  for (let i = 0; i < 10; i++) {
    const s = 1 + dot(a, v);
    v = [(a[0] + v0[0]!) / s, (a[1] + v0[1]!) / s, (a[2] + v0[2]!) / s];
  }
  return unit(v);
}

/** IAU 2006 precession from J2000 to a Julian epoch (astropy `_precess_from_J2000_Capitaine`). */
function precessFromJ2000(epoch: number): Mat3 {
  const t = (epoch - 2000) / 100;
  const poly = (c: number[]): number => c.reduce((acc, x) => acc * t + x, 0) / 3600;
  const zeta = poly([-0.0000003173, -0.000005971, 0.01801828, 0.2988499, 2306.083227, 2.650545]);
  const z = poly([-0.0000002904, -0.000028596, 0.01826837, 1.0927348, 2306.077181, -2.650545]);
  const theta = poly([-0.0000001274, -0.000007089, -0.04182264, -0.4294934, 2004.191903, 0]);
  return matMul(matMul(rotationMatrix(-z, 'z'), rotationMatrix(theta, 'y')), rotationMatrix(-zeta, 'z'));
}

/** Frame-dependent matrices, cached: the grid converts thousands of points with the same ones. */
const cache = new Map<string, Mat3>();
function cached(key: string, make: () => Mat3): Mat3 {
  let m = cache.get(key);
  if (!m) { m = make(); cache.set(key, m); }
  return m;
}
const fk4ToFk5Matrix = (eq: number): Mat3 => cached(`fk4-fk5-${eq}`, () => fk4NoEToFk5(eq));
const fk5ToFk4Matrix = (eq: number): Mat3 => cached(`fk5-fk4-${eq}`, () => transpose(fk4NoEToFk5(eq)));
const fk4ToGalMatrix = (eq: number): Mat3 =>
  cached(`fk4-gal-${eq}`, () => (eq === 1950 ? FK4NOE_TO_GAL : matMul(FK4NOE_TO_GAL, precessBesselian(eq, 1950))));
const galToFk4Matrix = (eq: number): Mat3 => cached(`gal-fk4-${eq}`, () => transpose(fk4ToGalMatrix(eq)));
const fk5FromJ2000 = (eq: number): Mat3 => cached(`fk5-${eq}`, () => precessFromJ2000(eq));
const fk5ToJ2000 = (eq: number): Mat3 => cached(`fk5-inv-${eq}`, () => transpose(precessFromJ2000(eq)));

/** Vector in `frame` -> FK5 J2000. */
function toFk5J2000(v: readonly number[], frame: SkyFrame, equinox: number | undefined): readonly number[] {
  switch (frame) {
    case 'fk5':
      return equinox === undefined || equinox === 2000 ? v : matVec(fk5ToJ2000(equinox), v);
    case 'icrs':
      return matVec(ICRS_TO_FK5, v);
    case 'galactic':
      return matVec(GAL_TO_FK5, v);
    case 'fk4':
      return matVec(fk4ToFk5Matrix(equinox ?? 1950), removeETerms(v, equinox ?? 1950));
  }
}

function fromFk5J2000(v: readonly number[], frame: SkyFrame, equinox: number | undefined): readonly number[] {
  switch (frame) {
    case 'fk5':
      return equinox === undefined || equinox === 2000 ? v : matVec(fk5FromJ2000(equinox), v);
    case 'icrs':
      return matVec(FK5_TO_ICRS, v);
    case 'galactic':
      return matVec(FK5_TO_GAL, v);
    case 'fk4':
      return addETerms(matVec(fk5ToFk4Matrix(equinox ?? 1950), v), equinox ?? 1950);
  }
}

export interface FrameOptions {
  /** Equinox of the target frame (Julian for FK5, Besselian for FK4); default J2000 / B1950. */
  equinox?: number;
  /** Equinox of the input position, same rules. */
  fromEquinox?: number;
}

/** Convert a sky position to another frame; longitude normalised to [0, 360). */
export function convertFrame(w: World, to: SkyFrame, opts: FrameOptions = {}): World {
  const same = w.frame === to && (opts.equinox ?? 0) === (opts.fromEquinox ?? 0);
  if (same || !Number.isFinite(w.lon) || !Number.isFinite(w.lat)) return { lon: w.lon, lat: w.lat, frame: to };
  const v = toVector(w.lon, w.lat);
  let out: readonly number[];
  if (w.frame === 'fk4' && to === 'galactic') {
    const eq = opts.fromEquinox ?? 1950;
    out = matVec(fk4ToGalMatrix(eq), removeETerms(v, eq));
  } else if (w.frame === 'galactic' && to === 'fk4') {
    const eq = opts.equinox ?? 1950;
    out = addETerms(matVec(galToFk4Matrix(eq), v), eq);
  } else {
    out = fromFk5J2000(toFk5J2000(v, w.frame, opts.fromEquinox), to, opts.equinox);
  }
  const [lon, lat] = fromVector(out);
  return { lon, lat, frame: to };
}
