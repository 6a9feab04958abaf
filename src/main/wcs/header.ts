/**
 * Reads the celestial part of a FITS WCS header (a plain keyword -> value dict) into the numbers the
 * transformation needs, applying the same fixes astropy/wcslib apply (NCP -> SIN, GLS -> SFL, EPOCH as
 * EQUINOX, old AIPS PC001002 keywords, CROTA2, RADESYS defaults).
 */
import type { HeaderCards } from '../../shared/contract/images';
import type { SkyFrame } from '../../shared/domain/coords';
import { AppError } from '../../shared/contract/errors';
import { cosd, sind } from './angles';

export interface CelestialHeader {
  /** 1-based FITS axis numbers of the celestial longitude and latitude. */
  lonAxis: number;
  latAxis: number;
  ctypeLon: string;
  ctypeLat: string;
  /** Projection code after wcslib's fixes ('NCP' becomes 'SIN', 'GLS' becomes 'SFL'). */
  projection: string;
  /** Code as written in the header. */
  headerProjection: string;
  /** Pixel axes in order: Pixel0.x is pixel axis `pixelAxes[0]`. */
  pixelAxes: [number, number];
  crpix: [number, number];
  /** Row i (world axis lon=0, lat=1), column j (pixel axis pixelAxes[j]): deg per pixel. */
  matrix: [[number, number], [number, number]];
  crval: [number, number];
  /** PVlat_m parameters of the projection. */
  pv: Map<number, number>;
  /** Fiducial point override from PVlon_1/PVlon_2 (when PVlon_0 = 1, or GLS fix). */
  phi0?: number;
  theta0?: number;
  offset: boolean;
  lonpole?: number;
  latpole?: number;
  frame: SkyFrame;
  equinox?: number;
}

function num(cards: HeaderCards, key: string): number | undefined {
  const v = cards[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function str(cards: HeaderCards, key: string): string | undefined {
  const v = cards[key];
  return typeof v === 'string' ? v.trim().toUpperCase() : undefined;
}

function equinoxValue(cards: HeaderCards, key: string): number | undefined {
  const v = cards[key];
  if (typeof v === 'string') {
    const m = /^\s*[JB]?(\d+(?:\.\d*)?)\s*$/i.exec(v);
    return m ? Number(m[1]) : undefined;
  }
  return num(cards, key);
}

/** Old AIPS keywords PC001002 / CD001002 are read as PC1_2 / CD1_2 (as wcslib's header parser does). */
function matrixCard(cards: HeaderCards, prefix: 'PC' | 'CD', i: number, j: number): number | undefined {
  const pad = (n: number): string => String(n).padStart(3, '0');
  return num(cards, `${prefix}${i}_${j}`) ?? num(cards, `${prefix}${pad(i)}${pad(j)}`);
}

function hasAny(cards: HeaderCards, re: RegExp): boolean {
  return Object.keys(cards).some((k) => re.test(k));
}

const LON_PREFIX: Record<string, SkyFrame | 'equatorial'> = { 'RA--': 'equatorial', GLON: 'galactic' };
const LAT_PREFIX: Record<string, string> = { 'RA--': 'DEC-', GLON: 'GLAT' };

export function readCelestialHeader(cards: HeaderCards, source = 'header'): CelestialHeader {
  const ctypes = new Map<number, string>();
  for (const key of Object.keys(cards)) {
    const m = /^CTYPE(\d+)$/.exec(key);
    const v = cards[key];
    if (m && typeof v === 'string') ctypes.set(Number(m[1]), v.trim().toUpperCase());
  }
  let lonAxis = 0;
  let latAxis = 0;
  let lonPrefix = '';
  for (const [axis, ct] of ctypes) {
    const prefix = ct.slice(0, 4);
    if (prefix in LON_PREFIX) { lonAxis = axis; lonPrefix = prefix; }
  }
  for (const [axis, ct] of ctypes) {
    if (lonPrefix && ct.slice(0, 4) === LAT_PREFIX[lonPrefix]) latAxis = axis;
  }
  if (!lonAxis || !latAxis) {
    throw new AppError('wcs.noCelestialAxes', `${source}: no celestial axis pair (RA/DEC or GLON/GLAT) in CTYPEn`, {
      ctypes: Object.fromEntries(ctypes),
    });
  }
  const ctypeLon = ctypes.get(lonAxis)!;
  const ctypeLat = ctypes.get(latAxis)!;
  const headerProjection = ctypeLon.slice(5, 8).trim();
  if (headerProjection !== ctypeLat.slice(5, 8).trim()) {
    throw new AppError('wcs.unsupportedProjection', `${source}: CTYPE${lonAxis}='${ctypeLon}' and CTYPE${latAxis}='${ctypeLat}' use different projections`);
  }
  const axes: [number, number] = [lonAxis, latAxis];
  const pixelAxes: [number, number] = lonAxis < latAxis ? [lonAxis, latAxis] : [latAxis, lonAxis];
  const crpix = pixelAxes.map((a) => num(cards, `CRPIX${a}`) ?? 0) as [number, number];
  const crval = axes.map((a) => num(cards, `CRVAL${a}`) ?? 0) as [number, number];
  const matrix = readMatrix(cards, axes, pixelAxes);

  const pv = new Map<number, number>();
  for (let m = 0; m < 30; m++) {
    const v = num(cards, `PV${latAxis}_${m}`);
    if (v !== undefined) pv.set(m, v);
  }
  let projection = headerProjection;
  let offset = num(cards, `PV${lonAxis}_0`) === 1;
  let phi0 = offset ? num(cards, `PV${lonAxis}_1`) : undefined;
  let theta0 = offset ? num(cards, `PV${lonAxis}_2`) : undefined;
  if (projection === 'NCP') {
    // wcslib's celfix: NCP is SIN with xi = 0, eta = cot(delta0).
    if (crval[1] === 0) throw new AppError('wcs.unsupportedProjection', `${source}: NCP projection with CRVAL${latAxis} = 0 is undefined`);
    projection = 'SIN';
    pv.set(1, 0);
    pv.set(2, cosd(crval[1]) / sind(crval[1]));
  } else if (projection === 'GLS') {
    // wcslib's celfix: GLS is SFL; a non-zero reference latitude moves the fiducial point, not the pole.
    projection = 'SFL';
    if (crval[1] !== 0) { offset = true; phi0 = 0; theta0 = crval[1]; }
  }
  const lonpole = num(cards, 'LONPOLE') ?? num(cards, `PV${lonAxis}_3`);
  const latpole = num(cards, 'LATPOLE') ?? num(cards, `PV${lonAxis}_4`);

  const { frame, equinox } = readFrame(cards, lonPrefix);
  return {
    lonAxis, latAxis, ctypeLon, ctypeLat, projection, headerProjection, pixelAxes, crpix, matrix, crval, pv,
    offset, frame, ...(phi0 !== undefined ? { phi0 } : {}), ...(theta0 !== undefined ? { theta0 } : {}),
    ...(lonpole !== undefined ? { lonpole } : {}), ...(latpole !== undefined ? { latpole } : {}),
    ...(equinox !== undefined ? { equinox } : {}),
  };
}

/** Linear part restricted to the celestial axes: PCi_j (with CDELTi) wins over CDi_j, which wins over CROTAi. */
function readMatrix(cards: HeaderCards, axes: [number, number], pixelAxes: [number, number]): [[number, number], [number, number]] {
  const hasPc = hasAny(cards, /^PC(\d+_\d+|\d{6})$/);
  const hasCd = hasAny(cards, /^CD(\d+_\d+|\d{6})$/);
  const cdelt = (a: number): number => num(cards, `CDELT${a}`) ?? 1;
  const out: [[number, number], [number, number]] = [[0, 0], [0, 0]];
  if (hasPc || !hasCd) {
    const crota = num(cards, `CROTA${axes[1]}`) ?? num(cards, `CROTA${axes[0]}`);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const wi = axes[i]!;
        const pj = pixelAxes[j]!;
        let pc: number;
        if (hasPc) pc = matrixCard(cards, 'PC', wi, pj) ?? (wi === pj ? 1 : 0);
        else if (crota !== undefined && crota !== 0) pc = crotaPc(crota, cdelt(axes[0]), cdelt(axes[1]), i, wi === pj);
        else pc = wi === pj ? 1 : 0;
        out[i]![j] = cdelt(wi) * pc;
      }
    }
  } else {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) out[i]![j] = matrixCard(cards, 'CD', axes[i]!, pixelAxes[j]!) ?? 0;
    }
  }
  return out;
}

/** PC element from CROTA (wcslib): i = 0 for the longitude row; `diagonal` when the pixel axis is the same axis. */
function crotaPc(rho: number, cdeltLon: number, cdeltLat: number, i: number, diagonal: boolean): number {
  if (diagonal) return cosd(rho);
  return i === 0 ? (-sind(rho) * cdeltLat) / cdeltLon : (sind(rho) * cdeltLon) / cdeltLat;
}

function readFrame(cards: HeaderCards, lonPrefix: string): { frame: SkyFrame; equinox?: number } {
  if (lonPrefix === 'GLON') return { frame: 'galactic' };
  // wcslib reads EPOCH as EQUINOX when EQUINOX is absent.
  const equinox = equinoxValue(cards, 'EQUINOX') ?? equinoxValue(cards, 'EPOCH');
  const radesys = str(cards, 'RADESYS') ?? str(cards, 'RADECSYS');
  let frame: SkyFrame;
  if (radesys === 'ICRS') frame = 'icrs';
  else if (radesys === 'FK5') frame = 'fk5';
  else if (radesys === 'FK4' || radesys === 'FK4-NO-E') frame = 'fk4';
  else if (equinox === undefined) frame = 'icrs';
  else frame = equinox < 1984 ? 'fk4' : 'fk5';
  if (frame === 'icrs') return { frame };
  return { frame, equinox: equinox ?? (frame === 'fk5' ? 2000 : 1950) };
}
