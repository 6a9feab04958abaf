/** `cirasa convert` on the committed SExtractor/CAESAR fixtures, run in-process with captured streams. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCirasaInProcess } from '../../../test/helpers/cli';
import { REPO_ROOT, realImage } from '../../../test/helpers/paths';
import { readCatalogue } from '../catalogue';
import { convertCommand } from './convertCommand';
import { EXIT_DATAERR, EXIT_USAGE } from './io';

const FIX = join(REPO_ROOT, 'test/fixtures/catalogue');
const dir = mkdtempSync(join(tmpdir(), 'cirasa-convert-'));

async function run(args: string[]) {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await convertCommand.run(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

describe('cirasa convert', () => {
  it('--help lists formats and defaults', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sextractor-ldac/);
    expect(r.out).toMatch(/default tabledata/);
  });

  it('SExtractor LDAC → VOTable BINARY2 → CSV keeps the catalogue', async () => {
    const vot = join(dir, 'a.vot');
    let r = await run([join(FIX, 'sextractor/rot30.ldac'), '--to', 'votable', '--encoding', 'binary2', '-o', vot]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/4 sources, 0 components \(sextractor\)/);
    const csv = join(dir, 'a.csv');
    r = await run([vot, '--to', 'csv', '-o', csv]);
    expect(r.code, r.err).toBe(0);
    const a = await readCatalogue(join(FIX, 'sextractor/rot30.ldac'));
    const b = await readCatalogue(csv);
    expect(b.sources.map((s) => [s.x, s.y, s.paDeg, s.flux])).toEqual(a.sources.map((s) => [s.x, s.y, s.paDeg, s.flux]));
  });

  it('SExtractor ASCII with --image → DS9 in image pixels and in galactic', async () => {
    const img = join(FIX, 'sextractor/rot30.fits');
    let r = await run([join(FIX, 'sextractor/rot30.cat'), '--image', img, '--to', 'ds9', '--frame', 'image', '-o', '-']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[3]).toBe('image');
    expect(r.out).toMatch(/^ellipse\(31\.2253,41\.7054,4\.502\d*,2\.245\d*,20\.02\) # text=\{4\}/m);
    r = await run([join(FIX, 'sextractor/rot30.cat'), '--image', img, '--to', 'ds9', '--frame', 'galactic', '-o', join(dir, 'g.reg')]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, 'g.reg'), 'utf8').split('\n')[3]).toBe('galactic');
  });

  it('a catalogue naming its image (cirasa find) gets its WCS for the export: island contours written without --image', async () => {
    const img = realImage('aegean_1904-66_SIN.fits');
    const json = join(dir, 'found.json');
    const found = await runCirasaInProcess(['find', img, '--out', json, '--quiet']);
    expect(found.code, found.err).toBe(0);
    const named = await run([json, '--to', 'ds9', '-o', '-']);
    expect(named.code, named.err).toBe(0);
    expect(named.err).toContain(`using the WCS of ${img}`);
    expect(named.err).not.toMatch(/contour not written/);
    const polygons = named.out.match(/^polygon\(/gm)?.length ?? 0;
    expect(polygons).toBeGreaterThan(0);
    // The same as giving --image; and without a known image the contours are left out (with a warning).
    expect((await run([json, '--image', img, '--to', 'ds9', '-o', '-'])).out).toBe(named.out);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    delete doc.catalogue.imagePath;
    writeFileSync(json, JSON.stringify(doc));
    const bare = await run([json, '--to', 'ds9', '-o', '-']);
    expect(bare.out).not.toMatch(/^polygon\(/m);
    expect(bare.err).toMatch(/contour not written/);
  });

  it('CAESAR island catalogue → DS9 fk5 without a WCS warns about contours', async () => {
    const r = await run([join(FIX, 'caesar/catalog-field.dat'), '--to', 'ds9', '-o', join(dir, 'c.reg')]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/4 sources, 4 components \(caesar\)/);
    expect(readFileSync(join(dir, 'c.reg'), 'utf8')).toMatch(/^ellipse\(/m);
  });

  it('usage errors exit 64, unreadable catalogues 65 naming the file', async () => {
    expect((await run([])).code).toBe(EXIT_USAGE);
    expect((await run([join(FIX, 'caesar/catalog-field.json'), '--to', 'xml', '-o', '-'])).code).toBe(EXIT_USAGE);
    expect((await run([join(FIX, 'caesar/catalog-field.json'), '--to', 'csv', '--frame', 'image', '-o', '-'])).code).toBe(EXIT_USAGE);
    expect((await run([join(FIX, 'caesar/catalog-field.json'), '--to', 'csv', '--bogus', '-o', '-'])).code).toBe(EXIT_USAGE);
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello\nworld\n');
    const r = await run([junk, '--to', 'csv', '-o', '-']);
    expect(r.code).toBe(EXIT_DATAERR);
    expect(r.err).toMatch(/junk\.txt.*unrecognised catalogue format.*\[catalogue\.parseFailed\]/);
  });
});
