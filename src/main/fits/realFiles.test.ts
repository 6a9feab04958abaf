import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REAL_DATA_DIR } from '../../../test/helpers/paths';
import { listHdus } from './hdus';
import { openFitsImage } from './image';

/** The real radio images (see PROVENANCE.md there); expected values are astropy's, from scripts/golden/fitsFixtures.py. */
const REAL = REAL_DATA_DIR;
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/fits', import.meta.url));
const expected: Record<string, any> = JSON.parse(readFileSync(join(FIXTURES, 'realFiles.json'), 'utf8'));
const images = Object.entries(expected).filter(([, e]) => e.image);

describe.skipIf(!existsSync(REAL))('real radio images match astropy', () => {
  it('covers the 10 images', () => {
    expect(images).toHaveLength(10);
  });

  for (const [name, want] of images) {
    it(name, async () => {
      const path = join(REAL, name);
      expect((await listHdus(path)).length).toBe(want.hdus);
      const image = await openFitsImage(path);
      try {
        expect(image.hdu).toBe(want.hdu);
        expect([image.width, image.height, image.bitpix, image.bunit]).toEqual([want.width, want.height, want.bitpix, want.bunit]);
        expect(image.planeAxes).toEqual(want.planeAxes);
        expect(image.beam).toEqual(want.beam);
        const plane = await image.readRows(0, image.height);
        let nan = 0;
        let sum = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const v of plane) {
          if (Number.isNaN(v)) nan++;
          else {
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
          }
        }
        expect(nan).toBe(want.nanCount);
        expect(Math.abs(sum - want.finiteSum)).toBeLessThanOrEqual(1e-6 * Math.abs(want.finiteSum) + 1e-9);
        // astropy scales 32-bit integers in float64; our float32 output is that value rounded.
        expect(min).toBe(Math.fround(want.min));
        expect(max).toBe(Math.fround(want.max));
        for (const [x, y, v] of want.samples as [number, number, number | null][]) {
          expect(await image.readPixel(x, y), `${x},${y}`).toBe(v === null ? null : Math.fround(v));
        }
      } finally {
        await image.close();
      }
    });
  }

  it('lists the AIPS CC and History tables after the image', async () => {
    const hdus = await listHdus(join(REAL, 'obit_3C286_EVLA_Lband.fits'));
    expect(hdus.map((h) => [h.kind, h.extname ?? null, h.bitpix])).toEqual([['image', null, 32], ['bintable', 'History', 8], ['bintable', 'AIPS CC', 8]]);
    expect(hdus[0]!.axes).toEqual([201, 201, 1, 1]);
    expect(hdus[2]!.axes).toEqual([36, 145]);
    // Each HDU starts on a 2880-byte boundary right after the previous padded data.
    for (let i = 1; i < hdus.length; i++) {
      expect(hdus[i]!.headerOffset).toBe(hdus[i - 1]!.dataOffset + Math.ceil(hdus[i - 1]!.dataBytes / 2880) * 2880);
    }
  });

  it('reads the Stokes cube planes and warns about BLANK on a float image', async () => {
    const planes = await Promise.all([0, 1, 2].map((s) => openFitsImage(join(REAL, 'obit_3C138_VLA15GHz_IQUcube.fits'), { plane: [s, 0] })));
    const peaks = await Promise.all(planes.map(async (p) => Math.max(...(await p.readRows(0, p.height)))));
    expect(peaks[0]).toBeCloseTo(0.83, 2);
    expect(planes[1]!.planeOffset - planes[0]!.planeOffset).toBe(93 * 74 * 4);
    await Promise.all(planes.map((p) => p.close()));
    const pd = await openFitsImage(join(REAL, 'aegean_PD_2000_sub_ATCA.fits'));
    expect(pd.warnings).toHaveLength(1);
    expect(await pd.readRows(0, 100).then((r) => r.some(Number.isNaN))).toBe(false);
    await pd.close();
  });
});
