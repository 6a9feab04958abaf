import Flatbush from 'flatbush';
import { decodeOverlay as decodeContractOverlay, OVERLAY_LABEL_CODES, type OverlayArrays } from '../../../shared/contract/catalogues';

/** The overlay's label code of a sourceness label (the contract's table; 0 = none or unknown). */
export function labelCodeOf(sourceness: string | null | undefined): number {
  return sourceness && Object.prototype.hasOwnProperty.call(OVERLAY_LABEL_CODES, sourceness) && sourceness !== 'none'
    ? OVERLAY_LABEL_CODES[sourceness as keyof typeof OVERLAY_LABEL_CODES]
    : OVERLAY_LABEL_CODES.none;
}

/**
 * One catalogue's overlay in columnar form (the `/catalogues/<id>/overlay` resource): positions in
 * Pixel0, FWHM axes in image pixels, major-axis angle CCW from +x in the image. Mutable only in
 * `labelCode` (label changes are applied in place instead of refetching 10⁶ rows).
 */
export type OverlayData = OverlayArrays & { n: number };

const pad4 = (n: number): number => (n + 3) & ~3;

/** Decode the overlay resource body (the contract's decoder, plus the count). */
export function decodeOverlay(buf: ArrayBuffer): OverlayData {
  if (buf.byteLength < 4) throw new RangeError(`overlay body truncated: ${buf.byteLength} bytes`);
  const arrays = decodeContractOverlay(buf);
  return { n: arrays.ids.length, ...arrays };
}

/** Encode (the inverse of decodeOverlay): used by tests and benches to make overlays without a server. */
export function encodeOverlay(d: Omit<OverlayData, 'n'>): ArrayBuffer {
  const n = d.ids.length;
  const buf = new ArrayBuffer(4 + 24 * n + 2 * pad4(n));
  new DataView(buf).setUint32(0, n, true);
  let offset = 4;
  for (const a of [d.ids, d.x, d.y, d.majorPx, d.minorPx, d.angleDeg]) {
    new Uint8Array(buf, offset, 4 * n).set(new Uint8Array(a.buffer, a.byteOffset, 4 * n));
    offset += 4 * n;
  }
  new Uint8Array(buf, offset, n).set(d.labelCode);
  new Uint8Array(buf, offset + pad4(n), n).set(d.type);
  return buf;
}

/**
 * The overlay plus what drawing and hit-testing need: a Flatbush index over each ellipse's bounding
 * circle (semi-major axis, at least half a pixel), the row of each source id, and the sources ordered
 * by size (largest first) so a zoomed-out frame finds the few ellipses still worth drawing quickly.
 */
export class IndexedOverlay {
  readonly index: Flatbush;
  /** Row by id when the ids are not ascending (the server sends them ascending: then a binary search). */
  private readonly rowOfId: Map<number, number> | null = null;
  private sizeOrder: Uint32Array | null = null;

  constructor(readonly data: OverlayData) {
    const { n, x, y, majorPx, ids } = data;
    this.index = new Flatbush(Math.max(1, n));
    for (let i = 0; i < n; i++) {
      const r = Math.max(0.5, majorPx[i]! / 2);
      this.index.add(x[i]! - r, y[i]! - r, x[i]! + r, y[i]! + r);
    }
    if (n === 0) this.index.add(0, 0, 0, 0); // Flatbush needs one item; the dummy is never returned (search checks n)
    this.index.finish();
    let ascending = true;
    for (let i = 1; i < n && ascending; i++) ascending = ids[i]! > ids[i - 1]!;
    if (!ascending) {
      this.rowOfId = new Map();
      for (let i = 0; i < n; i++) this.rowOfId.set(ids[i]!, i);
    }
  }

  /** Rows by size, largest first (sorted on first use: only zoomed-out dense frames need it). */
  get bySizeDesc(): Uint32Array {
    if (!this.sizeOrder) {
      const { n, majorPx } = this.data;
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      this.sizeOrder = order.sort((a, b) => majorPx[b]! - majorPx[a]!);
    }
    return this.sizeOrder;
  }

  rowOf(sourceId: number): number | undefined {
    if (this.rowOfId) return this.rowOfId.get(sourceId);
    const ids = this.data.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid]! < sourceId) lo = mid + 1;
      else hi = mid;
    }
    return ids[lo] === sourceId ? lo : undefined;
  }

  /** Rows whose bounding circle meets the Pixel0 rectangle. */
  search(x0: number, y0: number, x1: number, y1: number): number[] {
    if (this.data.n === 0) return [];
    return this.index.search(x0, y0, x1, y1);
  }

  /** The source whose centre is nearest to (x, y) within `maxDist` pixels (centre distance), or null. */
  nearest(px: number, py: number, maxDist: number): number | null {
    let best: number | null = null;
    let bestD = maxDist * maxDist;
    for (const i of this.search(px - maxDist, py - maxDist, px + maxDist, py + maxDist)) {
      const dx = this.data.x[i]! - px;
      const dy = this.data.y[i]! - py;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** Source ids whose centre lies inside the rectangle (any corner order). */
  idsInRect(ax: number, ay: number, bx: number, by: number): number[] {
    const x0 = Math.min(ax, bx);
    const x1 = Math.max(ax, bx);
    const y0 = Math.min(ay, by);
    const y1 = Math.max(ay, by);
    const out: number[] = [];
    for (const i of this.search(x0, y0, x1, y1)) {
      const x = this.data.x[i]!;
      const y = this.data.y[i]!;
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(this.data.ids[i]!);
    }
    return out;
  }

  /** Source ids whose centre lies inside a polygon (Pixel0 vertices, not closed; even-odd rule). */
  idsInPolygon(poly: { x: number; y: number }[]): number[] {
    if (poly.length < 3) return [];
    const xs = poly.map((p) => p.x);
    const ys = poly.map((p) => p.y);
    const out: number[] = [];
    for (const i of this.search(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys))) {
      if (pointInPolygon(this.data.x[i]!, this.data.y[i]!, poly)) out.push(this.data.ids[i]!);
    }
    return out;
  }
}

/** Even-odd point-in-polygon test (ray casting along +x). */
export function pointInPolygon(px: number, py: number, poly: { x: number; y: number }[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > py !== b.y > py && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}
