/** Sexagesimal formatting and parsing of sky positions. */
import type { SkyFrame, World } from '../../shared/domain/coords';
import { AppError } from '../../shared/contract/errors';
import { normLon } from './angles';

/**
 * Split |value| into (a, b, c) units/60ths/3600ths, rounded to `decimals` on the last field with the
 * carry propagated (59.9999 s never prints as 60.00).
 */
function splitSexagesimal(value: number, decimals: number): [number, number, string] {
  const scale = 10 ** decimals;
  const total = Math.round(Math.abs(value) * 3600 * scale); // in units of 10^-decimals of the last field
  const perUnit = 3600 * scale;
  const a = Math.floor(total / perUnit);
  const rem = total - a * perUnit;
  const b = Math.floor(rem / (60 * scale));
  const c = (rem - b * 60 * scale) / scale;
  const cText = c.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return [a, b, cText];
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Hours:minutes:seconds of a longitude in degrees, e.g. '12:34:56.78'. */
export function formatHms(lonDeg: number, decimals = 2): string {
  const [h, m, s] = splitSexagesimal(normLon(lonDeg) / 15, decimals);
  return `${two(h % 24)}:${two(m)}:${s}`;
}

/** Signed degrees:arcmin:arcsec, e.g. '-45:06:07.8'. */
export function formatDms(latDeg: number, decimals = 1): string {
  const [d, m, s] = splitSexagesimal(latDeg, decimals);
  const negative = latDeg < 0; // as astropy: -0.00000001 prints as -00:00:00.0
  return `${negative ? '-' : '+'}${two(d)}:${m.toString().padStart(2, '0')}:${s}`;
}

/**
 * Equatorial frames: lon as hh:mm:ss.ss (precision = decimals of the seconds of time, default 2) and
 * lat as ±dd:mm:ss.s (one decimal fewer, which is about the same angle). Galactic: decimal degrees with
 * precision + 4 decimals.
 */
export function formatSexagesimal(w: World, opts: { precision?: number } = {}): { lon: string; lat: string } {
  const p = Math.max(0, Math.min(9, Math.round(opts.precision ?? 2)));
  if (w.frame === 'galactic') {
    const lat = w.lat.toFixed(p + 4);
    let lon = normLon(w.lon).toFixed(p + 4);
    if (Number(lon) >= 360) lon = (0).toFixed(p + 4);
    return { lon, lat: w.lat >= 0 && !lat.startsWith('-') ? `+${lat}` : lat };
  }
  return { lon: formatHms(w.lon, p), lat: formatDms(w.lat, Math.max(0, p - 1)) };
}

const NUM = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const DECIMAL_RE = new RegExp(String.raw`^([+-]?${NUM})(h|d|deg)?$`);
const SEXA_RE = new RegExp(String.raw`^([+-]?)(\d+)([:hd])(\d+(?:\.\d*)?)(?:[:m'](${NUM})?s?"?)?$`);

type Unit = 'hours' | 'degrees' | 'default';

/** One angle; `unit` tells whether sexagesimal/plain numbers mean hours or degrees. */
function parseAngle(token: string): { value: number; unit: Unit; sexagesimal: boolean } | null {
  const dec = DECIMAL_RE.exec(token);
  if (dec) {
    return { value: Number(dec[1]), unit: dec[2] === 'h' ? 'hours' : dec[2] ? 'degrees' : 'default', sexagesimal: false };
  }
  const sx = SEXA_RE.exec(token);
  if (!sx) return null;
  const a = Number(sx[2]);
  const b = Number(sx[4]);
  const c = sx[5] === undefined ? 0 : Number(sx[5]);
  if (b >= 60 || c >= 60) return null;
  const value = (sx[1] === '-' ? -1 : 1) * (a + b / 60 + c / 3600);
  return { value, unit: sx[3] === 'h' ? 'hours' : sx[3] === 'd' ? 'degrees' : 'default', sexagesimal: true };
}

function bad(text: string, why: string): AppError {
  return new AppError('wcs.badCoordinate', `Cannot read sky coordinate "${text}": ${why}`, { text });
}

/**
 * Parse "lon lat" written as decimal degrees ('188.7 -45.1'), colon or space sexagesimal
 * ('12:34:56.78 -45:06:07.8', '12 34 56.78 -45 06 07.8') or with unit letters ('12h34m56.78s -45d06m07.8s',
 * '°′″' accepted). Sexagesimal longitudes are hours in equatorial frames, degrees in galactic.
 */
export function parseSkyCoordinate(text: string, frame: SkyFrame = 'icrs'): World {
  const norm = text
    .trim()
    .replace(/[°º]/g, 'd')
    .replace(/[′’]/g, "'")
    .replace(/[″”]/g, '"')
    .replace(/\u2212/g, '-')
    .replace(/''/g, '"')
    .replace(/,/g, ' ')
    .toLowerCase()
    // '12h 34m 56s' -> '12h34m56s' (only after integer degrees/hours, so '188.7d 45.1' stays two angles)
    .replace(/(?<![\d.])(\d+[hd])\s+(?=\d)/g, '$1')
    .replace(/([hd]\d+[m'])\s+(?=[\d.])/g, '$1');
  let parts = norm.split(/\s+/).filter((s) => s !== '');
  if (parts.length === 6 || parts.length === 4) {
    const n = parts.length / 2;
    if (parts.every((p) => /^[+-]?[\d.]+$/.test(p))) {
      parts = [parts.slice(0, n).join(':'), parts.slice(n).join(':')];
    }
  }
  if (parts.length !== 2) throw bad(text, 'expected two angles (longitude and latitude)');
  const lon = parseAngle(parts[0]!);
  const lat = parseAngle(parts[1]!);
  if (!lon) throw bad(text, `longitude "${parts[0]}" is not an angle`);
  if (!lat) throw bad(text, `latitude "${parts[1]}" is not an angle`);
  if (lat.unit === 'hours') throw bad(text, 'latitude cannot be in hours');
  const lonHours = lon.unit === 'hours' || (lon.unit === 'default' && lon.sexagesimal && frame !== 'galactic');
  const lonDeg = lonHours ? lon.value * 15 : lon.value;
  if (lonHours ? lon.value < 0 || lon.value >= 24 : lonDeg < -360 || lonDeg > 360) throw bad(text, 'longitude out of range');
  if (Math.abs(lat.value) > 90) throw bad(text, 'latitude out of range [-90, 90]');
  return { lon: normLon(lonDeg), lat: lat.value, frame };
}
