/** Sky/image ellipse geometry: analytic cases, inverses, and frame changes (astropy cases are in readers/sextractor.test.ts). */
import { describe, expect, it } from 'vitest';
import { parseWcs } from '../wcs';
import { offsetByPa, paInFrame, paToThetaDeg, positionAngleDeg, thetaToPaDeg, arcsecPerPixel } from './skyGeometry';

const cd = (rotDeg: number) => {
  const r = (rotDeg * Math.PI) / 180, s = 2 / 3600;
  return parseWcs({ NAXIS: 2, NAXIS1: 128, NAXIS2: 128, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CRVAL1: 150, CRVAL2: -30, CRPIX1: 64.5, CRPIX2: 64.5,
    CD1_1: -s * Math.cos(r), CD1_2: s * Math.sin(r), CD2_1: s * Math.sin(r), CD2_2: s * Math.cos(r) });
};

describe('sky geometry', () => {
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
