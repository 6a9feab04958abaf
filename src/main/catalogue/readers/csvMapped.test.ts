import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvMapping } from '../../../shared/contract/catalogues';
import type { HeaderCard } from '../../../shared/contract/images';
import { writeFitsImage } from '../../fits/writer';
import { listDirectory } from '../../app/fileBrowser';
import { readCatalogue } from '../registry';
import { guessMapping, previewCsv } from './csvMapped';

const PYTHON = '/usr/bin/python3';
const hasAstropy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import astropy'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'csv-mapped-'));
const image = join(dir, 'tan.fits');
// TAN image, 2″ pixels, reference pixel (FITS 50.5, 40.5) at RA 187.5 (12h30m), Dec −45.5 (−45°30′).
const cards: HeaderCard[] = [
  { key: 'CTYPE1', value: 'RA---TAN' }, { key: 'CTYPE2', value: 'DEC--TAN' }, { key: 'CRPIX1', value: 50.5 }, { key: 'CRPIX2', value: 40.5 },
  { key: 'CRVAL1', value: 187.5 }, { key: 'CRVAL2', value: -45.5 }, { key: 'CDELT1', value: -2 / 3600 }, { key: 'CDELT2', value: 2 / 3600 },
  { key: 'RADESYS', value: 'FK5' }, { key: 'EQUINOX', value: 2000 },
];

/** Odd names, sexagesimal positions, mJy fluxes, arcmin sizes, semicolons. */
const ODD = [
  '# exported by some survey tool',
  'Src_Designation;RAJ2000_hms;DEJ2000_dms;Sint_mJy;Speak_mJybm;Sig2Noise;MajAx_am;MinAx_am;PosAng',
  'J1230-4530;12:30:00.000;-45:30:00.00;12.5;10.0;40.2;0.5;0.25;30',
  'J1229-4529;12 29 59.000;-45 29 30.0;0.8;0.7;5.1;0.3;0.2;170',
  'J1230-4531;12h30m01s;-45d31m00s;;0.5;4.0;;;',
].join('\n');
const ODD_MAPPING: CsvMapping = {
  position: { kind: 'sky', ra: 'RAJ2000_hms', dec: 'DEJ2000_dms' }, name: 'Src_Designation', flux: 'Sint_mJy', fluxUnit: 'mJy',
  peak: 'Speak_mJybm', peakUnit: 'mJy', snr: 'Sig2Noise', bmaj: 'MajAx_am', bmin: 'MinAx_am', sizeUnit: 'arcmin', pa: 'PosAng',
};

beforeAll(async () => {
  await writeFitsImage(image, { width: 100, height: 80, cards, data: new Float32Array(100 * 80) });
  writeFileSync(join(dir, 'odd.txt'), ODD);
  writeFileSync(join(dir, 'pixels.tsv'), 'ident\tXPOS\tYPOS\tF\n1\t1\t1\t0.5\n2\t50.5\t40.5\t0.25\n');
  writeFileSync(join(dir, 'blank.dat'), 'nm  colA  colB\nq  10.5  20\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV column mapping', () => {
  it('guesses the usual names; leaves odd ones to the user', () => {
    expect(guessMapping(['RAJ2000', 'DEJ2000', 'Name', 'Total_flux', 'Peak_flux', 'S/N', 'Maj', 'Min', 'PA'])).toEqual({
      position: { kind: 'sky', ra: 'RAJ2000', dec: 'DEJ2000' }, name: 'Name', flux: 'Total_flux', fluxUnit: 'Jy', peak: 'Peak_flux', peakUnit: 'Jy',
      snr: 'S/N', bmaj: 'Maj', bmin: 'Min', sizeUnit: 'arcsec', pa: 'PA',
    });
    expect(guessMapping(['x_image', 'y_image', 'flux_mJy']).position).toEqual({ kind: 'pixel', x: 'x_image', y: 'y_image', base: 0 });
    expect(guessMapping(['x_image', 'y_image', 'flux_mJy']).fluxUnit).toBe('mJy');
    expect(guessMapping(['RAJ2000_hms', 'DEJ2000_dms']).position).toBeUndefined();
  });

  it('preview: delimiter, columns, first rows (comment lines skipped)', async () => {
    const p = await previewCsv(join(dir, 'odd.txt'));
    expect(p.delimiter).toBe(';');
    expect(p.columns[1]).toBe('RAJ2000_hms');
    expect(p.samples).toHaveLength(3);
    expect(p.samples[1]![1]).toBe('12 29 59.000');
    expect(p.native).toBe(false);
    expect((await previewCsv(join(dir, 'blank.dat'))).columns).toEqual(['nm', 'colA', 'colB']);
  });

  it('a CSV with odd column names imports after mapping: sexagesimal → degrees → pixels, mJy → Jy, arcmin → arcsec', async () => {
    const cat = await readCatalogue(join(dir, 'odd.txt'), { image, csvMapping: ODD_MAPPING });
    expect(cat.sources.map((s) => s.name)).toEqual(['J1230-4530', 'J1229-4529', 'J1230-4531']);
    const [a, b, c] = cat.sources;
    expect(a!.ra).toBeCloseTo(187.5, 10);
    expect(a!.dec).toBeCloseTo(-45.5, 10);
    // The reference pixel: exact.
    expect(a!.x).toBeCloseTo(49.5, 6);
    expect(a!.y).toBeCloseTo(39.5, 6);
    expect(b!.ra).toBeCloseTo(((12 + 29 / 60 + 59 / 3600) * 15), 10);
    expect(b!.dec).toBeCloseTo(-(45 + 29.5 / 60), 10);
    expect(c!.ra).toBeCloseTo((12 + 30 / 60 + 1 / 3600) * 15, 10);
    expect(a!.flux).toBeCloseTo(0.0125, 12);
    expect(a!.peak).toBeCloseTo(0.01, 12);
    expect(a!.snr).toBe(40.2);
    expect(a!.bmajArcsec).toBeCloseTo(30, 10);
    expect(a!.bminArcsec).toBeCloseTo(15, 10);
    expect(a!.paDeg).toBe(30);
    expect(c!.flux).toBeUndefined();
    expect(c!.bmajArcsec).toBeUndefined();
    if (hasAstropy) {
      const script = `
import sys, json
from astropy.io import fits
from astropy.wcs import WCS
from astropy.coordinates import SkyCoord
import astropy.units as u
w = WCS(fits.getheader(sys.argv[1]))
out = []
for s in json.loads(sys.argv[2]):
    c = SkyCoord(s[0], s[1], unit=(u.hourangle, u.deg), frame='fk5')
    x, y = w.world_to_pixel(c)
    out.append([c.ra.deg, c.dec.deg, float(x), float(y)])
print(json.dumps(out))`;
      const r = spawnSync(PYTHON, ['-c', script, image, JSON.stringify([['12:29:59.000', '-45:29:30.0'], ['12h30m01s', '-45d31m00s']])], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const ref = JSON.parse(r.stdout) as number[][];
      for (const [k, s] of [b!, c!].entries()) {
        expect(s.ra).toBeCloseTo(ref[k]![0]!, 9);
        expect(s.dec).toBeCloseTo(ref[k]![1]!, 9);
        expect(Math.abs(s.x - ref[k]![2]!)).toBeLessThan(1e-6);
        expect(Math.abs(s.y - ref[k]![3]!)).toBeLessThan(1e-6);
      }
    }
  });

  it('pixel positions: 1-based columns become Pixel0; the WCS fills RA/Dec; tab separated', async () => {
    const cat = await readCatalogue(join(dir, 'pixels.tsv'), {
      image, csvMapping: { position: { kind: 'pixel', x: 'XPOS', y: 'YPOS', base: 1 }, name: 'ident', flux: 'F' },
    });
    expect(cat.sources.map((s) => [s.x, s.y])).toEqual([[0, 0], [49.5, 39.5]]);
    expect(cat.sources[1]!.ra).toBeCloseTo(187.5, 10);
    expect(cat.sources[1]!.dec).toBeCloseTo(-45.5, 10);
    expect(cat.sources[0]!.flux).toBe(0.5);
  });

  it('errors name the file and the column: a missing column, sky positions without an image, a bad number', async () => {
    await expect(readCatalogue(join(dir, 'odd.txt'), { image, csvMapping: { ...ODD_MAPPING, flux: 'nope' } })).rejects.toMatchObject({
      code: 'catalogue.parseFailed', message: expect.stringContaining("'nope'"),
    });
    await expect(readCatalogue(join(dir, 'odd.txt'), { csvMapping: ODD_MAPPING })).rejects.toMatchObject({ code: 'validation' });
    await expect(
      readCatalogue(join(dir, 'odd.txt'), { image, csvMapping: { ...ODD_MAPPING, snr: 'Src_Designation' } }),
    ).rejects.toMatchObject({ code: 'catalogue.parseFailed', details: { line: 3, field: 'Src_Designation' } });
  });

  it('files.list kind catalogue lists catalogue files; the default still lists only FITS', async () => {
    const cats = (await listDirectory(dir, 'catalogue')).entries.map((e) => e.name);
    expect(cats).toEqual(expect.arrayContaining(['odd.txt', 'pixels.tsv', 'blank.dat', 'tan.fits']));
    expect((await listDirectory(dir)).entries.map((e) => e.name)).toEqual(['tan.fits']);
  });
});
