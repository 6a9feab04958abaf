/**
 * Tile-sized work arrays reused from one tile task to the next. A fresh 4 MB typed array per plane,
 * map and label image cost page faults and zeroing by the kernel for every tile (~15 MB per detect
 * tile, ~1 GB over a 7200² image; crowded map −0.25…0.3 s wall). One set belongs to one sequence of
 * tasks that never overlap — a worker thread, or one in-process runner — and nothing a task returns
 * points into it.
 */
import { FitScratch } from './levenbergMarquardt';

/** Largest array kept per slot: a 2048² float32 plane (a 1024 tile with its margin is ~5 MB). */
const MAX_KEPT_BYTES = 16 * 2 ** 20;

export class TileBuffers {
  private readonly slots = new Map<string, ArrayBuffer>();
  /** The fits' work arrays (levenbergMarquardt.ts), kept across tiles as well. */
  readonly fit = new FitScratch();

  private take(slot: string, bytes: number): ArrayBuffer {
    // a plane far larger than a tile (a 'complete' task grown around a huge island) is not kept:
    // the set would hold it, and its maps and labels, for the rest of the run
    if (bytes > MAX_KEPT_BYTES) return new ArrayBuffer(bytes);
    let buf = this.slots.get(slot);
    if (!buf || buf.byteLength < bytes) {
      // a little headroom: tiles at the image's edges and the complete tasks' planes vary in size
      buf = new ArrayBuffer(Math.ceil(bytes * 1.25));
      this.slots.set(slot, buf);
    }
    return buf;
  }

  /** n float32 values (contents undefined: the caller writes every value). */
  float32(slot: string, n: number): Float32Array {
    return new Float32Array(this.take(slot, 4 * n), 0, n);
  }

  /** n uint8 values (contents undefined). */
  uint8(slot: string, n: number): Uint8Array {
    return new Uint8Array(this.take(slot, n), 0, n);
  }

  /** n int32 zeros. */
  zeroInt32(slot: string, n: number): Int32Array {
    return new Int32Array(this.take(slot, 4 * n), 0, n).fill(0);
  }
}
