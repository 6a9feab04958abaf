import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { listHdus } from './hdus';
import { openFitsImage, readHeaderOnly } from './image';

const dir = mkdtempSync(join(tmpdir(), 'fits-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A header block from card texts (END added, padded to 2880). */
function header(cards: string[]): Buffer {
  const text = [...cards, 'END'].map((c) => c.padEnd(80)).join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880), 'latin1');
}
const pad = (n: number): Buffer => Buffer.alloc((2880 - (n % 2880)) % 2880);
const image2d = (extra: string[] = [], bitpix = '-32', n1 = '4', n2 = '3'): string[] => [
  'SIMPLE  =                    T',
  `BITPIX  = ${bitpix.padStart(20)}`,
  'NAXIS   =                    2',
  `NAXIS1  = ${n1.padStart(20)}`,
  `NAXIS2  = ${n2.padStart(20)}`,
  ...extra,
];
function file(name: string, ...parts: Buffer[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
const data = (bytes: number): Buffer => Buffer.concat([Buffer.alloc(bytes), pad(bytes)]);

/** Assert the error code, that the message names the file and the card/offset, and the details. */
async function expectFitsError(p: Promise<unknown>, path: string, code: string, place: { card?: string; offset?: number; hdu?: number }): Promise<AppError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe(code);
  expect(e.message).toContain(path);
  expect(e.details).toMatchObject({ file: path, ...place });
  if (place.card !== undefined) expect(e.message).toContain(`card ${place.card}`);
  if (place.offset !== undefined) expect(e.message).toContain(`byte offset ${place.offset}`);
  return e;
}

describe('coded FITS errors', () => {
  it('fits.notFits: a text file', async () => {
    const path = file('notfits.txt', Buffer.from('hello, this is not FITS\n'.repeat(200)));
    await expectFitsError(openFitsImage(path), path, 'fits.notFits', { card: 'SIMPLE', offset: 0 });
    await expectFitsError(listHdus(path), path, 'fits.notFits', { offset: 0 });
  });

  it('fits.notFits: SIMPLE = F and an empty file', async () => {
    const path = file('simplef.fits', header(['SIMPLE  =                    F', 'BITPIX  =                    8', 'NAXIS   =                    0']));
    await expectFitsError(openFitsImage(path), path, 'fits.notFits', { card: 'SIMPLE', offset: 0 });
    const empty = file('empty.fits');
    await expectFitsError(openFitsImage(empty), empty, 'fits.notFits', { offset: 0 });
  });

  it('fits.truncated: file cut in the middle of the data', async () => {
    const full = Buffer.concat([header(image2d([], '-32', '100', '100')), data(40000)]);
    const path = file('cut.fits', full.subarray(0, 2880 + 12345));
    await expectFitsError(openFitsImage(path), path, 'fits.truncated', { hdu: 0, offset: 2880 + 12345 });
  });

  it('fits.truncated: header without END', async () => {
    const cards = image2d().map((c) => c.padEnd(80)).join('');
    const path = file('noend.fits', Buffer.from(cards, 'latin1'));
    await expectFitsError(openFitsImage(path), path, 'fits.truncated', { hdu: 0, offset: cards.length });
  });

  it('fits.badAxis: missing NAXIS2', async () => {
    const cards = image2d().filter((c) => !c.startsWith('NAXIS2'));
    const path = file('nonaxis2.fits', header(cards), data(48));
    await expectFitsError(openFitsImage(path), path, 'fits.badAxis', { card: 'NAXIS2', hdu: 0 });
  });

  it('fits.badAxis: NAXIS1 = -5', async () => {
    const path = file('negaxis.fits', header(image2d([], '-32', '-5')), data(48));
    const e = await expectFitsError(openFitsImage(path), path, 'fits.badAxis', { card: 'NAXIS1', hdu: 0 });
    expect(e.message).toContain('-5');
  });

  it('fits.unsupportedBitpix: BITPIX = 24', async () => {
    const path = file('bitpix24.fits', header(image2d([], '24')), data(36));
    const e = await expectFitsError(openFitsImage(path), path, 'fits.unsupportedBitpix', { card: 'BITPIX', hdu: 0 });
    expect(e.message).toContain('24');
  });

  it('fits.notImage: asking for a BINTABLE HDU, or a file with no image', async () => {
    const table = header([
      "XTENSION= 'BINTABLE'",
      'BITPIX  =                    8',
      'NAXIS   =                    2',
      'NAXIS1  =                    4',
      'NAXIS2  =                    2',
      'PCOUNT  =                    0',
      'GCOUNT  =                    1',
      'TFIELDS =                    1',
      "TFORM1  = 'E       '",
    ]);
    const primary = header(['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', 'EXTEND  =                    T']);
    const path = file('table.fits', primary, table, data(8));
    await expectFitsError(openFitsImage(path, { hdu: 1 }), path, 'fits.notImage', { hdu: 1, card: 'XTENSION', offset: 2880 });
    await expectFitsError(openFitsImage(path), path, 'fits.notImage', { card: 'NAXIS' });
    await expectFitsError(openFitsImage(path, { hdu: 0 }), path, 'fits.notImage', { hdu: 0, card: 'NAXIS' });
    expect((await readHeaderOnly(path, 1)).getString('XTENSION')).toBe('BINTABLE');
  });

  it('fits.noSuchHdu: HDU index out of range', async () => {
    const path = file('one.fits', header(image2d()), data(48));
    const e = await expectFitsError(openFitsImage(path, { hdu: 3 }), path, 'fits.noSuchHdu', { hdu: 3 });
    expect(e.message).toMatch(/1 HDU/);
    await expectFitsError(readHeaderOnly(path, 1), path, 'fits.noSuchHdu', { hdu: 1 });
  });

  it('fits.io: missing file and a directory', async () => {
    const path = join(dir, 'does-not-exist.fits');
    const e = await expectFitsError(openFitsImage(path), path, 'fits.io', {});
    expect(e.message).toContain('ENOENT');
    const sub = join(dir, 'adir.fits');
    mkdirSync(sub);
    await expectFitsError(openFitsImage(sub), sub, 'fits.io', {});
  });
});

describe('recoverable oddities are warnings', () => {
  it('missing padding after the last data block, a non-standard card and trailing junk', async () => {
    const path = file('nopad.fits', header(image2d(['lowkey  =                    1'])), Buffer.alloc(48));
    const image = await openFitsImage(path);
    expect(image.warnings.join('\n')).toMatch(/not padded/);
    expect(image.warnings.join('\n')).toMatch(/non-standard keyword 'lowkey'/);
    expect(Array.from(await image.readRows(0, 3))).toEqual(new Array(12).fill(0));
    await image.close();
    const junk = file('junk.fits', header(image2d()), data(48), Buffer.from('garbage at the end'));
    expect(await listHdus(junk)).toHaveLength(1);
  });
});
