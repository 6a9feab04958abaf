import type { Beam } from '../../../shared/contract/images';
import { computeGrid, type Pixel0, type SkyFrame, type Wcs } from './wcsApi';
import type { PixelView } from './fitsViewer';

type ToElement = (p: Pixel0) => { x: number; y: number } | null;

const GRID_COLOUR = 'rgba(120, 220, 255, 0.75)';
const LABEL_COLOUR = 'rgba(190, 240, 255, 0.95)';

/** Draw the labelled coordinate grid for the visible rectangle. Returns the number of lines drawn. */
export function drawGrid(ctx: CanvasRenderingContext2D, wcs: Wcs, view: PixelView, frame: SkyFrame, toElement: ToElement): number {
  const { lines } = computeGrid(wcs, view, frame);
  // Lines and labels stay on the image (its outer pixel edges), within the canvas.
  const a = toElement({ x: view.x0, y: view.y0 });
  const b = toElement({ x: view.x1, y: view.y1 });
  if (!a || !b) return 0;
  const left = Math.max(0, Math.min(a.x, b.x));
  const right = Math.min(ctx.canvas.clientWidth, Math.max(a.x, b.x));
  const top = Math.max(0, Math.min(a.y, b.y));
  const bottom = Math.min(ctx.canvas.clientHeight, Math.max(a.y, b.y));
  const labels: { text: string; at: { x: number; y: number }; axis: 'lon' | 'lat' }[] = [];
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  ctx.lineWidth = 1;
  ctx.strokeStyle = GRID_COLOUR;
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';
  let drawn = 0;
  for (const line of lines) {
    // Label anchor: lat lines on the left edge, lon lines on the bottom edge.
    let anchor: { x: number; y: number } | null = null;
    ctx.beginPath();
    for (const segment of line.points) {
      let first = true;
      for (const p of segment) {
        const e = toElement(p);
        if (!e) {
          first = true;
          continue;
        }
        if (first) ctx.moveTo(e.x, e.y);
        else ctx.lineTo(e.x, e.y);
        first = false;
        const inside = e.x >= left + 2 && e.x <= right - 2 && e.y >= top + 2 && e.y <= bottom - 2;
        if (inside && (!anchor || (line.axis === 'lat' ? e.x < anchor.x : e.y > anchor.y))) anchor = e;
      }
    }
    // A dark halo under the line keeps it visible on bright colormaps.
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.45)';
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.strokeStyle = GRID_COLOUR;
    ctx.lineWidth = 1;
    ctx.stroke();
    drawn++;
    // Label only lines that reach their label edge (left for lat, bottom for lon), so labels never collide.
    const nearEdge = anchor && (line.axis === 'lat' ? anchor.x < left + 0.2 * (right - left) : anchor.y > bottom - 0.2 * (bottom - top));
    if (anchor && nearEdge) labels.push({ text: line.label, at: anchor, axis: line.axis });
  }
  ctx.restore();
  ctx.save();
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';
  const placed: Box[] = [];
  for (const l of labels) {
    const box = drawLabel(ctx, l.text, l.at, l.axis, { left, right, top, bottom }, placed);
    if (box) placed.push(box);
  }
  ctx.restore();
  return drawn;
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Draw a label near `at`, inside `box`, unless it would overlap one already placed; returns its rectangle. */
function drawLabel(ctx: CanvasRenderingContext2D, text: string, at: { x: number; y: number }, axis: 'lon' | 'lat', box: Box, placed: Box[]): Box | null {
  const width = ctx.measureText(text).width;
  const x = axis === 'lat' ? Math.max(box.left + 4, at.x + 4) : Math.min(box.right - width - 4, Math.max(box.left + 4, at.x - width / 2));
  const y = axis === 'lat' ? Math.min(box.bottom - 10, Math.max(box.top + 10, at.y - 8)) : Math.min(box.bottom - 10, at.y - 10);
  const rect = { left: x - 4, right: x + width + 4, top: y - 9, bottom: y + 9 };
  if (placed.some((p) => rect.left < p.right && rect.right > p.left && rect.top < p.bottom && rect.bottom > p.top)) return null;
  ctx.fillStyle = 'rgba(10, 14, 20, 0.65)';
  ctx.fillRect(x - 2, y - 7, width + 4, 14);
  ctx.fillStyle = LABEL_COLOUR;
  ctx.fillText(text, x, y);
  return rect;
}

/**
 * Outline of the restoring beam in Pixel0 around `centre`: FWHM axes (degrees), PA east of north,
 * traced through the WCS so pixel scale, axis flips and rotation are all honoured.
 */
export function beamOutline(wcs: Wcs, beam: Beam, centre: Pixel0, steps = 72): Pixel0[] | null {
  const c = wcs.pixelToWorld(centre);
  if (!c) return null;
  const a = beam.bmajDeg / 2;
  const b = beam.bminDeg / 2;
  const pa = (beam.bpaDeg * Math.PI) / 180;
  const cosLat = Math.cos((c.lat * Math.PI) / 180);
  if (Math.abs(cosLat) < 1e-9) return null;
  const out: Pixel0[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = (2 * Math.PI * i) / steps;
    const u = a * Math.cos(t);
    const v = b * Math.sin(t);
    const east = u * Math.sin(pa) + v * Math.cos(pa);
    const north = u * Math.cos(pa) - v * Math.sin(pa);
    const p = wcs.worldToPixel({ lon: c.lon + east / cosLat, lat: c.lat + north, frame: c.frame });
    if (!p) return null;
    out.push(p);
  }
  return out;
}

/** Draw the beam ellipse in the bottom-left corner, at the current zoom (skipped when it would be < 3 px or huge). */
export function drawBeam(ctx: CanvasRenderingContext2D, wcs: Wcs, beam: Beam, view: PixelView, toElement: ToElement): boolean {
  const centre = { x: (view.x0 + view.x1) / 2, y: (view.y0 + view.y1) / 2 };
  const outline = beamOutline(wcs, beam, centre);
  const c = toElement(centre);
  if (!outline || !c) return false;
  const pts = outline.map(toElement).filter((p): p is { x: number; y: number } => p !== null).map((p) => ({ x: p.x - c.x, y: p.y - c.y }));
  const r = Math.max(...pts.map((p) => Math.hypot(p.x, p.y)));
  if (!(r >= 0.5) || r > 200) return false;
  const h = ctx.canvas.clientHeight;
  const box = Math.max(24, 2 * r + 12);
  const cx = 10 + box / 2;
  const cy = h - 10 - box / 2;
  ctx.save();
  ctx.fillStyle = 'rgba(10, 14, 20, 0.6)';
  ctx.strokeStyle = 'rgba(255,255,255,0.35)';
  ctx.fillRect(10, h - 10 - box, box, box);
  ctx.strokeRect(10.5, h - 9.5 - box, box - 1, box - 1);
  ctx.beginPath();
  pts.forEach((p, i) => (i === 0 ? ctx.moveTo(cx + p.x, cy + p.y) : ctx.lineTo(cx + p.x, cy + p.y)));
  ctx.closePath();
  ctx.fillStyle = 'rgba(255, 210, 80, 0.35)';
  ctx.strokeStyle = 'rgba(255, 210, 80, 1)';
  ctx.lineWidth = 1.5;
  ctx.fill();
  ctx.stroke();
  ctx.restore();
  return true;
}
