import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { realImage } from '../../../test/helpers/paths';
import { listHdus } from './hdus';
import { openFitsImage } from './image';
import type { FitsImage } from './types';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/fits', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const opened: FitsImage[] = [];
async function openFixture(name: string, options?: Parameters<typeof openFitsImage>[1]): Promise<FitsImage> {
  const image = await openFitsImage(join(FIXTURES, name), options);
  opened.push(image);
  return image;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((i) => i.close()));
});

/** Our float32 values against astropy's float64 physical values (null = NaN/BLANK). */
function expectClose(got: Float32Array, want: (number | null)[], relTol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === null) expect(Number.isNaN(got[i]), `pixel ${i} should be NaN`).toBe(true);
    else expect(Math.abs(got[i]! - w), `pixel ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(relTol * Math.abs(w) + 1e-30);
  }
}

describe('decoding every BITPIX with BSCALE/BZERO/BLANK (astropy reference)', () => {
  const cases: [string, number, number][] = [
    ['bitpix8.fits', 8, 0],
    ['bitpix16.fits', 16, 1e-6],
    ['uint16.fits', 16, 0],
    ['bitpix32.fits', 32, 1e-7],
    ['bitpix64.fits', 64, 1e-7],
    ['bitpix-32.fits', -32, 0],
    ['bitpix-64.fits', -64, 1e-7],
  ];
  for (const [name, bitpix, tol] of cases) {
    it(`${name}: same values as astropy`, async () => {
      const want = expected[name];
      const image = await openFixture(name);
      expect([image.width, image.height, image.bitpix]).toEqual([want.width, want.height, bitpix]);
      expect(image.bytesPerPixel).toBe(Math.abs(bitpix) / 8);
      // float32 output: astropy's float64 rounded to float32 is exact for 8/uint16/-32; others within `tol`.
      expectClose(await image.readRows(0, image.height), want.values.map((v: number | null) => (v === null || tol > 0 ? v : Math.fround(v))), tol);
      expect(want.values.some((v: number | null) => v === null)).toBe(name !== 'uint16.fits');
    });
  }

  it('warns (and ignores) BLANK on a float image', async () => {
    const image = await openFixture('bitpix-32.fits');
    expect(image.warnings).toEqual([]);
    const real = await openFitsImage(realImage('aegean_PD_2000_sub_ATCA.fits'));
    opened.push(real);
    expect(real.warnings.join('\n')).toMatch(/BLANK = -1 on a floating-point image/);
  });
});

describe('cube planes and extensions', () => {
  it('selects any plane of a 4-D cube by offset and lists the plane axes', async () => {
    const want = expected['cube.fits'];
    expect(want.axes).toEqual([9, 6, 3, 2]);
    for (const [c, s] of [[0, 0], [2, 0], [1, 1], [2, 1]] as const) {
      const image = await openFixture('cube.fits', { plane: [c, s] });
      expect(image.planeAxes).toEqual([{ ctype: 'FREQ', length: 3 }, { ctype: 'STOKES', length: 2 }]);
      expect(image.plane).toEqual([c, s]);
      const start = (s * 3 + c) * 54;
      expect(Array.from(await image.readRows(0, 6))).toEqual(want.values.slice(start, start + 54));
    }
  });

  it('defaults to plane 0 and rejects a plane outside its axis', async () => {
    expect((await openFixture('cube.fits')).plane).toEqual([0, 0]);
    await expect(openFitsImage(join(FIXTURES, 'cube.fits'), { plane: [3, 0] })).rejects.toMatchObject({ code: 'fits.badAxis', details: { card: 'NAXIS3' } });
  });

  it('skips an empty primary and a BINTABLE to the IMAGE extension by default', async () => {
    const hdus = await listHdus(join(FIXTURES, 'extensions.fits'));
    expect(hdus.map((h) => [h.kind, h.extname])).toEqual([['image', undefined], ['bintable', 'CAT'], ['image', 'SCI']]);
    expect(hdus[2]!.dataOffset % 2880).toBe(0);
    const image = await openFixture('extensions.fits');
    expect(image.hdu).toBe(2);
    expect(Array.from(await image.readRows(0, 5))).toEqual(expected['extensions.fits'].values);
    expect((await openFixture('extensions.fits', { hdu: 2 })).hdu).toBe(2);
  });
});

describe('positioned reads', () => {
  it('readRows reads any block of rows and fills a caller buffer', async () => {
    const image = await openFixture('cube.fits', { plane: [1, 0] });
    const out = new Float32Array(9 * 2 + 5).fill(-1);
    const got = await image.readRows(3, 2, out);
    expect(got).toBe(out);
    expect(Array.from(out.subarray(0, 18))).toEqual(Array.from({ length: 18 }, (_, i) => 100 + 27 + i));
    expect(out[18]).toBe(-1);
    await expect(image.readRows(5, 2)).rejects.toMatchObject({ code: 'validation' });
  });

  it('readRegion clips to the image with NaN outside, in both read strategies', async () => {
    const image = await openFixture('cube.fits');
    const value = (x: number, y: number): number => (x >= 0 && x < 9 && y >= 0 && y < 6 ? y * 9 + x : NaN);
    for (const [x0, y0, w, h] of [[-2, -1, 5, 4], [7, 4, 4, 3], [1, 1, 7, 4], [0, 0, 9, 6], [4, 2, 1, 1], [-3, -3, 15, 12], [20, 20, 2, 2]] as const) {
      const got = await image.readRegion(x0, y0, w, h);
      const want = Array.from({ length: w * h }, (_, i) => value(x0 + (i % w), y0 + Math.floor(i / w)));
      expect(Array.from(got), `${x0},${y0} ${w}x${h}`).toEqual(want);
    }
  });

  it('readPixel takes the nearest pixel and answers null outside or on NaN/BLANK', async () => {
    const image = await openFixture('cube.fits');
    expect(await image.readPixel(2.4, 3.49)).toBe(29);
    expect(await image.readPixel(-0.4, 0)).toBe(0);
    expect(await image.readPixel(8.6, 0)).toBeNull();
    expect(await image.readPixel(0, -0.6)).toBeNull();
    const blanks = await openFixture('bitpix16.fits');
    expect(await blanks.readPixel(1, 1)).toBeNull();
    expect(await blanks.readPixel(2, 1)).not.toBeNull();
  });

  it('reports file identity, plane offset and errors after close', async () => {
    const image = await openFixture('extensions.fits');
    expect(image.fileSizeBytes).toBe(14400);
    expect(image.mtimeMs).toBeGreaterThan(0);
    expect(image.planeOffset).toBe((await listHdus(join(FIXTURES, 'extensions.fits')))[2]!.dataOffset);
    await image.close();
    await expect(image.readPixel(0, 0)).rejects.toMatchObject({ code: 'fits.io' });
  });
});

describe('END detection across 2880-byte blocks', () => {
  // 35 cards + END fill block 1 exactly; 287 + END put END first in block 9 (the second 8-block header read).
  for (const [cardsBeforeEnd, headerBlocks] of [[35, 1], [36, 2], [287, 8], [288, 9], [400, 12]] as const) {
    it(`${cardsBeforeEnd} cards before END -> data at block ${headerBlocks}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fits-end-'));
      try {
        const cards = ['SIMPLE  =                    T', 'BITPIX  =                   16', 'NAXIS   =                    2', 'NAXIS1  =                    2', 'NAXIS2  =                    1'];
        while (cards.length < cardsBeforeEnd) cards.push(`HISTORY filler ${cards.length}`);
        cards.push('END');
        const head = cards.map((c) => c.padEnd(80)).join('');
        const data = Buffer.alloc(2880);
        data.writeInt16BE(-7, 0);
        data.writeInt16BE(1234, 2);
        const path = join(dir, 'end.fits');
        writeFileSync(path, Buffer.concat([Buffer.from(head.padEnd(Math.ceil(head.length / 2880) * 2880), 'latin1'), data]));
        const [hdu] = await listHdus(path);
        expect(hdu!.dataOffset).toBe(headerBlocks * 2880);
        const image = await openFitsImage(path);
        expect(Array.from(await image.readRows(0, 1))).toEqual([-7, 1234]);
        expect(image.header.text).toHaveLength(cardsBeforeEnd + 1);
        await image.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('large files', () => {
  it('opens a 4 GB image by reading headers only and reads rows at the far end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fits-sparse-'));
    const path = join(dir, 'huge.fits');
    try {
      const side = 32768;
      const cards = ['SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    2', `NAXIS1  = ${String(side).padStart(20)}`, `NAXIS2  = ${String(side).padStart(20)}`, 'END'];
      writeFileSync(path, cards.map((c) => c.padEnd(80)).join('').padEnd(2880));
      // A sparse file: 4 GB of zero data that is never written, so only a header-only open can be fast.
      truncateSync(path, 2880 + side * side * 4);
      const t0 = performance.now();
      const image = await openFitsImage(path);
      expect(performance.now() - t0).toBeLessThan(500);
      expect([image.width, image.height, image.fileSizeBytes]).toEqual([side, side, 2880 + side * side * 4]);
      const last = await image.readRows(side - 2, 2);
      expect(last.length).toBe(2 * side);
      expect(last.every((v) => v === 0)).toBe(true);
      expect(await image.readPixel(side - 1, side - 1)).toBe(0);
      await image.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
