import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import { findBeam } from './beam';
import { decodePixels, type Scaling } from './decode';
import { fitsError } from './errors';
import { isImageHdu, openForRead, readAt, scanHdus, type ScannedHdu } from './hdus';
import type { Bitpix, FitsHeader, FitsImage, OpenOptions } from './types';

/** Rows of a region are fetched one by one (not as whole rows) when whole rows would read this much more. */
const REGION_WASTE_FACTOR = 4;
/** Concurrent positioned reads for a region read row by row (libuv's pool has 4 threads). */
const REGION_CONCURRENCY = 8;

/** Find HDU `want` (or the first image HDU) by scanning headers only. */
async function locateHdu(fh: FileHandle, file: string, size: number, want: number | undefined): Promise<ScannedHdu> {
  let count = 0;
  let first: ScannedHdu | undefined;
  for await (const hdu of scanHdus(fh, file, size)) {
    count++;
    first ??= hdu;
    if (want === undefined ? isImageHdu(hdu) : hdu.index === want) return hdu;
  }
  if (want !== undefined) {
    throw fitsError('fits.noSuchHdu', file, `HDU ${want} does not exist: the file has ${count} HDU${count === 1 ? '' : 's'} (0..${count - 1})`, { hdu: want });
  }
  throw fitsError('fits.notImage', file, 'no HDU holds a 2-D (or larger) image', { hdu: first?.index ?? 0, card: 'NAXIS' });
}

function checkImageHdu(file: string, hdu: ScannedHdu): void {
  if (hdu.kind !== 'image') {
    const what = hdu.kind === 'other' ? 'a non-image HDU' : `a ${hdu.kind.toUpperCase()} extension`;
    throw fitsError('fits.notImage', file, `HDU ${hdu.index} is ${what}, not an image`, { hdu: hdu.index, card: 'XTENSION', offset: hdu.headerOffset });
  }
  if (hdu.axes.length < 2) {
    throw fitsError('fits.notImage', file, `HDU ${hdu.index} has no 2-D image (NAXIS = ${hdu.axes.length})`, { hdu: hdu.index, card: 'NAXIS', offset: hdu.headerOffset });
  }
  const empty = hdu.axes.findIndex((n) => n === 0);
  if (empty >= 0) {
    throw fitsError('fits.badAxis', file, `NAXIS${empty + 1} = 0: the image is empty`, { hdu: hdu.index, card: `NAXIS${empty + 1}`, offset: hdu.headerOffset });
  }
}

function scalingOf(file: string, hdu: ScannedHdu, warnings: string[]): Scaling {
  const h = hdu.built.header;
  const bscale = h.getNumber('BSCALE') ?? 1;
  const bzero = h.getNumber('BZERO') ?? 0;
  let blank: number | bigint | null = null;
  const blankValue = h.get('BLANK');
  if (blankValue !== undefined) {
    if (hdu.bitpix < 0) {
      warnings.push(`HDU ${hdu.index}: BLANK = ${String(blankValue)} on a floating-point image is not allowed by FITS; ignored (NaN marks blanks)`);
    } else if (typeof blankValue !== 'number' || !Number.isInteger(blankValue)) {
      warnings.push(`HDU ${hdu.index}: BLANK = ${String(blankValue)} is not an integer; ignored`);
    } else {
      const raw = hdu.built.rawValues.get('BLANK');
      blank = hdu.bitpix === 64 && raw !== undefined ? BigInt(raw.replace(/^\+/, '')) : blankValue;
    }
  }
  if (bscale === 0) warnings.push(`${file}: HDU ${hdu.index}: BSCALE = 0; every pixel reads as BZERO`);
  return { bscale, bzero, blank };
}

class OpenFitsImage implements FitsImage {
  readonly bunit: string;
  readonly beam;
  readonly bytesPerPixel: number;
  readonly planeOffset: number;
  readonly width: number;
  readonly height: number;
  readonly header: FitsHeader;
  private closed = false;

  constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly hdu: number,
    hduInfo: ScannedHdu,
    readonly bitpix: Bitpix,
    readonly planeAxes: { ctype: string; length: number }[],
    readonly plane: number[],
    readonly warnings: string[],
    readonly fileSizeBytes: number,
    readonly mtimeMs: number,
    private readonly scaling: Scaling,
  ) {
    this.header = hduInfo.built.header;
    this.width = hduInfo.axes[0]!;
    this.height = hduInfo.axes[1]!;
    this.bunit = (this.header.getString('BUNIT') ?? '').trim();
    this.beam = findBeam(this.header);
    this.bytesPerPixel = Math.abs(bitpix) / 8;
    let planeIndex = 0;
    let stride = 1;
    for (let i = 0; i < plane.length; i++) {
      planeIndex += plane[i]! * stride;
      stride *= planeAxes[i]!.length;
    }
    this.planeOffset = hduInfo.dataOffset + planeIndex * this.width * this.height * this.bytesPerPixel;
  }

  /** Decode `count` consecutive pixels starting at linear pixel `start` of the plane into out[outIndex..]. */
  private async readSpan(start: number, count: number, out: Float32Array, outIndex: number): Promise<void> {
    if (this.closed) throw new AppError('fits.io', `${this.path}: image is closed`, { file: this.path });
    const bytes = count * this.bytesPerPixel;
    const position = this.planeOffset + start * this.bytesPerPixel;
    // float32: read straight into the output's memory and swap there (no copy, no per-pixel DataView).
    const raw =
      this.bitpix === -32 ? Buffer.from(out.buffer, out.byteOffset + outIndex * 4, bytes) : Buffer.allocUnsafe(bytes);
    const n = await readAt(this.fh, this.path, raw, bytes, position);
    if (n < bytes) {
      throw fitsError('fits.truncated', this.path, `file ended while reading pixel data`, { hdu: this.hdu, offset: position + n });
    }
    decodePixels(this.bitpix, raw, count, out, outIndex, this.scaling);
  }

  async readRows(y0: number, count: number, out?: Float32Array): Promise<Float32Array> {
    if (!Number.isInteger(y0) || !Number.isInteger(count) || y0 < 0 || count < 0 || y0 + count > this.height) {
      throw new AppError('validation', `${this.path}: rows [${y0}, ${y0 + count}) are outside 0..${this.height}`, { file: this.path });
    }
    const n = count * this.width;
    const target = out ?? new Float32Array(n);
    if (target.length < n) throw new AppError('validation', `${this.path}: output array holds ${target.length} < ${n} pixels`, { file: this.path });
    if (n > 0) await this.readSpan(y0 * this.width, n, target, 0);
    return target;
  }

  async readRegion(x0: number, y0: number, w: number, h: number, out?: Float32Array): Promise<Float32Array> {
    if (![x0, y0, w, h].every(Number.isInteger) || w < 0 || h < 0) {
      throw new AppError('validation', `${this.path}: bad region ${x0},${y0} ${w}x${h}`, { file: this.path });
    }
    const target = out ?? new Float32Array(w * h);
    if (target.length < w * h) throw new AppError('validation', `${this.path}: output array holds ${target.length} < ${w * h} pixels`, { file: this.path });
    const xa = Math.max(0, x0);
    const xb = Math.min(this.width, x0 + w);
    const ya = Math.max(0, y0);
    const yb = Math.min(this.height, y0 + h);
    if (xa > x0 || xb < x0 + w || ya > y0 || yb < y0 + h) target.fill(NaN, 0, w * h);
    if (xa >= xb || ya >= yb) return target;
    const cw = xb - xa;
    const rows = yb - ya;
    if (cw === w && cw === this.width) {
      await this.readSpan(ya * this.width, rows * this.width, target, (ya - y0) * w);
    } else if (rows * this.width <= REGION_WASTE_FACTOR * rows * cw) {
      const block = await this.readRows(ya, rows);
      for (let r = 0; r < rows; r++) {
        target.set(block.subarray(r * this.width + xa, r * this.width + xb), (ya - y0 + r) * w + (xa - x0));
      }
    } else {
      for (let r0 = 0; r0 < rows; r0 += REGION_CONCURRENCY) {
        const batch: Promise<void>[] = [];
        for (let r = r0; r < Math.min(rows, r0 + REGION_CONCURRENCY); r++) {
          batch.push(this.readSpan((ya + r) * this.width + xa, cw, target, (ya - y0 + r) * w + (xa - x0)));
        }
        await Promise.all(batch);
      }
    }
    return target;
  }

  async readPixel(x: number, y: number): Promise<number | null> {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    const ix = Math.round(x);
    const iy = Math.round(y);
    if (ix < 0 || iy < 0 || ix >= this.width || iy >= this.height) return null;
    const out = new Float32Array(1);
    await this.readSpan(iy * this.width + ix, 1, out, 0);
    return Number.isNaN(out[0]) ? null : out[0]!;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

/**
 * Open an image HDU for positioned reads; only headers are read here. Default HDU: the first one
 * holding a 2-D (or larger) image; default plane: index 0 on every axis beyond the second.
 * Errors: fits.io, fits.notFits, fits.truncated, fits.badAxis, fits.unsupportedBitpix, fits.notImage, fits.noSuchHdu.
 */
export async function openFitsImage(path: string, options: OpenOptions = {}): Promise<FitsImage> {
  const { fh, size, mtimeMs } = await openForRead(path);
  try {
    const hdu = await locateHdu(fh, path, size, options.hdu);
    checkImageHdu(path, hdu);
    const warnings = [...hdu.warnings];
    const h = hdu.built.header;
    const planeAxes = hdu.axes.slice(2).map((length, i) => ({ ctype: (h.getString(`CTYPE${i + 3}`) ?? '').trim(), length }));
    const plane = planeAxes.map((_, i) => options.plane?.[i] ?? 0);
    if ((options.plane?.length ?? 0) > planeAxes.length && options.plane!.slice(planeAxes.length).some((p) => p !== 0)) {
      throw fitsError('fits.badAxis', path, `plane [${options.plane!.join(', ')}] has more axes than the image (NAXIS = ${hdu.axes.length})`, { hdu: hdu.index, card: 'NAXIS' });
    }
    plane.forEach((p, i) => {
      if (!Number.isInteger(p) || p < 0 || p >= planeAxes[i]!.length) {
        throw fitsError('fits.badAxis', path, `plane index ${p} is outside NAXIS${i + 3} = ${planeAxes[i]!.length}`, { hdu: hdu.index, card: `NAXIS${i + 3}` });
      }
    });
    const scaling = scalingOf(path, hdu, warnings);
    return new OpenFitsImage(fh, path, hdu.index, hdu, hdu.bitpix as Bitpix, planeAxes, plane, warnings, size, mtimeMs, scaling);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The header of one HDU (default: the HDU `openFitsImage` would pick, else HDU 0), reading headers only. */
export async function readHeaderOnly(path: string, hdu?: number): Promise<FitsHeader> {
  const { fh, size } = await openForRead(path);
  try {
    if (hdu === undefined) {
      let first: ScannedHdu | undefined;
      for await (const h of scanHdus(fh, path, size)) {
        first ??= h;
        if (isImageHdu(h)) return h.built.header;
      }
      return first!.built.header;
    }
    return (await locateHdu(fh, path, size, hdu)).built.header;
  } finally {
    await fh.close();
  }
}
