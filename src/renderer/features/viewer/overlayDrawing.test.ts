import { describe, expect, it } from 'vitest';
import type { Beam, HeaderCards } from '../../../shared/contract/images';
import { parseWcs } from '../../../main/wcs';
import { beamOutline } from './overlayDrawing';

// 1″ pixels, RA increasing to the left (CDELT1 < 0) as in every radio image; Dec -30.
const cards: HeaderCards = {
  NAXIS: 2,
  NAXIS1: 200,
  NAXIS2: 200,
  CTYPE1: 'RA---SIN',
  CTYPE2: 'DEC--SIN',
  CRPIX1: 101,
  CRPIX2: 101,
  CRVAL1: 180,
  CRVAL2: -30,
  CDELT1: -1 / 3600,
  CDELT2: 1 / 3600,
  RADESYS: 'FK5',
  EQUINOX: 2000,
};
const centre = { x: 100, y: 100 };
const beam = (bpaDeg: number): Beam => ({ bmajDeg: 10 / 3600, bminDeg: 4 / 3600, bpaDeg, source: 'BMAJ' });

/** The outline point farthest from the centre: the end of the major axis, in pixel offsets. */
function majorAxisEnd(bpaDeg: number): { dx: number; dy: number; r: number; rMin: number } {
  const pts = beamOutline(parseWcs(cards), beam(bpaDeg), centre)!.map((p) => ({ dx: p.x - centre.x, dy: p.y - centre.y }));
  const radii = pts.map((p) => Math.hypot(p.dx, p.dy));
  const i = radii.indexOf(Math.max(...radii));
  return { ...pts[i]!, r: radii[i]!, rMin: Math.min(...radii) };
}

describe('beam outline (PA east of north, through the WCS)', () => {
  it('has FWHM semi-axes in pixels (5″ and 2″ at 1″/px)', () => {
    const e = majorAxisEnd(0);
    expect(e.r).toBeCloseTo(5, 3);
    expect(e.rMin).toBeCloseTo(2, 2);
  });
  it('PA 0: major axis along north = +y', () => {
    const e = majorAxisEnd(0);
    expect(Math.abs(e.dx)).toBeLessThan(1e-3);
    expect(Math.abs(e.dy)).toBeCloseTo(5, 3);
  });
  it('PA 90: major axis along east = −x when RA increases to the left', () => {
    const e = majorAxisEnd(90);
    expect(Math.abs(e.dy)).toBeLessThan(1e-3);
    expect(Math.abs(e.dx)).toBeCloseTo(5, 3);
  });
  it('PA 45: major axis towards north-east = up and to the left (dx, dy of opposite signs)', () => {
    const e = majorAxisEnd(45);
    expect(Math.sign(e.dx)).toBe(-Math.sign(e.dy));
    expect(Math.abs(e.dx)).toBeCloseTo(5 / Math.SQRT2, 2);
  });
});
