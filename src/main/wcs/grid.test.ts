import { describe, expect, it } from 'vitest';
import type { HeaderCards } from '../../shared/contract/images';
import type { SkyFrame } from '../../shared/domain/coords';
import { computeGrid, lonCoverage } from './grid';
import { decStepsDeg, degStepsDeg, gridLabel, raStepsDeg } from './gridSteps';
import { convertFrame, parseWcs } from './index';

function header(proj: string, crval: [number, number], cdelt: number, extra: HeaderCards = {}): HeaderCards {
  return {
    NAXIS: 2, NAXIS1: 2000, NAXIS2: 2000, CTYPE1: `RA---${proj}`, CTYPE2: `DEC--${proj}`,
    CRPIX1: 1000.5, CRPIX2: 1000.5, CRVAL1: crval[0], CRVAL2: crval[1], CDELT1: -cdelt, CDELT2: cdelt,
    RADESYS: 'FK5', EQUINOX: 2000, ...extra,
  };
}
const VIEW = { x0: 0, y0: 0, x1: 1999, y1: 1999 };

/** Every point of every line lies on its line (lat or lon equal to the value) in the grid frame. */
function expectLinesTrue(cards: HeaderCards, frame: SkyFrame): ReturnType<typeof computeGrid> {
  const wcs = parseWcs(cards);
  const grid = computeGrid(wcs, VIEW, frame);
  expect(grid.lines.length).toBeGreaterThan(4);
  for (const line of grid.lines) {
    for (const seg of line.points) {
      for (const p of seg) {
        const w = convertFrame(wcs.pixelToWorld(p)!, frame);
        if (line.axis === 'lat') expect(Math.abs(w.lat - line.valueDeg)).toBeLessThan(1e-7);
        else if (Math.abs(w.lat) < 89.9999) {
          const d = Math.abs(((w.lon - line.valueDeg + 540) % 360) - 180);
          expect(d).toBeLessThan(1e-6);
        }
      }
    }
  }
  return grid;
}

describe('computeGrid', () => {
  it('lines of constant RA/Dec really are, with nice sexagesimal spacing (SIN field)', () => {
    const grid = expectLinesTrue(header('SIN', [150, -30], 0.001), 'fk5');
    expect(raStepsDeg).toContain(grid.lonStepDeg);
    expect(decStepsDeg).toContain(grid.latStepDeg);
    const lons = grid.lines.filter((l) => l.axis === 'lon');
    const lats = grid.lines.filter((l) => l.axis === 'lat');
    expect(lons.length).toBeGreaterThanOrEqual(3);
    expect(lons.length).toBeLessThanOrEqual(14);
    expect(lats.length).toBeGreaterThanOrEqual(3);
    expect(lats.length).toBeLessThanOrEqual(14);
    for (const l of lons) expect(Math.abs(l.valueDeg / grid.lonStepDeg - Math.round(l.valueDeg / grid.lonStepDeg))).toBeLessThan(1e-6);
    for (const l of lats) expect(Math.abs(l.valueDeg / grid.latStepDeg - Math.round(l.valueDeg / grid.latStepDeg))).toBeLessThan(1e-6);
    // 2 deg field, 6 lines: 2' in Dec, 1m of time (15') in RA at dec -30 (2.3 deg of RA visible)
    expect(grid.latStepDeg * 60).toBe(30 / 60 * 60 / 1); // 30'
  });

  it('galactic grid over an equatorial image uses decimal degrees', () => {
    const grid = expectLinesTrue(header('TAN', [266.4, -28.9], 0.002), 'galactic');
    expect(degStepsDeg).toContain(grid.lonStepDeg);
    expect(grid.lines.find((l) => l.axis === 'lat')!.label).toMatch(/^-?\d+(\.\d+)?°$/);
  });

  it('crosses RA = 0/360 without a gap', () => {
    const grid = expectLinesTrue(header('SIN', [0.2, 10], 0.0005), 'fk5');
    const values = grid.lines.filter((l) => l.axis === 'lon').map((l) => l.valueDeg);
    expect(values).toContain(0);
    expect(values.some((v) => v > 359)).toBe(true);
    expect(values.some((v) => v > 0 && v < 1)).toBe(true);
  });

  it('pole inside the view: meridians all round, parallels as closed-ish circles', () => {
    const grid = expectLinesTrue(header('SIN', [0, 90], 0.005), 'fk5');
    expect(grid.pole).toBe('north');
    const meridians = grid.lines.filter((l) => l.axis === 'lon');
    expect(meridians.length).toBe(Math.round(360 / grid.lonStepDeg));
    // each parallel goes all the way round the pole: its first and last points are close
    const parallel = grid.lines.filter((l) => l.axis === 'lat').sort((a, b) => b.valueDeg - a.valueDeg)[0]!;
    expect(parallel.points).toHaveLength(1);
    const seg = parallel.points[0]!;
    const first = seg[0]!;
    const last = seg[seg.length - 1]!;
    expect(Math.hypot(first.x - last.x, first.y - last.y)).toBeLessThan(50);
  });

  it('all-sky AIT: lines split where they leave the domain, never jump across it', () => {
    const wcs = parseWcs({ ...header('AIT', [0, 0], 0.2), CTYPE1: 'GLON-AIT', CTYPE2: 'GLAT-AIT', RADESYS: undefined as never });
    const grid = computeGrid(wcs, { x0: -200, y0: -200, x1: 2200, y1: 2200 }, 'galactic');
    for (const line of grid.lines) {
      for (const seg of line.points) {
        for (let i = 1; i < seg.length; i++) expect(Math.hypot(seg[i]!.x - seg[i - 1]!.x, seg[i]!.y - seg[i - 1]!.y)).toBeLessThan(1000);
      }
    }
  });

  it('is fast enough to run on every pan', () => {
    const wcs = parseWcs(header('SIN', [150, -30], 0.001));
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) computeGrid(wcs, { x0: i, y0: 0, x1: 1999 + i, y1: 1999 }, 'galactic');
    const ms = (performance.now() - t0) / 20;
    expect(ms).toBeLessThan(20);
  });

  it('labels: sexagesimal by step', () => {
    expect(gridLabel('lon', 150, 15, 'fk5')).toBe('10h');
    expect(gridLabel('lon', 150.25, 0.25, 'fk5')).toBe('10h01m');
    expect(gridLabel('lon', 150 + 5 / 240, 5 / 240, 'fk5')).toBe('10h00m05s');
    expect(gridLabel('lat', -30.5, 0.5, 'fk5')).toBe('-30°30′');
    expect(gridLabel('lat', 45, 5, 'fk5')).toBe('+45°');
    expect(gridLabel('lat', -(10 + 30 / 3600), 10 / 3600, 'fk5')).toBe('-10°00′30″');
  });

  it('lonCoverage finds the arc across 0', () => {
    expect(lonCoverage([359, 0.5, 1, 358.5])).toEqual({ start: 358.5, span: 2.5 });
  });
});
