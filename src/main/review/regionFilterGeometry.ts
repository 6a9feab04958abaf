/**
 * Regions as Pixel0 shapes and point-in-shape tests. DS9 image coordinates are 1-based (Pixel0 = DS9 − 1).
 * Sky regions are mapped the way astropy `regions` does (`SkyRegion.to_pixel`), so its `contains()` is
 * a reference: centre and polygon vertices through the WCS; lengths through the local pixel scale and
 * angles rotated by the local north angle, both measured with a 1″ step north of the centre in the
 * region's own frame (pixel angle = sky angle + north angle − 90°).
 */
import { AppError } from '../../shared/contract/errors';
import type { DrawnShape } from '../../shared/contract/session';
import type { SkyFrame } from '../../shared/domain/coords';
import { parseFailed } from '../catalogue/parseUtil';
import { parseSkyCoordinate, type Wcs } from '../wcs';
import type { ParsedRegion } from './regionFilterParse';

export type PixelShape =
  | { kind: 'polygon'; xs: Float64Array; ys: Float64Array; exclude: boolean }
  /** Semi-axes a (along angleDeg), b; angle CCW from +x. */
  | { kind: 'ellipse'; x: number; y: number; a: number; b: number; angleDeg: number; exclude: boolean }
  /** Full width (along angleDeg) and height. */
  | { kind: 'box'; x: number; y: number; width: number; height: number; angleDeg: number; exclude: boolean };

const D2R = Math.PI / 180;

export function drawnToPixelShape(s: DrawnShape): PixelShape {
  const exclude = s.exclude ?? false;
  switch (s.kind) {
    case 'circle': return { kind: 'ellipse', x: s.x, y: s.y, a: s.radius, b: s.radius, angleDeg: 0, exclude };
    case 'box': return { kind: 'box', x: s.x, y: s.y, width: s.width, height: s.height, angleDeg: s.angleDeg ?? 0, exclude };
    case 'polygon': return polygon(s.points.map((p) => p[0]), s.points.map((p) => p[1]), exclude);
  }
}

function polygon(xs: number[], ys: number[], exclude: boolean): PixelShape {
  return { kind: 'polygon', xs: Float64Array.from(xs), ys: Float64Array.from(ys), exclude };
}

interface Local {
  x: number;
  y: number;
  /** Pixels per arcsec at the centre (sky regions), null for image regions without a WCS. */
  pxPerArcsec: number | null;
  /** Extra rotation of sky angles into pixel angles (deg). */
  rotationDeg: number;
}

/** One parsed DS9 region as a Pixel0 shape. Sky regions need `wcs` (else `validation`). */
export function regionToPixelShape(r: ParsedRegion, wcs: Wcs | null, path: string): PixelShape {
  const where = { line: r.line };
  const sky = r.frame !== 'image';
  if (sky && !wcs) {
    throw new AppError('validation', `${path} (line ${r.line}): a ${r.frame} region needs the catalogue's image WCS, and the catalogue has no readable image`, { file: path, line: r.line });
  }
  const num = (k: number): number => {
    const v = Number(r.args[k]);
    if (r.args[k] === undefined || !Number.isFinite(v)) throw parseFailed(path, `bad ${r.kind} argument ${k + 1} '${r.args[k] ?? ''}'`, { ...where, column: k + 1 });
    return v;
  };
  const position = (k: number): { x: number; y: number } => {
    if (!sky) return { x: num(k) - 1, y: num(k + 1) - 1 };
    const w = skyPosition(r.args[k], r.args[k + 1], r.frame as SkyFrame, path, r.line);
    const p = wcs!.worldToPixel(w);
    if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) throw parseFailed(path, `position ${r.args[k]} ${r.args[k + 1]} is outside the image projection`, where);
    return p;
  };
  const local = (k: number): Local => {
    const c = position(k);
    if (!wcs) return { ...c, pxPerArcsec: null, rotationDeg: 0 };
    const frame: SkyFrame = sky ? (r.frame as SkyFrame) : wcs.frame;
    const w = sky ? skyPosition(r.args[k], r.args[k + 1], frame, path, r.line) : wcs.pixelToWorld(c);
    if (!w) return { ...c, pxPerArcsec: null, rotationDeg: 0 };
    const step = 1 / 3600;
    const north = w.lat + step <= 90 ? { ...w, frame, lat: w.lat + step } : null;
    const p1 = north ? wcs.worldToPixel(north) : null;
    if (!p1) return { ...c, pxPerArcsec: null, rotationDeg: 0 };
    const dx = p1.x - c.x, dy = p1.y - c.y;
    return { ...c, pxPerArcsec: Math.hypot(dx, dy), rotationDeg: sky ? Math.atan2(dy, dx) / D2R - 90 : 0 };
  };
  const length = (k: number, l: Local): number => {
    const s = r.args[k] ?? '';
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(["'dpir]?)$/.exec(s);
    if (!m) throw parseFailed(path, `bad length '${s}'`, { ...where, column: k + 1 });
    const v = Number(m[1]);
    const unit = m[2] || (sky ? 'd' : 'p');
    if (unit === 'p' || unit === 'i') return v;
    const arcsec = unit === '"' ? v : unit === "'" ? v * 60 : unit === 'd' ? v * 3600 : (v / D2R) * 3600;
    if (l.pxPerArcsec === null) throw parseFailed(path, `length '${s}' in sky units needs the image WCS`, { ...where, column: k + 1 });
    return arcsec * l.pxPerArcsec;
  };
  const exclude = r.exclude;
  switch (r.kind) {
    case 'circle': {
      const l = local(0);
      const rad = length(2, l);
      return { kind: 'ellipse', x: l.x, y: l.y, a: rad, b: rad, angleDeg: 0, exclude };
    }
    case 'ellipse': {
      const l = local(0);
      const angle = r.args.length > 4 ? num(4) : 0;
      return { kind: 'ellipse', x: l.x, y: l.y, a: length(2, l), b: length(3, l), angleDeg: angle + l.rotationDeg, exclude };
    }
    case 'box': {
      const l = local(0);
      const angle = r.args.length > 4 ? num(4) : 0;
      return { kind: 'box', x: l.x, y: l.y, width: length(2, l), height: length(3, l), angleDeg: angle + l.rotationDeg, exclude };
    }
    case 'polygon': {
      if (r.args.length < 6 || r.args.length % 2 !== 0) throw parseFailed(path, `a polygon needs at least 3 vertices (x y pairs), got ${r.args.length} numbers`, where);
      const xs: number[] = [], ys: number[] = [];
      for (let k = 0; k < r.args.length; k += 2) {
        const p = position(k);
        xs.push(p.x);
        ys.push(p.y);
      }
      return polygon(xs, ys, exclude);
    }
  }
}

function skyPosition(a: string | undefined, b: string | undefined, frame: SkyFrame, path: string, line: number): { lon: number; lat: number; frame: SkyFrame } {
  const lon = Number(a), lat = Number(b);
  if (a !== undefined && b !== undefined && Number.isFinite(lon) && Number.isFinite(lat)) return { lon, lat, frame };
  try {
    return parseSkyCoordinate(`${a ?? ''} ${b ?? ''}`, frame);
  } catch (err) {
    throw parseFailed(path, `bad sky position '${a ?? ''} ${b ?? ''}' (${err instanceof Error ? err.message : String(err)})`, { line });
  }
}

/** Whether Pixel0 (x, y) lies in the shape (boundary: inside for ellipse/box; polygon by crossing parity). */
export function shapeContains(s: PixelShape, x: number, y: number): boolean {
  if (s.kind === 'polygon') {
    const { xs, ys } = s;
    let inside = false;
    for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      const yi = ys[i]!, yj = ys[j]!;
      if (yi > y !== yj > y && x < ((xs[j]! - xs[i]!) * (y - yi)) / (yj - yi) + xs[i]!) inside = !inside;
    }
    return inside;
  }
  const c = Math.cos(s.angleDeg * D2R), sn = Math.sin(s.angleDeg * D2R);
  const dx = x - s.x, dy = y - s.y;
  const u = dx * c + dy * sn, v = -dx * sn + dy * c;
  if (s.kind === 'box') return Math.abs(u) <= s.width / 2 && Math.abs(v) <= s.height / 2;
  if (s.a <= 0 || s.b <= 0) return false;
  return (u / s.a) ** 2 + (v / s.b) ** 2 <= 1;
}

/**
 * Indices of the points inside any include shape and outside every exclude shape (DS9's rule; with no
 * include shape the whole field is included). `xs`/`ys` are Pixel0.
 */
export function selectInShapes(shapes: readonly PixelShape[], xs: ArrayLike<number>, ys: ArrayLike<number>): number[] {
  const include = shapes.filter((s) => !s.exclude);
  const exclude = shapes.filter((s) => s.exclude);
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!, y = ys[i]!;
    if (include.length > 0 && !include.some((s) => shapeContains(s, x, y))) continue;
    if (exclude.some((s) => shapeContains(s, x, y))) continue;
    out.push(i);
  }
  return out;
}
