import type Database from 'better-sqlite3';
import { overlayByteLength, overlayColumnByteLength, type OverlayArrays } from '../../shared/contract/catalogues';
import type { SkyFrame } from '../../shared/domain/coords';
import { foldAxisAngle } from '../../shared/domain/source';
import { paToThetaDeg, type PixelGeometry } from '../catalogue';

/**
 * Overlay entries of one catalogue, in the wire's units, computed once per catalogue (the PA → image
 * angle conversion through the WCS is the costly part) and cached by the service. Entries are the
 * sources in id order, each followed by its fitted components (type 2, carrying the parent's id) when
 * the source has two or more components or no ellipse of its own, so islands show their Gaussians.
 */
export interface OverlayBase extends Omit<OverlayArrays, 'labelCode'> {
  firstId: number;
  lastId: number;
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

/** Growable columns of the base while it is being built. */
class Columns {
  n = 0;
  ids = new Int32Array(1024);
  f = Array.from({ length: 5 }, () => new Float32Array(1024)); // x, y, majorPx, minorPx, angleDeg
  type = new Uint8Array(1024);

  push(r: EllipseRow, type: number, geo: PixelGeometry, frame: SkyFrame): void {
    if (this.n === this.ids.length) this.grow();
    const i = this.n++;
    const scale = geo.pixelScaleArcsec;
    this.ids[i] = r[0];
    this.f[0]![i] = r[1];
    this.f[1]![i] = r[2];
    this.f[2]![i] = r[3] ?? (r[6] !== null && scale ? r[6] / scale : 0);
    this.f[3]![i] = r[4] ?? (r[7] !== null && scale ? r[7] / scale : 0);
    this.f[4]![i] = imageAngle(r, geo, frame);
    this.type[i] = type;
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    this.ids = ids;
    this.f = this.f.map((a) => {
      const b = new Float32Array(cap);
      b.set(a);
      return b;
    });
    const type = new Uint8Array(cap);
    type.set(this.type);
    this.type = type;
  }
}

/** Rows are read in id slices of this size: bounded memory, and .all() on a slice beats per-row iteration. */
const SLICE = 50_000;

/** Built slice by slice, yielding between slices: 10⁶ sources take ~2 s and must not stall tiles and calls. */
export async function buildOverlayBase(
  db: Database.Database,
  range: { first: number; last: number } | null,
  geo: PixelGeometry,
  frame: SkyFrame,
): Promise<OverlayBase> {
  const cols = new Columns();
  if (range) {
    const sources = db.prepare(`SELECT id, ${ELLIPSE_COLUMNS}, type FROM sources WHERE id BETWEEN ? AND ? ORDER BY id`).raw();
    const comps = db.prepare(
      `SELECT source_id, ${ELLIPSE_COLUMNS} FROM components WHERE source_id BETWEEN ? AND ? ORDER BY source_id, idx, id`,
    ).raw();
    for (let a = range.first; a <= range.last; a += SLICE) {
      const b = Math.min(range.last, a + SLICE - 1);
      const srcRows = sources.all(a, b) as [...EllipseRow, string][];
      const compRows = comps.all(a, b) as EllipseRow[];
      let k = 0;
      for (const row of srcRows) {
        const id = row[0];
        while (k < compRows.length && compRows[k]![0] < id) k++;
        let end = k;
        while (end < compRows.length && compRows[end]![0] === id) end++;
        cols.push(row as unknown as EllipseRow, row[9] === 'extended' ? 1 : 0, geo, frame);
        if (end - k >= 2 || (row[6] === null && row[3] === null)) for (let c = k; c < end; c++) cols.push(compRows[c]!, 2, geo, frame);
        k = end;
      }
      await new Promise((r) => setImmediate(r));
    }
  }
  const n = cols.n;
  return {
    firstId: range?.first ?? 0, lastId: range?.last ?? -1,
    ids: cols.ids.slice(0, n), x: cols.f[0]!.slice(0, n), y: cols.f[1]!.slice(0, n), majorPx: cols.f[2]!.slice(0, n),
    minorPx: cols.f[3]!.slice(0, n), angleDeg: cols.f[4]!.slice(0, n), type: cols.type.slice(0, n),
  };
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

/** Entry indices of the base kept by `selected` (ascending source ids, a filter's result), or every entry for null. */
export function keptEntries(base: OverlayBase, selected: ArrayLike<number> | null): Int32Array {
  if (selected === null) return Int32Array.from({ length: base.ids.length }, (_, i) => i);
  const idx: number[] = [];
  let j = 0;
  for (let i = 0; i < base.ids.length && j < selected.length; i++) {
    const id = base.ids[i]!;
    while (j < selected.length && selected[j]! < id) j++;
    if (j < selected.length && selected[j] === id) idx.push(i);
  }
  return Int32Array.from(idx);
}

/**
 * Pack the wire body (layout in src/shared/contract/catalogues.ts). `selected`: ascending source ids to
 * keep (a filter's result), or null for every entry.
 */
export function packOverlay(base: OverlayBase, codes: Uint8Array, selected: ArrayLike<number> | null): Buffer {
  const keep = keptEntries(base, selected);
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

/**
 * Pack an overlay column body (decodeOverlayColumn in catalogues.ts): the value of each kept entry's
 * source, `valueOf(sourceId)` (NaN = missing); a component entry carries its source's id, so its value.
 */
export function packOverlayColumn(base: OverlayBase, selected: ArrayLike<number> | null, valueOf: (sourceId: number) => number): Buffer {
  const keep = keptEntries(base, selected);
  const n = keep.length;
  const buf = Buffer.alloc(overlayColumnByteLength(n));
  buf.writeUInt32LE(n, 0);
  const dst = new Float32Array(buf.buffer, buf.byteOffset + 4, n);
  for (let k = 0; k < n; k++) dst[k] = valueOf(base.ids[keep[k]!]!);
  return buf;
}
