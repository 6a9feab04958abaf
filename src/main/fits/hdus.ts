import { open, type FileHandle } from 'node:fs/promises';
import { BLOCK_LENGTH, CARD_LENGTH, buildHeader, type BuiltHeader } from './cards';
import { fitsError } from './errors';
import { isBitpix, type HduSummary } from './types';

/** Blocks read per header read: most headers fit in one read, and a read is cheap to over-ask. */
const HEADER_READ_BLOCKS = 8;

export interface ScannedHdu extends HduSummary {
  built: BuiltHeader;
  /** Warnings about this HDU's structure (padding, END card) plus the header's own warnings. */
  warnings: string[];
}

/** Open a file for positioned reads, mapping system errors to `fits.io`. */
export async function openForRead(file: string): Promise<{ fh: FileHandle; size: number; mtimeMs: number }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw fitsError('fits.io', file, `cannot open: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw fitsError('fits.io', file, 'not a regular file');
    return { fh, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Read exactly `length` bytes at `position` (short only at end of file); `fits.io` on system errors. */
export async function readAt(fh: FileHandle, file: string, buf: Uint8Array, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      ({ bytesRead: n } = await fh.read(buf, done, length - done, position + done));
    } catch (err) {
      throw fitsError('fits.io', file, `read failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { offset: position + done });
    }
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Read the card images of the header starting at `offset`, up to and including END. */
async function readCardImages(
  fh: FileHandle,
  file: string,
  offset: number,
  hdu: number,
): Promise<{ images: string[]; endCardOffset: number }> {
  const images: string[] = [];
  const buf = Buffer.allocUnsafe(BLOCK_LENGTH * HEADER_READ_BLOCKS);
  let pos = offset;
  for (;;) {
    const n = await readAt(fh, file, buf, buf.length, pos);
    const whole = n - (n % CARD_LENGTH);
    for (let i = 0; i < whole; i += CARD_LENGTH) {
      const image = buf.toString('latin1', i, i + CARD_LENGTH);
      images.push(image);
      if (image.startsWith('END') && image.slice(3).trim() === '') {
        return { images, endCardOffset: pos + i };
      }
    }
    if (n < buf.length) {
      throw fitsError('fits.truncated', file, 'header has no END card before the end of the file', { hdu, offset: pos + n });
    }
    pos += n;
  }
}

/** Read and interpret the header of HDU `index` at `offset`; validates the structural keywords. */
export async function readHduAt(fh: FileHandle, file: string, size: number, offset: number, index: number): Promise<ScannedHdu> {
  const { images, endCardOffset } = await readCardImages(fh, file, offset, index);
  const built = buildHeader(images, `HDU ${index}`);
  const h = built.header;
  const warnings = [...built.warnings];
  const first = h.cards[0];
  if (index === 0) {
    if (first?.key !== 'SIMPLE' || first.value !== true) {
      throw fitsError('fits.notFits', file, 'not a FITS file: the first card is not SIMPLE = T', { card: 'SIMPLE', offset: 0 });
    }
  } else if (first?.key !== 'XTENSION') {
    throw fitsError('fits.notFits', file, 'extension does not start with an XTENSION card', { hdu: index, card: 'XTENSION', offset });
  }
  const bitpix = h.get('BITPIX');
  if (!isBitpix(bitpix)) {
    throw fitsError('fits.unsupportedBitpix', file, `unsupported BITPIX = ${bitpix === undefined ? '(missing)' : String(bitpix)}`, { hdu: index, card: 'BITPIX', offset });
  }
  const naxis = h.get('NAXIS');
  if (typeof naxis !== 'number' || !Number.isInteger(naxis) || naxis < 0 || naxis > 999) {
    throw fitsError('fits.badAxis', file, `bad or missing NAXIS = ${naxis === undefined ? '(missing)' : String(naxis)}`, { hdu: index, card: 'NAXIS', offset });
  }
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const v = h.get(`NAXIS${i}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw fitsError('fits.badAxis', file, `bad or missing NAXIS${i} = ${v === undefined ? '(missing)' : String(v)}`, { hdu: index, card: `NAXIS${i}`, offset });
    }
    axes.push(v);
  }
  const xtension = index === 0 ? '' : String(h.get('XTENSION') ?? '').trim().toUpperCase();
  const groups = h.get('GROUPS') === true && axes[0] === 0;
  const pcount = index === 0 && !groups ? 0 : (h.getNumber('PCOUNT') ?? 0);
  const gcount = index === 0 && !groups ? 1 : (h.getNumber('GCOUNT') ?? 1);
  const counted = groups ? axes.slice(1) : axes;
  const elements = naxis === 0 ? 0 : counted.reduce((a, b) => a * b, 1);
  const dataBytes = naxis === 0 && pcount === 0 ? 0 : (Math.abs(bitpix) / 8) * gcount * (pcount + elements);
  const kind: HduSummary['kind'] = groups
    ? 'other'
    : index === 0 || xtension === 'IMAGE' || xtension === 'IUEIMAGE'
      ? 'image'
      : xtension === 'BINTABLE' || xtension === 'A3DTABLE'
        ? 'bintable'
        : xtension === 'TABLE'
          ? 'table'
          : 'other';
  const headerBytes = endCardOffset + CARD_LENGTH - offset;
  const dataOffset = offset + Math.ceil(headerBytes / BLOCK_LENGTH) * BLOCK_LENGTH;
  if (size < dataOffset && dataBytes === 0) warnings.push(`HDU ${index}: header is not padded to a 2880-byte block`);
  if (size < dataOffset + dataBytes) {
    throw fitsError(
      'fits.truncated',
      file,
      `data is truncated: ${dataBytes} bytes expected from byte ${dataOffset}, the file ends at byte ${size}`,
      { hdu: index, offset: size },
    );
  }
  const padded = Math.ceil(dataBytes / BLOCK_LENGTH) * BLOCK_LENGTH;
  if (dataBytes > 0 && size < dataOffset + padded) warnings.push(`HDU ${index}: data is not padded to a 2880-byte block`);
  const summary: ScannedHdu = { index, kind, bitpix, axes, headerOffset: offset, dataOffset, dataBytes, built, warnings };
  const extname = h.getString('EXTNAME');
  if (extname !== undefined) summary.extname = extname.trim();
  return summary;
}

/** Byte offset where the HDU after `hdu` starts. */
export function nextHduOffset(hdu: HduSummary): number {
  return hdu.dataOffset + Math.ceil(hdu.dataBytes / BLOCK_LENGTH) * BLOCK_LENGTH;
}

/**
 * Walk the HDUs of an open file, reading headers only (data is skipped by offset). Stops at the end of
 * the file, or with a warning at trailing bytes that do not start an XTENSION.
 */
export async function* scanHdus(fh: FileHandle, file: string, size: number, trailing: string[] = []): AsyncGenerator<ScannedHdu> {
  let offset = 0;
  const probe = Buffer.alloc(8);
  for (let index = 0; ; index++) {
    if (index > 0) {
      if (offset >= size) return;
      const n = await readAt(fh, file, probe, 8, offset);
      if (n < 8 || probe.toString('latin1') !== 'XTENSION') {
        trailing.push(`${size - offset} bytes after the last HDU (from byte ${offset}) are not a FITS extension; ignored`);
        return;
      }
    } else if (size === 0) {
      throw fitsError('fits.notFits', file, 'not a FITS file: the file is empty', { offset: 0 });
    } else {
      const n = await readAt(fh, file, probe, Math.min(6, size), 0);
      if (n < 6 || probe.toString('latin1', 0, 6) !== 'SIMPLE') {
        throw fitsError('fits.notFits', file, 'not a FITS file: it does not start with a SIMPLE card', { card: 'SIMPLE', offset: 0 });
      }
    }
    const hdu = await readHduAt(fh, file, size, offset, index);
    yield hdu;
    offset = nextHduOffset(hdu);
  }
}

/** True when an HDU holds a displayable image: image kind, at least 2 axes, non-empty. */
export function isImageHdu(hdu: HduSummary): boolean {
  return hdu.kind === 'image' && hdu.axes.length >= 2 && hdu.axes.every((n) => n > 0);
}

/** List every HDU of a file (headers only). */
export async function listHdus(path: string): Promise<HduSummary[]> {
  const { fh, size } = await openForRead(path);
  try {
    const out: HduSummary[] = [];
    for await (const hdu of scanHdus(fh, path, size)) {
      const { built: _built, warnings: _warnings, ...summary } = hdu;
      out.push(summary);
    }
    return out;
  } finally {
    await fh.close();
  }
}
