import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import type { HeaderCard } from '../../shared/contract/images';
import { BLOCK_LENGTH } from './cards';
import { formatCard } from './formatCard';
import type { WriteImageOptions } from './types';

/** Keywords the writer owns; copies in `cards` are dropped so the header stays valid. */
const MANDATORY = new Set(['SIMPLE', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND', 'END']);
const DEFAULT_BLANK: Record<number, number> = { 16: -32768, 32: -2147483648 };
const RANGE: Record<number, [number, number]> = { 8: [0, 255], 16: [-32768, 32767], 32: [-2147483648, 2147483647] };

function headerBytes(width: number, height: number, bitpix: number, extra: HeaderCard[]): Buffer {
  const cards: HeaderCard[] = [
    { key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' },
    { key: 'BITPIX', value: bitpix, comment: 'array data type' },
    { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
    { key: 'NAXIS1', value: width },
    { key: 'NAXIS2', value: height },
    ...extra.filter((c) => !MANDATORY.has(c.key)),
  ];
  let text = cards.map(formatCard).join('') + 'END'.padEnd(80);
  text = text.padEnd(Math.ceil(text.length / BLOCK_LENGTH) * BLOCK_LENGTH, ' ');
  return Buffer.from(text, 'latin1');
}

/** Physical float32 values -> big-endian stored bytes for one block of rows. */
function encodeBlock(block: Float32Array, bitpix: number, bscale: number, bzero: number, blank: number | null): Buffer {
  const n = block.length;
  if (bitpix === -32 && bscale === 1 && bzero === 0) {
    const buf = Buffer.allocUnsafe(n * 4);
    new Float32Array(buf.buffer, buf.byteOffset, n).set(block);
    return buf.swap32();
  }
  if (bitpix === -32 || bitpix === -64) {
    const buf = Buffer.allocUnsafe(n * (bitpix === -32 ? 4 : 8));
    const view = bitpix === -32 ? new Float32Array(buf.buffer, buf.byteOffset, n) : new Float64Array(buf.buffer, buf.byteOffset, n);
    for (let i = 0; i < n; i++) view[i] = (block[i]! - bzero) / bscale;
    return bitpix === -32 ? buf.swap32() : buf.swap64();
  }
  const [lo, hi] = RANGE[bitpix]!;
  const buf = Buffer.allocUnsafe(n * (bitpix / 8));
  const view = bitpix === 8 ? buf : bitpix === 16 ? new Int16Array(buf.buffer, buf.byteOffset, n) : new Int32Array(buf.buffer, buf.byteOffset, n);
  const nanValue = blank ?? 0;
  for (let i = 0; i < n; i++) {
    const v = block[i]!;
    view[i] = Number.isNaN(v) ? nanValue : Math.min(hi, Math.max(lo, Math.round((v - bzero) / bscale)));
  }
  return bitpix === 8 ? buf : bitpix === 16 ? buf.swap16() : buf.swap32();
}

/** Write all of `buf` at the current position (a file write may be short). */
async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let done = 0;
  while (done < buf.length) done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
}

async function* blocksOf(data: WriteImageOptions['data']): AsyncGenerator<Float32Array> {
  if (data instanceof Float32Array) {
    yield data;
    return;
  }
  for await (const block of data as AsyncIterable<Float32Array>) yield block;
}

function numberCard(cards: HeaderCard[], key: string): number | undefined {
  let v: unknown;
  for (const c of cards) if (c.key === key) v = c.value;
  return typeof v === 'number' ? v : undefined;
}

/**
 * Write a 2-D primary-HDU FITS image, streaming row blocks so a 1 GB image never sits in memory.
 * Integer BITPIX store round((v - BZERO) / BSCALE) with BSCALE/BZERO/BLANK taken from `cards`; NaN
 * becomes BLANK (16/32 get a default BLANK card when none is given; 8 stores 0 without one).
 * The file is written beside `path` and renamed at the end, so a failure never leaves half a file.
 */
export async function writeFitsImage(path: string, options: WriteImageOptions): Promise<void> {
  const { width, height } = options;
  const bitpix = options.bitpix ?? -32;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AppError('validation', `${path}: bad image size ${width}x${height}`, { file: path });
  }
  const extra = [...(options.cards ?? [])];
  const bscale = numberCard(extra, 'BSCALE') ?? 1;
  const bzero = numberCard(extra, 'BZERO') ?? 0;
  let blank: number | null = null;
  if (bitpix > 0) {
    blank = numberCard(extra, 'BLANK') ?? DEFAULT_BLANK[bitpix] ?? null;
    if (blank !== null && numberCard(extra, 'BLANK') === undefined) extra.push({ key: 'BLANK', value: blank, comment: 'stored value of undefined pixels' });
  }
  const tmp = `${path}.${process.pid}.partial`;
  const fh = await open(tmp, 'w').catch((err: NodeJS.ErrnoException) => {
    throw new AppError('fits.io', `${path}: cannot create: ${err.code ?? err.message}`, { file: path });
  });
  let ok = false;
  let pending: Promise<void> = Promise.resolve();
  try {
    await writeAll(fh, headerBytes(width, height, bitpix, extra));
    let rows = 0;
    // One write in flight while the next block is produced and encoded (encoding copies, so the
    // producer may reuse its block buffer).
    for await (const block of blocksOf(options.data)) {
      if (block.length % width !== 0) {
        throw new AppError('validation', `${path}: a data block of ${block.length} values is not a whole number of ${width}-pixel rows`, { file: path });
      }
      rows += block.length / width;
      if (rows > height) throw new AppError('validation', `${path}: data has more than ${height} rows`, { file: path });
      const encoded = encodeBlock(block, bitpix, bscale, bzero, blank);
      await pending;
      pending = writeAll(fh, encoded);
    }
    await pending;
    if (rows !== height) throw new AppError('validation', `${path}: data has ${rows} rows, expected ${height}`, { file: path });
    const dataBytes = width * height * (Math.abs(bitpix) / 8);
    const padding = (BLOCK_LENGTH - (dataBytes % BLOCK_LENGTH)) % BLOCK_LENGTH;
    if (padding > 0) await writeAll(fh, Buffer.alloc(padding));
    ok = true;
  } finally {
    await pending.catch(() => undefined);
    await fh.close();
    if (!ok) await rm(tmp, { force: true });
  }
  await rename(tmp, path);
}
