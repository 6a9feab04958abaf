import type Database from 'better-sqlite3';
import { overlayByteLength } from '../../shared/contract/catalogues';
import type { SkyFrame } from '../../shared/domain/coords';
import { foldAxisAngle } from '../../shared/domain/source';
import { paToThetaDeg, type PixelGeometry } from '../catalogue';

/**
 * Overlay entries of one catalogue, in the wire's units, computed once per catalogue (the PA → image
 * angle conversion through the WCS is the costly part) and cached by the service. Entries are the
 * sources in id order, each followed by its fitted components (type 2, carrying the parent's id) when
 * the source has two or more components or no ellipse of its own, so islands show their Gaussians.
 */
export interface OverlayBase {
  firstId: number;
  lastId: number;
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  majorPx: Float32Array;
  minorPx: Float32Array;
  angleDeg: Float32Array;
  type: Uint8Array;
}

type Num = number | null;
type EllipseRow = [id: number, x: number, y: number, bmajPx: Num, bminPx: Num, thetaPx: Num, bmajAs: Num, bminAs: Num, pa: Num];

const ELLIPSE_COLUMNS = 'x, y, bmaj_px, bmin_px, theta_px_deg, bmaj_arcsec, bmin_arcsec, pa_deg';

/** Image angle (deg CCW from +x) of an ellipse: the finder's own when stored, else from the PA through the WCS. */
function imageAngle(r: EllipseRow, geo: PixelGeometry, frame: SkyFrame): number {
  if (r[5] !== null) return r[5];
  const pa = r[8];
  if (pa === null) return 0;
  // Without any geometry assume north up, east left (the radio default): PA 0 points along +y.
  return paToThetaDeg(geo, { x: r[1], y: r[2] }, pa, frame) ?? foldAxisAngle(pa + 90);
}

export function buildOverlayBase(
  db: Database.Database,
  range: { first: number; last: number } | null,
  geo: PixelGeometry,
  frame: SkyFrame,
): OverlayBase {
  const entries: { r: EllipseRow; type: number }[] = [];
  if (range) {
    const sources = db.prepare(`SELECT id, ${ELLIPSE_COLUMNS}, type FROM sources WHERE id BETWEEN ? AND ? ORDER BY id`).raw();
    const comps = db.prepare(
      `SELECT source_id, ${ELLIPSE_COLUMNS} FROM components WHERE source_id BETWEEN ? AND ? ORDER BY source_id, idx, id`,
    ).raw();
    const compIter = (comps.iterate(range.first, range.last) as IterableIterator<EllipseRow>)[Symbol.iterator]();
    let pending = compIter.next();
    for (const row of sources.iterate(range.first, range.last) as IterableIterator<[...EllipseRow, string]>) {
      const id = row[0];
      const own: EllipseRow = row.slice(0, 9) as EllipseRow;
      const mine: EllipseRow[] = [];
      while (!pending.done && pending.value[0] <= id) {
        if (pending.value[0] === id) mine.push(pending.value);
        pending = compIter.next();
      }
      entries.push({ r: own, type: row[9] === 'extended' ? 1 : 0 });
      if (mine.length >= 2 || (own[6] === null && own[3] === null)) for (const c of mine) entries.push({ r: c, type: 2 });
    }
  }
  const n = entries.length;
  const base: OverlayBase = {
    firstId: range?.first ?? 0, lastId: range?.last ?? -1,
    ids: new Int32Array(n), x: new Float32Array(n), y: new Float32Array(n), majorPx: new Float32Array(n),
    minorPx: new Float32Array(n), angleDeg: new Float32Array(n), type: new Uint8Array(n),
  };
  const scale = geo.pixelScaleArcsec;
  for (let i = 0; i < n; i++) {
    const { r, type } = entries[i]!;
    base.ids[i] = r[0];
    base.x[i] = r[1];
    base.y[i] = r[2];
    base.majorPx[i] = r[3] ?? (r[6] !== null && scale ? r[6] / scale : 0);
    base.minorPx[i] = r[4] ?? (r[7] !== null && scale ? r[7] / scale : 0);
    base.angleDeg[i] = imageAngle(r, geo, frame);
    base.type[i] = type;
  }
  return base;
}

/** Sourceness → label code (0 none, 1 REAL, 2 FAKE, 3 CANDIDATE), indexed by id − firstId. */
export function labelCodes(db: Database.Database, base: OverlayBase): Uint8Array {
  const codes = new Uint8Array(Math.max(0, base.lastId - base.firstId + 1));
  const rows = db.prepare(
    'SELECT source_id, sourceness FROM labels WHERE source_id BETWEEN ? AND ? AND sourceness IS NOT NULL',
  ).raw().iterate(base.firstId, base.lastId) as IterableIterator<[number, string]>;
  for (const [id, s] of rows) codes[id - base.firstId] = s === 'REAL' ? 1 : s === 'FAKE' ? 2 : s === 'CANDIDATE' ? 3 : 0;
  return codes;
}

/**
 * Pack the wire body (layout in src/shared/contract/catalogues.ts). `selected`: ascending source ids to
 * keep (a filter's result), or null for every entry.
 */
export function packOverlay(base: OverlayBase, codes: Uint8Array, selected: ArrayLike<number> | null): Buffer {
  let keep: Int32Array;
  if (selected === null) keep = Int32Array.from({ length: base.ids.length }, (_, i) => i);
  else {
    const idx: number[] = [];
    let j = 0;
    for (let i = 0; i < base.ids.length && j < selected.length; i++) {
      const id = base.ids[i]!;
      while (j < selected.length && selected[j]! < id) j++;
      if (j < selected.length && selected[j] === id) idx.push(i);
    }
    keep = Int32Array.from(idx);
  }
  const n = keep.length;
  const buf = Buffer.alloc(overlayByteLength(n));
  const ab = buf.buffer;
  let off = buf.byteOffset;
  buf.writeUInt32LE(n, 0);
  off += 4;
  const put = <T extends Int32Array | Float32Array | Uint8Array>(Ctor: new (b: ArrayBufferLike, o: number, l: number) => T, src: ArrayLike<number>, width: number): void => {
    const dst = new Ctor(ab, off, n);
    for (let k = 0; k < n; k++) dst[k] = src[keep[k]!]!;
    off += (width * n + 3) & ~3;
  };
  put(Int32Array, base.ids, 4);
  put(Float32Array, base.x, 4);
  put(Float32Array, base.y, 4);
  put(Float32Array, base.majorPx, 4);
  put(Float32Array, base.minorPx, 4);
  put(Float32Array, base.angleDeg, 4);
  const lab = new Uint8Array(ab, off, n);
  for (let k = 0; k < n; k++) lab[k] = codes[base.ids[keep[k]!]! - base.firstId] ?? 0;
  off += (n + 3) & ~3;
  put(Uint8Array, base.type, 1);
  return buf;
}
