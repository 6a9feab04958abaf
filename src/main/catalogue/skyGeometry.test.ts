/** Sky/image ellipse geometry: analytic cases, inverses, and frame changes (astropy cases are in readers/sextractor.test.ts). */
import { describe, expect, it } from 'vitest';
import { parseWcs } from '../wcs';
import { offsetByPa, paInFrame, paToThetaDeg, positionAngleDeg, thetaToPaDeg, arcsecPerPixel, pixelToSky, LocalSky } from './skyGeometry';

const cd = (rotDeg: number) => {
  const r = (rotDeg * Math.PI) / 180, s = 2 / 3600;
  return parseWcs({ NAXIS: 2, NAXIS1: 128, NAXIS2: 128, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CRVAL1: 150, CRVAL2: -30, CRPIX1: 64.5, CRPIX2: 64.5,
    CD1_1: -s * Math.cos(r), CD1_2: s * Math.sin(r), CD2_1: s * Math.sin(r), CD2_2: s * Math.cos(r) });
};

describe('sky geometry', () => {
  it('LocalSky (one Jacobian per point) gives the scales and PAs of the per-direction measurements, far from the reference point and near the pole', () => {
    const polar = parseWcs({ NAXIS: 2, NAXIS1: 4000, NAXIS2: 4000, CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 10, CRVAL2: 89.5, CRPIX1: 2000, CRPIX2: 2000, CDELT1: -4 / 3600, CDELT2: 4 / 3600 });
    for (const [wcs, points] of [[cd(30), [{ x: 64, y: 64 }, { x: 3, y: 120 }]], [polar, [{ x: 10, y: 3990 }, { x: 3900, y: 50 }, { x: 2000, y: 2400 }]]] as const) {
      const g = { wcs };
      const sky = new LocalSky(wcs);
      for (const p of points) {
        expect(sky.at(p.x, p.y)).toBe(true);
        const w = pixelToSky(g, p)!;
        const gal = pixelToSky(g, p, 'galactic')!;
        expect([sky.lon, sky.lat, sky.glon, sky.glat]).toEqual([w.lon, w.lat, gal.lon, gal.lat]);
        for (const theta of [0, 17, 90, 133, 179]) {
          expect(Math.abs(sky.scaleArcsec(theta) / arcsecPerPixel(g, p, theta)! - 1)).toBeLessThan(1e-7);
          const d = Math.abs(sky.paDeg(theta) - thetaToPaDeg(g, p, theta)!);
          expect(Math.min(d, 180 - d)).toBeLessThan(1e-5);
        }
      }
    }
    const none = new LocalSky(undefined);
    expect(none.at(1, 1)).toBe(false);
    expect([none.lon, none.scaleArcsec(0), none.paDeg(0)].every(Number.isNaN)).toBe(true);
  });

  it('position angle: north 0, east 90, and offsetByPa inverts it', () => {
    expect(positionAngleDeg(10, 0, 10, 1)).toBeCloseTo(0, 12);
    expect(positionAngleDeg(10, 0, 11, 0)).toBeCloseTo(90, 12);
    expect(positionAngleDeg(10, 0, 9, 0)).toBeCloseTo(-90, 12);
    for (const pa of [0, 33, 120, -75]) {
      const [lon, lat] = offsetByPa(150, -30, pa, 0.01);
      expect(positionAngleDeg(150, -30, lon, lat)).toBeCloseTo(pa, 6);
    }
  });

  it('north-up east-left image: +y is PA 0, −x is PA 90; a rotation adds to every PA', () => {
    const g0 = { wcs: cd(0) }, g30 = { wcs: cd(30) };
    const p = { x: 64, y: 64 };
    expect(thetaToPaDeg(g0, p, 90)).toBeCloseTo(0, 3);
    expect(thetaToPaDeg(g0, p, 0)).toBeCloseTo(90, 3); // +x is west: axis PA 90 ≡ 270
    expect(thetaToPaDeg(g30, p, 90)).toBeCloseTo(30, 3);
    expect(arcsecPerPixel(g30, p, 37)).toBeCloseTo(2, 4);
  });

  it('paToThetaDeg inverts thetaToPaDeg in every frame', () => {
    const g = { wcs: cd(30) };
    const p = { x: 20, y: 100 };
    for (const frame of [undefined, 'fk5', 'icrs', 'galactic'] as const) {
      for (const theta of [0, 20, 95, 170]) {
        const pa = thetaToPaDeg(g, p, theta, frame)!;
        const back = paToThetaDeg(g, p, pa, frame)!;
        expect(Math.min(Math.abs(back - theta), 180 - Math.abs(back - theta))).toBeLessThan(1e-4);
      }
    }
  });

  it('Galactic PA differs from equatorial by the pole angle and converts back', () => {
    const w = { lon: 150, lat: -30, frame: 'fk5' as const };
    const gal = paInFrame(w, 40, 'galactic');
    expect(Math.abs(gal - 40)).toBeGreaterThan(1);
    const [lon, lat] = offsetByPa(150, -30, 40, 1 / 3600);
    expect(lon).toBeGreaterThan(150);
    expect(lat).toBeGreaterThan(-30);
  });

  it('without a WCS, a pixel scale means north-up east-left; with neither, nothing is invented', () => {
    expect(thetaToPaDeg({ pixelScaleArcsec: 2 }, { x: 0, y: 0 }, 20)).toBeCloseTo(110, 12);
    expect(paToThetaDeg({ pixelScaleArcsec: 2 }, { x: 0, y: 0 }, 110)).toBeCloseTo(20, 12);
    expect(thetaToPaDeg({}, { x: 0, y: 0 }, 20)).toBeUndefined();
  });
});
