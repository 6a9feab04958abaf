/**
 * A small FITS BINTABLE reader (enough for SExtractor FITS_LDAC catalogues): scalar and fixed-repeat
 * columns of types L, B, I, J, K, E, D and A, with TSCAL/TZERO and TNULL. Heap (P/Q) columns and bit
 * arrays (X) are not supported and are skipped. Headers come from the fits module (positioned reads).
 */
import { open } from 'node:fs/promises';
import { listHdus, readHeaderOnly } from '../fits';
import type { FitsHeader } from '../fits';
import { AppError } from '../../shared/contract/errors';

export interface FitsColumn {
  name: string;
  unit: string;
  /** TFORM as written, e.g. `1E`, `5280A`. */
  form: string;
  /** One value per row: a number (NaN for TNULL), a string for `A`, an array for repeat > 1. */
  values: (number | string | number[])[];
}

export interface FitsTable {
  hdu: number;
  extname?: string;
  rows: number;
  columns: FitsColumn[];
  header: FitsHeader;
}

const WIDTH: Record<string, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1, X: 0 };

function fail(path: string, message: string, details: Record<string, unknown>): never {
  throw new AppError('catalogue.parseFailed', `${path}: ${message}`, { file: path, ...details });
}

function readScalar(view: DataView, at: number, code: string): number {
  switch (code) {
    case 'L': return view.getUint8(at) === 0x54 ? 1 : 0; // 'T'
    case 'B': return view.getUint8(at);
    case 'I': return view.getInt16(at);
    case 'J': return view.getInt32(at);
    case 'K': return Number(view.getBigInt64(at));
    case 'E': return view.getFloat32(at);
    default: return view.getFloat64(at);
  }
}

/** Read one BINTABLE HDU selected by EXTNAME (case-insensitive) or 0-based index. */
export async function readFitsTable(path: string, which: string | number): Promise<FitsTable> {
  const hdus = await listHdus(path);
  const hdu = typeof which === 'number'
    ? hdus[which]
    : hdus.find((h) => h.extname?.trim().toUpperCase() === which.toUpperCase());
  if (!hdu) fail(path, `no HDU ${typeof which === 'number' ? which : `EXTNAME=${which}`}`, { hdu: which });
  if (hdu.kind !== 'bintable') fail(path, `HDU ${hdu.index} is not a BINTABLE`, { hdu: hdu.index });
  const header = await readHeaderOnly(path, hdu.index);
  const rowBytes = header.getNumber('NAXIS1') ?? 0;
  const rows = header.getNumber('NAXIS2') ?? 0;
  const nFields = header.getNumber('TFIELDS') ?? 0;

  const layout: { col: FitsColumn; code: string; repeat: number; offset: number; scale: number; zero: number; tnull?: number }[] = [];
  let offset = 0;
  for (let i = 1; i <= nFields; i++) {
    const form = (header.getString(`TFORM${i}`) ?? '').trim();
    const m = /^(\d*)([LXBIJKAEDCMPQ])/i.exec(form);
    if (!m) fail(path, `HDU ${hdu.index}: bad TFORM${i} '${form}'`, { hdu: hdu.index, card: `TFORM${i}` });
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const code = m[2]!.toUpperCase();
    const width = code === 'X' ? Math.ceil(repeat / 8) : (WIDTH[code] ?? 0) * repeat;
    if (!(code in WIDTH)) fail(path, `HDU ${hdu.index}: unsupported TFORM${i} '${form}'`, { hdu: hdu.index, card: `TFORM${i}` });
    const name = (header.getString(`TTYPE${i}`) ?? `col${i}`).trim();
    const col: FitsColumn = { name, unit: (header.getString(`TUNIT${i}`) ?? '').trim(), form, values: [] };
    if (code !== 'X') {
      layout.push({ col, code, repeat, offset, scale: header.getNumber(`TSCAL${i}`) ?? 1, zero: header.getNumber(`TZERO${i}`) ?? 0, tnull: header.getNumber(`TNULL${i}`) });
    }
    offset += width;
  }
  if (offset !== rowBytes) fail(path, `HDU ${hdu.index}: TFORMs add up to ${offset} bytes, NAXIS1 is ${rowBytes}`, { hdu: hdu.index, card: 'NAXIS1' });

  const buf = Buffer.alloc(rowBytes * rows);
  const fh = await open(path, 'r');
  try {
    const { bytesRead } = await fh.read(buf, 0, buf.length, hdu.dataOffset);
    if (bytesRead < buf.length) fail(path, `HDU ${hdu.index}: table data truncated at byte ${hdu.dataOffset + bytesRead}`, { hdu: hdu.index, offset: hdu.dataOffset + bytesRead });
  } finally {
    await fh.close();
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    for (const l of layout) {
      if (l.code === 'A') {
        l.col.values.push(buf.toString('latin1', base + l.offset, base + l.offset + l.repeat).replace(/[\0 ]+$/, ''));
        continue;
      }
      const w = WIDTH[l.code]!;
      const one = (k: number): number => {
        const raw = readScalar(view, base + l.offset + k * w, l.code);
        if (l.tnull !== undefined && raw === l.tnull && l.code !== 'E' && l.code !== 'D') return NaN;
        return raw * l.scale + l.zero;
      };
      if (l.repeat === 1) l.col.values.push(one(0));
      else l.col.values.push(Array.from({ length: l.repeat }, (_, k) => one(k)));
    }
  }
  return { hdu: hdu.index, extname: hdu.extname?.trim(), rows, columns: layout.map((l) => l.col), header };
}
