/** Behaviour not covered by the astropy golden file: errors, parsing variants, metadata. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { HeaderCards } from '../../shared/contract/images';
import { type FitsPixel, type Pixel0, fitsToPixel0, pixel0ToFits } from '../../shared/domain/coords';
import { angularSeparationDeg, convertFrame, formatSexagesimal, parseSkyCoordinate, parseWcs } from './index';

const SIN: HeaderCards = {
  NAXIS: 4, CTYPE1: 'RA---NCP', CTYPE2: 'DEC--NCP', CTYPE3: 'FREQ', CTYPE4: 'STOKES', CRPIX1: 101, CRPIX2: 101,
  CRVAL1: 202.78, CRVAL2: 30.5, CDELT1: -0.001, CDELT2: 0.001, EPOCH: 2000,
};

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return e instanceof AppError ? e.code : 'not-an-AppError'; }
  return undefined;
}

describe('parseWcs', () => {
  it('describes the header and its frame; EPOCH alone is the equinox', () => {
    const wcs = parseWcs(SIN);
    expect(wcs.describe()).toBe('RA---NCP/DEC--NCP, FK5 J2000');
    expect(wcs.projection).toBe('SIN');
    expect([wcs.lonAxis, wcs.latAxis]).toEqual([1, 2]);
    expect(parseWcs({ ...SIN, EPOCH: 1950 }).describe()).toBe('RA---NCP/DEC--NCP, FK4 B1950');
    expect(parseWcs({ ...SIN, EPOCH: undefined as never }).frame).toBe('icrs');
  });

  it('pixel scale and north angle follow CROTA2', () => {
    const wcs = parseWcs({ ...SIN, CROTA2: 30 });
    expect(wcs.pixelScaleDeg.x).toBeCloseTo(0.001, 12);
    expect(wcs.pixelScaleDeg.y).toBeCloseTo(0.001, 12);
    expect(wcs.northAngleDeg).toBeCloseTo(-30, 9);
    // numerically: AIPS CROTA2 = 30 turns +y to 30 deg west of north
    const a = wcs.pixelToWorld({ x: 100, y: 100 })!;
    const b = wcs.pixelToWorld({ x: 100, y: 100.01 })!;
    const r = Math.PI / 180;
    const pa = Math.atan2(Math.sin((b.lon - a.lon) * r) * Math.cos(b.lat * r),
      Math.cos(a.lat * r) * Math.sin(b.lat * r) - Math.sin(a.lat * r) * Math.cos(b.lat * r) * Math.cos((b.lon - a.lon) * r));
    expect(pa / r).toBeCloseTo(-30, 4);
  });

  it('rejects headers without a celestial pair and unknown projections with their codes', () => {
    expect(codeOf(() => parseWcs({ CTYPE1: 'FREQ', CTYPE2: 'STOKES' }))).toBe('wcs.noCelestialAxes');
    expect(codeOf(() => parseWcs({ CTYPE1: 'RA---SIN' }))).toBe('wcs.noCelestialAxes');
    expect(codeOf(() => parseWcs({ ...SIN, CTYPE1: 'RA---HPX', CTYPE2: 'DEC--HPX' }))).toBe('wcs.unsupportedProjection');
    expect(codeOf(() => parseWcs({ ...SIN, CDELT1: 0 }))).toBe('wcs.unsupportedProjection');
  });

  it('worldToPixel converts other frames first', () => {
    const wcs = parseWcs(SIN);
    const p = { x: 80.25, y: 120.5 };
    const gal = convertFrame(wcs.pixelToWorld(p)!, 'galactic');
    const back = wcs.worldToPixel(gal)!;
    expect(Math.hypot(back.x - p.x, back.y - p.y)).toBeLessThan(1e-6);
  });

  it('returns null, not garbage, for non-finite input and the far side of SIN', () => {
    const wcs = parseWcs(SIN);
    expect(wcs.pixelToWorld({ x: NaN, y: 0 })).toBeNull();
    expect(wcs.worldToPixel({ lon: 22.78, lat: -30.5, frame: 'fk5' })).toBeNull();
  });
});

describe('coordinate types', () => {
  it('converts between 0-based and FITS pixels', () => {
    expect(fitsToPixel0({ x: 1, y: 1 })).toEqual({ x: 0, y: 0 });
    expect(pixel0ToFits({ x: 9.5, y: 0 })).toEqual({ x: 10.5, y: 1 });
    const fits: FitsPixel = { x: 1, y: 2 };
    // @ts-expect-error a FitsPixel is not a Pixel0 (compile-time check, run by tsc)
    const wrong: Pixel0 = fits;
    expect(wrong).toBe(fits);
  });
});

describe('sexagesimal', () => {
  it('parses the usual notations to the same position', () => {
    const ref = parseSkyCoordinate('12:34:56.78 -45:06:07.8');
    for (const t of ['12h34m56.78s -45d06m07.8s', '12 34 56.78 -45 06 07.8', '12h 34m 56.78s, -45° 06′ 07.8″', "12h34m56.78s -45d06'07.8\""]) {
      expect(angularSeparationDeg(parseSkyCoordinate(t), ref), t).toBeLessThan(1e-12);
    }
    expect(parseSkyCoordinate('188.7365 -45.1')).toEqual({ lon: 188.7365, lat: -45.1, frame: 'icrs' });
    expect(parseSkyCoordinate('188.7d 45.1d', 'fk5')).toEqual({ lon: 188.7, lat: 45.1, frame: 'fk5' });
    // galactic: sexagesimal longitude is degrees, not hours
    expect(parseSkyCoordinate('120:30:00 -1:30:00', 'galactic')).toEqual({ lon: 120.5, lat: -1.5, frame: 'galactic' });
  });

  it('rejects malformed or out-of-range input with wcs.badCoordinate', () => {
    for (const t of ['', '12:34:56', 'abc def', '25:00:00 10:00:00', '12:60:00 10', '10 95', '1 2 3', '12:34:56 12h00m']) {
      expect(codeOf(() => parseSkyCoordinate(t)), t).toBe('wcs.badCoordinate');
    }
  });

  it('carries rounding into minutes and hours; galactic stays decimal', () => {
    expect(formatSexagesimal({ lon: 15 * (1 + 59 / 60 + 59.9999 / 3600), lat: 10.99999999, frame: 'fk5' })).toEqual({ lon: '02:00:00.00', lat: '+11:00:00.0' });
    expect(formatSexagesimal({ lon: 188.73659, lat: -45.10216667, frame: 'icrs' }, { precision: 3 })).toEqual({ lon: '12:34:56.782', lat: '-45:06:07.80' });
    expect(formatSexagesimal({ lon: 360 - 1e-9, lat: -1.5, frame: 'galactic' })).toEqual({ lon: '0.000000', lat: '-1.500000' });
  });
});

describe('convertFrame', () => {
  it('round-trips FK4 at a non-default equinox (E-terms and Newcomb precession are inverted exactly)', () => {
    const w = { lon: 123.4, lat: -56.7, frame: 'fk4' as const };
    const back = convertFrame(convertFrame(w, 'fk5'), 'fk4', { equinox: 1975 });
    const again = convertFrame(back, 'fk4', { fromEquinox: 1975 });
    expect(angularSeparationDeg(again, w)).toBeLessThan(1e-10);
  });
  it('the Galactic centre is where IAU says (ICRS 266.405, -28.936)', () => {
    const gc = convertFrame({ lon: 0, lat: 0, frame: 'galactic' }, 'icrs');
    expect(angularSeparationDeg(gc, { lon: 266.40499, lat: -28.93617, frame: 'icrs' })).toBeLessThan(2e-5);
  });
});
