/**
 * Coordinate grid for the viewer: lines of constant longitude and latitude in any sky frame, as pixel
 * polylines over the visible rectangle. Pure and cheap (a few thousand worldToPixel calls), so the
 * renderer can recompute it on every pan. Handles RA = 0/360 and a pole inside the view.
 */
import type { Pixel0, SkyFrame, World } from '../../shared/domain/coords';
import { normLon } from './angles';
import { convertFrame } from './frames';
import { gridLabel, latSteps, lonSteps, niceStep } from './gridSteps';
import type { Wcs } from './wcs';

export interface GridView { x0: number; y0: number; x1: number; y1: number }

export interface GridLine {
  axis: 'lon' | 'lat';
  valueDeg: number;
  label: string;
  /** Polyline segments in Pixel0 (a line is split where it leaves the view or the projection's domain). */
  points: Pixel0[][];
}

export interface Grid {
  lines: GridLine[];
  lonStepDeg: number;
  latStepDeg: number;
  /** A pole of the grid frame inside the view. */
  pole: 'north' | 'south' | null;
}

export interface GridOptions {
  /** About this many lines per axis (default 6). */
  targetLines?: number;
  /** Samples along each line (default 120). */
  samplesPerLine?: number;
}

const SCAN = 12;

export function computeGrid(wcs: Wcs, view: GridView, frame: SkyFrame, opts: GridOptions = {}): Grid {
  const target = Math.max(1, opts.targetLines ?? 6);
  const samples = Math.max(8, opts.samplesPerLine ?? 120);
  const x0 = Math.min(view.x0, view.x1);
  const x1 = Math.max(view.x0, view.x1);
  const y0 = Math.min(view.y0, view.y1);
  const y1 = Math.max(view.y0, view.y1);
  const toFrame = (w: World): World => (w.frame === frame ? w : convertFrame(w, frame, wcs.equinox !== undefined ? { fromEquinox: wcs.equinox } : {}));
  const fromFrame: WorldToPixel = (lon, lat) => wcs.worldToPixel(toNative(wcs, { lon, lat, frame }));

  // 1. What part of the sky is visible: scan the view.
  const lons: number[] = [];
  let latMin = Infinity;
  let latMax = -Infinity;
  for (let i = 0; i <= SCAN; i++) {
    for (let j = 0; j <= SCAN; j++) {
      const w = wcs.pixelToWorld({ x: x0 + ((x1 - x0) * i) / SCAN, y: y0 + ((y1 - y0) * j) / SCAN });
      if (!w) continue;
      const f = toFrame(w);
      lons.push(normLon(f.lon));
      latMin = Math.min(latMin, f.lat);
      latMax = Math.max(latMax, f.lat);
    }
  }
  if (lons.length === 0) return { lines: [], lonStepDeg: 0, latStepDeg: 0, pole: null };
  const inView = (p: Pixel0 | null): boolean => p !== null && p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
  const pole = inView(fromFrame(0, 90)) ? 'north' : inView(fromFrame(0, -90)) ? 'south' : null;
  if (pole === 'north') latMax = 90;
  if (pole === 'south') latMin = -90;
  let { start: lonStart, span: lonSpan } = lonCoverage(lons);
  if (pole !== null || lonSpan > 300) { lonStart = 0; lonSpan = 360; }
  // The scan is coarse: widen by a cell so lines reach the view edges.
  const latPad = (latMax - latMin) / SCAN;
  latMin = Math.max(-90, latMin - latPad);
  latMax = Math.min(90, latMax + latPad);
  if (lonSpan < 360) {
    const pad = Math.min(lonSpan / SCAN, (360 - lonSpan) / 2);
    lonStart -= pad;
    lonSpan += 2 * pad;
  }

  // 2. Spacing.
  const lonStep = niceStep(lonSteps(frame), lonSpan / target);
  const latStep = niceStep(latSteps(frame), Math.max(latMax - latMin, 1e-9) / target);

  // 3. Lines, sampled in world coordinates and projected.
  const margin = 0.02 * Math.max(x1 - x0, y1 - y0);
  const box = { x0: x0 - margin, y0: y0 - margin, x1: x1 + margin, y1: y1 + margin };
  const diag = Math.hypot(x1 - x0, y1 - y0);
  const lines: GridLine[] = [];
  const kFirst = Math.ceil(lonStart / lonStep - 1e-9);
  const kLast = lonSpan >= 360 ? kFirst + Math.round(360 / lonStep) - 1 : Math.floor((lonStart + lonSpan) / lonStep + 1e-9);
  for (let k = kFirst; k <= kLast; k++) {
    const lon = normLon(k * lonStep);
    const pts = sample(samples, (t) => fromFrame(lon, latMin + (latMax - latMin) * t));
    const segs = segments(pts, box, jumpLimit(pts, diag));
    if (segs.length) lines.push({ axis: 'lon', valueDeg: lon, label: gridLabel('lon', lon, lonStep, frame), points: segs });
  }
  for (let k = Math.ceil(latMin / latStep - 1e-9); k * latStep <= latMax + 1e-9; k++) {
    const lat = k * latStep;
    if (Math.abs(lat) >= 90) continue;
    const pts = sample(samples, (t) => fromFrame(lonStart + lonSpan * t, lat));
    const segs = segments(pts, box, jumpLimit(pts, diag));
    if (segs.length) lines.push({ axis: 'lat', valueDeg: lat, label: gridLabel('lat', lat, latStep, frame), points: segs });
  }
  return { lines, lonStepDeg: lonStep, latStepDeg: latStep, pole };
}

type WorldToPixel = (lon: number, lat: number) => Pixel0 | null;

function toNative(wcs: Wcs, w: World): World {
  // worldToPixel converts frames itself; kept separate so the FK5/FK4 equinox of the image is honoured.
  return w.frame === wcs.frame ? w : convertFrame(w, wcs.frame, wcs.equinox !== undefined ? { equinox: wcs.equinox } : {});
}

/** Smallest circular arc [start, start + span] holding every longitude: the complement of the largest gap. */
export function lonCoverage(lons: number[]): { start: number; span: number } {
  const s = [...lons].sort((a, b) => a - b);
  let gap = s[0]! + 360 - s[s.length - 1]!;
  let start = s[0]!;
  for (let i = 1; i < s.length; i++) {
    const g = s[i]! - s[i - 1]!;
    if (g > gap) { gap = g; start = s[i]!; }
  }
  return { start, span: 360 - gap };
}

/** A step much longer than the typical one is a wrap-around (e.g. lon 180 in CAR/AIT), not a line. */
function jumpLimit(pts: (Pixel0 | null)[], diag: number): number {
  const steps: number[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (a && b) steps.push(Math.hypot(a.x - b.x, a.y - b.y));
  }
  if (steps.length === 0) return Infinity;
  steps.sort((a, b) => a - b);
  return Math.max(10 * steps[steps.length >> 1]!, 0.02 * diag);
}

function sample(n: number, at: (t: number) => Pixel0 | null): (Pixel0 | null)[] {
  const out: (Pixel0 | null)[] = [];
  for (let i = 0; i <= n; i++) out.push(at(i / n));
  return out;
}

/**
 * Split a sampled polyline into the runs that are inside `box`, each extended by one outside point so
 * it reaches the view edge; breaks at domain gaps (null) and at wrap-around jumps.
 */
function segments(pts: (Pixel0 | null)[], box: GridView, jump: number): Pixel0[][] {
  const inside = (p: Pixel0): boolean => p.x >= box.x0 && p.x <= box.x1 && p.y >= box.y0 && p.y <= box.y1;
  const out: Pixel0[][] = [];
  let cur: Pixel0[] = [];
  const flush = (): void => {
    if (cur.length >= 2) out.push(cur);
    cur = [];
  };
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] ?? null;
    const prev = i > 0 ? pts[i - 1] ?? null : null;
    if (p === null || (prev !== null && Math.hypot(p.x - prev.x, p.y - prev.y) > jump)) {
      flush();
      if (p === null) continue;
    }
    const next = pts[i + 1] ?? null;
    const connected = (q: Pixel0 | null): q is Pixel0 => q !== null && Math.hypot(q.x - p.x, q.y - p.y) <= jump;
    if (inside(p) || (connected(prev) && inside(prev)) || (connected(next) && inside(next))) {
      cur.push(p);
    } else {
      flush();
    }
  }
  flush();
  return out;
}
