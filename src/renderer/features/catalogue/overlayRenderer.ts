import type { IndexedOverlay } from './overlayData';
import type { LayerPaint } from './styleRules';

/** Pixel0 → viewer element (CSS px): ex = ox + sx·x, ey = oy + sy·y (sy < 0: the display flips y). OSD never rotates. */
export interface ScreenTransform {
  ox: number;
  oy: number;
  sx: number;
  sy: number;
}

/** The visible Pixel0 rectangle. */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LayerStyle {
  /** Colour of unlabelled sources (per catalogue, so several catalogues stay apart). */
  colour: string;
  visible: boolean;
}

export interface OverlayLayer {
  catalogueId: number;
  overlay: IndexedOverlay;
  style: LayerStyle;
  /** Colour and size rules resolved for this overlay (styleRules.layerPaint); absent = by label, ellipses. */
  paint?: LayerPaint;
}

export interface FrameInput {
  layers: OverlayLayer[];
  view: PixelRect;
  t: ScreenTransform;
  /** Canvas size in CSS px and the device pixel ratio. */
  width: number;
  height: number;
  dpr: number;
  imageWidth: number;
  imageHeight: number;
  selected: ReadonlySet<number>;
  hovered: number | null;
}

export interface FrameStats {
  /** Sources drawn as ellipses, as markers, as dots (dense mode). */
  ellipses: number;
  markers: number;
  dots: number;
  dense: boolean;
}

/** Colours by sourceness code (index 1..3); index 0 is the layer's own colour. */
export const LABEL_COLOURS = ['', '#4caf50', '#f44336', '#ffd600'] as const;
const SELECTED_COLOUR = '#ff40ff';
const HOVER_COLOUR = '#ffffff';
/** Below this FWHM on screen an ellipse is drawn as a marker. */
export const MIN_ELLIPSE_PX = 3;
/** Above this many sources expected in view, markers become single dots written into an ImageData. */
export const DENSE_THRESHOLD = 25_000;
const MAX_DENSE_ELLIPSES = 4_000;
const MAX_HIGHLIGHTS = 5_000;

/** Screen ellipse of one source: centre, semi-axes (CSS px) and canvas rotation (radians, clockwise on screen). */
export function screenEllipse(
  t: ScreenTransform,
  x: number,
  y: number,
  majorPx: number,
  minorPx: number,
  angleDeg: number,
): { cx: number; cy: number; rx: number; ry: number; rotation: number } {
  const a = (angleDeg * Math.PI) / 180;
  const scale = Math.abs(t.sx);
  const minor = minorPx > 0 ? minorPx : majorPx;
  // The image direction (cos a, sin a) lands on screen as (sx cos a, sy sin a): with sy < 0 a CCW image angle stays CCW on screen.
  return { cx: t.ox + t.sx * x, cy: t.oy + t.sy * y, rx: (majorPx / 2) * scale, ry: (minor / 2) * scale, rotation: Math.atan2(t.sy * Math.sin(a), t.sx * Math.cos(a)) };
}

/** Expected number of sources in view, assuming they spread over the image evenly. */
export function expectedInView(n: number, view: PixelRect, imageWidth: number, imageHeight: number): number {
  const area = Math.max(1, imageWidth * imageHeight);
  return (n * Math.max(0, view.x1 - view.x0) * Math.max(0, view.y1 - view.y0)) / area;
}

function parseHex(colour: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : [0, 229, 255];
}

/** Little-endian RGBA packed for a Uint32Array view of ImageData. */
function packRgba(colour: string): number {
  const [r, g, b] = parseHex(colour);
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Draw one frame of every visible layer; returns what was drawn (for the frame-time bench and tests). */
export function drawOverlayFrame(ctx: CanvasRenderingContext2D, f: FrameInput): FrameStats {
  const stats: FrameStats = { ellipses: 0, markers: 0, dots: 0, dense: false };
  const layers = f.layers.filter((l) => l.style.visible && l.overlay.data.n > 0);
  const expected = layers.reduce((s, l) => s + expectedInView(l.overlay.data.n, f.view, f.imageWidth, f.imageHeight), 0);
  const scale = Math.abs(f.t.sx);
  stats.dense = expected > DENSE_THRESHOLD;
  if (stats.dense) stats.dots = drawDots(ctx, layers, f);
  for (const layer of layers) {
    if (stats.dense && layer.paint?.radiusPx) continue; // sized dots already carry the size rule
    const rows = stats.dense ? bigRows(layer.overlay, scale, f.view) : layer.overlay.search(f.view.x0, f.view.y0, f.view.x1, f.view.y1);
    drawVectors(ctx, layer, rows, f, !stats.dense, stats);
  }
  drawHighlights(ctx, layers, f);
  return stats;
}

/** Colour of a paint code: the rule's palette, else label colours over the layer colour. */
function codeColour(layer: OverlayLayer, code: number): string {
  if (layer.paint?.codes) return layer.paint.palette[code] ?? layer.style.colour;
  return code === 0 ? layer.style.colour : LABEL_COLOURS[code]!;
}

/** Dense mode: one device pixel per source (up to 3×3 under a size rule), coloured by rule or label, written straight into the canvas. */
function drawDots(ctx: CanvasRenderingContext2D, layers: OverlayLayer[], f: FrameInput): number {
  const w = Math.max(1, Math.round(f.width * f.dpr));
  const h = Math.max(1, Math.round(f.height * f.dpr));
  const img = ctx.createImageData(w, h);
  const px = new Uint32Array(img.data.buffer);
  const { ox, oy, sx, sy } = f.t;
  const k = f.dpr;
  let drawn = 0;
  for (const layer of layers) {
    const codes = layer.paint?.codes ?? layer.overlay.data.labelCode;
    const colours = layer.paint?.codes ? layer.paint.palette : [layer.style.colour, ...LABEL_COLOURS.slice(1)];
    const palette = colours.map((c) => packRgba(c || layer.style.colour));
    const radii = layer.paint?.radiusPx ?? null;
    const { n, x, y } = layer.overlay.data;
    for (let i = 0; i < n; i++) {
      const ex = ((ox + sx * x[i]!) * k) | 0;
      const ey = ((oy + sy * y[i]!) * k) | 0;
      if (ex < 0 || ey < 0 || ex >= w || ey >= h) continue;
      const colour = palette[codes[i]!]!;
      if (radii) {
        const r = radii[i]!;
        const side = r >= 6 ? 3 : r >= 3 ? 2 : 1;
        for (let dy = 0; dy < side && ey + dy < h; dy++) for (let dx = 0; dx < side && ex + dx < w; dx++) px[(ey + dy) * w + ex + dx] = colour;
      } else px[ey * w + ex] = colour;
      drawn++;
    }
  }
  ctx.putImageData(img, 0, 0);
  return drawn;
}

/** Dense mode: the rows still big enough on screen to be worth an ellipse (largest first, capped). */
function bigRows(ov: IndexedOverlay, scale: number, view: PixelRect): number[] {
  const out: number[] = [];
  const { x, y, majorPx } = ov.data;
  for (const i of ov.bySizeDesc) {
    if (majorPx[i]! * scale < MIN_ELLIPSE_PX || out.length >= MAX_DENSE_ELLIPSES) break;
    const r = majorPx[i]! / 2;
    if (x[i]! + r >= view.x0 && x[i]! - r <= view.x1 && y[i]! + r >= view.y0 && y[i]! - r <= view.y1) out.push(i);
  }
  return out;
}

/** Sub-paths per stroke: one huge path strokes far slower than many small ones (Skia). */
const PATH_BATCH = 200;

/**
 * Ellipses (and markers when `markers`) batched into paths per colour × (island | component); under a
 * size rule every source is a circle of the rule's radius instead.
 */
function drawVectors(ctx: CanvasRenderingContext2D, layer: OverlayLayer, rows: number[], f: FrameInput, markers: boolean, stats: FrameStats): void {
  const d = layer.overlay.data;
  const codes = layer.paint?.codes ?? d.labelCode;
  const radii = layer.paint?.radiusPx ?? null;
  const buckets = 2 * (layer.paint?.codes ? layer.paint.palette.length : LABEL_COLOURS.length);
  const paths = Array.from({ length: buckets }, () => new Path2D());
  const used = new Uint16Array(buckets);
  const scale = Math.abs(f.t.sx);
  ctx.save();
  const flush = (b: number): void => {
    ctx.strokeStyle = codeColour(layer, b >> 1);
    ctx.lineWidth = b & 1 ? 1 : 1.5;
    ctx.setLineDash(b & 1 ? [3, 3] : []);
    ctx.stroke(paths[b]!);
    paths[b] = new Path2D();
    used[b] = 0;
  };
  for (const i of rows) {
    const bucket = codes[i]! * 2 + (d.type[i] === 2 ? 1 : 0);
    const p = paths[bucket]!;
    const major = d.majorPx[i]!;
    if (radii) {
      if (d.type[i] === 2) continue; // one circle per source, not per fitted component
      const cx = f.t.ox + f.t.sx * d.x[i]!;
      const cy = f.t.oy + f.t.sy * d.y[i]!;
      const r = radii[i]!;
      p.moveTo(cx + r, cy);
      p.arc(cx, cy, r, 0, 2 * Math.PI);
      stats.markers++;
    } else if (major * scale >= MIN_ELLIPSE_PX) {
      const e = screenEllipse(f.t, d.x[i]!, d.y[i]!, major, d.minorPx[i]!, d.angleDeg[i]!);
      p.moveTo(e.cx + e.rx * Math.cos(e.rotation), e.cy + e.rx * Math.sin(e.rotation));
      p.ellipse(e.cx, e.cy, e.rx, e.ry, e.rotation, 0, 2 * Math.PI);
      stats.ellipses++;
    } else if (markers) {
      const cx = f.t.ox + f.t.sx * d.x[i]!;
      const cy = f.t.oy + f.t.sy * d.y[i]!;
      p.moveTo(cx - 3, cy);
      p.lineTo(cx + 3, cy);
      p.moveTo(cx, cy - 3);
      p.lineTo(cx, cy + 3);
      stats.markers++;
    } else continue;
    if (++used[bucket]! >= PATH_BATCH) flush(bucket);
  }
  for (let b = 0; b < buckets; b++) if (used[b]) flush(b);
  ctx.restore();
}

/** Selected sources (thick magenta with a dark halo and a ring) and the hovered one (white). */
function drawHighlights(ctx: CanvasRenderingContext2D, layers: OverlayLayer[], f: FrameInput): void {
  const ring = new Path2D();
  const hover = new Path2D();
  let count = 0;
  const add = (path: Path2D, layer: OverlayLayer, row: number): void => {
    const d = layer.overlay.data;
    const e = screenEllipse(f.t, d.x[row]!, d.y[row]!, d.majorPx[row]!, d.minorPx[row]!, d.angleDeg[row]!);
    if (e.cx < -50 || e.cy < -50 || e.cx > f.width + 50 || e.cy > f.height + 50) return;
    const rx = Math.max(e.rx, 6);
    const ry = Math.max(e.ry, 6);
    path.moveTo(e.cx + rx * Math.cos(e.rotation), e.cy + rx * Math.sin(e.rotation));
    path.ellipse(e.cx, e.cy, rx, ry, e.rotation, 0, 2 * Math.PI);
    path.moveTo(e.cx + 2, e.cy);
    path.arc(e.cx, e.cy, 2, 0, 2 * Math.PI);
  };
  for (const layer of layers) {
    for (const id of f.selected) {
      if (count++ >= MAX_HIGHLIGHTS) break;
      const row = layer.overlay.rowOf(id);
      if (row !== undefined) add(ring, layer, row);
    }
    if (f.hovered !== null) {
      const row = layer.overlay.rowOf(f.hovered);
      if (row !== undefined) add(hover, layer, row);
    }
  }
  ctx.save();
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.lineWidth = 4.5;
  ctx.stroke(ring);
  ctx.strokeStyle = SELECTED_COLOUR;
  ctx.lineWidth = 2.5;
  ctx.stroke(ring);
  ctx.strokeStyle = HOVER_COLOUR;
  ctx.lineWidth = 1.5;
  ctx.stroke(hover);
  ctx.restore();
}

/** The focused source's island contour (Pixel0 vertices) and fitted components, drawn over the overlay. */
export interface FocusDetail {
  sourceId: number;
  contour: [number, number][] | null;
  components: { x: number; y: number; bmajPx?: number; bminPx?: number; thetaPxDeg?: number }[];
}

export function drawFocusDetail(ctx: CanvasRenderingContext2D, t: ScreenTransform, d: FocusDetail): void {
  ctx.save();
  if (d.contour && d.contour.length > 2) {
    const path = new Path2D();
    d.contour.forEach(([x, y], i) => (i === 0 ? path.moveTo(t.ox + t.sx * x, t.oy + t.sy * y) : path.lineTo(t.ox + t.sx * x, t.oy + t.sy * y)));
    path.closePath();
    ctx.strokeStyle = 'rgba(0,0,0,0.6)';
    ctx.lineWidth = 3;
    ctx.stroke(path);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.2;
    ctx.stroke(path);
  }
  const comps = new Path2D();
  for (const c of d.components) {
    if (!(c.bmajPx && c.bmajPx > 0)) continue;
    const e = screenEllipse(t, c.x, c.y, c.bmajPx, c.bminPx ?? 0, c.thetaPxDeg ?? 0);
    comps.moveTo(e.cx + e.rx * Math.cos(e.rotation), e.cy + e.rx * Math.sin(e.rotation));
    comps.ellipse(e.cx, e.cy, e.rx, e.ry, e.rotation, 0, 2 * Math.PI);
  }
  ctx.strokeStyle = '#ff9100';
  ctx.lineWidth = 1.5;
  ctx.stroke(comps);
  ctx.restore();
}
