import type { Bitpix } from './types';

/** How raw stored values become physical ones: physical = raw × bscale + bzero; raw === blank -> NaN. */
export interface Scaling {
  bscale: number;
  bzero: number;
  /** BLANK for integer images (ignored for floats); for BITPIX 64 the exact value as a bigint. */
  blank: number | bigint | null;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decode `count` big-endian pixels held in `raw` (bytes [0, count×|bitpix|/8)) into `out` starting at
 * `outIndex`. `raw` is swapped in place. For -32 the caller may pass `raw` aliasing `out`'s own bytes
 * (zero-copy): then only the in-place swap and, when needed, a scaling pass run.
 */
export function decodePixels(bitpix: Bitpix, raw: Buffer, count: number, out: Float32Array, outIndex: number, s: Scaling): void {
  const bytes = (Math.abs(bitpix) / 8) * count;
  const view = raw.subarray(0, bytes);
  const identity = s.bscale === 1 && s.bzero === 0;
  switch (bitpix) {
    case -32: {
      if (LITTLE_ENDIAN) view.swap32();
      const src = new Float32Array(view.buffer, view.byteOffset, count);
      const aliased = src.buffer === out.buffer && src.byteOffset === out.byteOffset + outIndex * 4;
      if (identity) {
        if (!aliased) out.set(src, outIndex);
        return;
      }
      for (let i = 0; i < count; i++) out[outIndex + i] = src[i]! * s.bscale + s.bzero;
      return;
    }
    case -64: {
      if (LITTLE_ENDIAN) view.swap64();
      const src = aligned(view, 8, (b, o, n) => new Float64Array(b, o, n), count);
      for (let i = 0; i < count; i++) out[outIndex + i] = src[i]! * s.bscale + s.bzero;
      return;
    }
    case 16: {
      if (LITTLE_ENDIAN) view.swap16();
      const src = aligned(view, 2, (b, o, n) => new Int16Array(b, o, n), count);
      decodeIntegers(src, count, out, outIndex, s);
      return;
    }
    case 32: {
      if (LITTLE_ENDIAN) view.swap32();
      const src = aligned(view, 4, (b, o, n) => new Int32Array(b, o, n), count);
      decodeIntegers(src, count, out, outIndex, s);
      return;
    }
    case 8:
      decodeIntegers(view, count, out, outIndex, s);
      return;
    case 64: {
      if (LITTLE_ENDIAN) view.swap64();
      const src = aligned(view, 8, (b, o, n) => new BigInt64Array(b, o, n), count);
      const blank = s.blank === null ? null : BigInt(s.blank);
      for (let i = 0; i < count; i++) {
        const v = src[i]!;
        out[outIndex + i] = blank !== null && v === blank ? NaN : Number(v) * s.bscale + s.bzero;
      }
      return;
    }
  }
}

function decodeIntegers(src: ArrayLike<number>, count: number, out: Float32Array, outIndex: number, s: Scaling): void {
  const { bscale, bzero } = s;
  const blank = typeof s.blank === 'bigint' ? Number(s.blank) : s.blank;
  if (blank === null) {
    for (let i = 0; i < count; i++) out[outIndex + i] = src[i]! * bscale + bzero;
  } else {
    for (let i = 0; i < count; i++) {
      const v = src[i]!;
      out[outIndex + i] = v === blank ? NaN : v * bscale + bzero;
    }
  }
}

/** A typed view on `buf`, copying first when its offset is not a multiple of the element size. */
function aligned<T>(buf: Buffer, size: number, make: (b: ArrayBufferLike, o: number, n: number) => T, count: number): T {
  if (buf.byteOffset % size === 0) return make(buf.buffer, buf.byteOffset, count);
  const copy = new Uint8Array(count * size);
  copy.set(buf.subarray(0, count * size));
  return make(copy.buffer, 0, count);
}
