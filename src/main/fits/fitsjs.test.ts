import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_DATA_DIR } from '../../../test/helpers/paths';
import { openFitsImage } from './image';

/**
 * Cross-check against fitsjs, an independent browser-era reader. In Node it runs with two shims:
 * an XMLHttpRequest that answers the file's bytes as an ArrayBuffer (its path-argument mode) and a
 * global `astro` (its parser refers to the global it created in browsers). Its async frame reader
 * needs Web Workers from blob URLs, so we call its own decoder `Image#_getFrame` on the frame buffers
 * it prepared. fitsjs ignores BLANK, so where we answer NaN for an integer image it must hold BLANK's value.
 */
const REAL = REAL_DATA_DIR;

interface FitsjsImage {
  width: number;
  height: number;
  depth: number;
  bitpix: number;
  bzero: number;
  bscale: number;
  frameOffsets: { buffers: ArrayBuffer[] }[];
  _getFrame(buffer: ArrayBuffer, bitpix: number, bzero: number, bscale: number): ArrayLike<number>;
}
interface FitsjsHdu {
  header: { get(key: string): unknown };
  data?: FitsjsImage;
}

function loadFitsjs(): new (path: string, callback: (this: { hdus: FitsjsHdu[]; getHDU(): FitsjsHdu }) => void) => unknown {
  const g = globalThis as Record<string, unknown>;
  g.XMLHttpRequest ??= class {
    url = '';
    status = 0;
    response: ArrayBuffer | null = null;
    onload: (() => void) | null = null;
    open(_method: string, url: string): void {
      this.url = url;
    }
    send(): void {
      setTimeout(() => {
        const b = readFileSync(this.url);
        this.status = 200;
        this.response = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        this.onload?.();
      });
    }
  };
  const mod = createRequire(import.meta.url)('fitsjs') as { astro: { FITS: never } };
  g.astro ??= mod.astro;
  return mod.astro.FITS;
}

function readWithFitsjs(path: string): Promise<FitsjsHdu> {
  const FITS = loadFitsjs();
  return new Promise((resolve) => {
    new FITS(path, function () {
      resolve(this.getHDU());
    });
  });
}

const files = existsSync(REAL) ? readdirSync(REAL).filter((f) => f.endsWith('.fits')) : [];

describe.skipIf(files.length === 0)('identical pixels to fitsjs on the real images', () => {
  for (const name of files) {
    it(name, async () => {
      const path = join(REAL, name);
      const hdu = await readWithFitsjs(path);
      const theirs = hdu.data;
      if (!theirs?.frameOffsets) {
        await expect(openFitsImage(path)).rejects.toMatchObject({ code: 'fits.notImage' });
        return;
      }
      const blank = hdu.header.get('BLANK');
      for (let frame = 0; frame < theirs.depth; frame++) {
        const ours = await openFitsImage(path, { plane: [frame] });
        try {
          expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
          const mine = await ours.readRows(0, ours.height);
          const buf = theirs.frameOffsets[frame]!.buffers[0]!.slice(0);
          const ref = theirs._getFrame(buf, theirs.bitpix, theirs.bzero, theirs.bscale);
          expect(ref.length).toBe(mine.length);
          const blankValue = typeof blank === 'number' && ours.bitpix > 0 ? Math.fround(blank * theirs.bscale + theirs.bzero) : NaN;
          let mismatches = 0;
          for (let i = 0; i < mine.length; i++) {
            const same = Object.is(mine[i], Math.fround(ref[i]!)) || (Number.isNaN(mine[i]) && Object.is(Math.fround(ref[i]!), blankValue));
            if (!same) mismatches++;
          }
          expect(mismatches, `frame ${frame}`).toBe(0);
        } finally {
          await ours.close();
        }
      }
    });
  }
});
