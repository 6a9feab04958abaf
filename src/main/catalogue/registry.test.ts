/** Format detection over every committed fixture, and the registry's errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/paths';
import { CatalogueReaderRegistry, readCatalogue } from './registry';

const FIX = join(REPO_ROOT, 'test/fixtures/catalogue');

describe('catalogue reader registry', () => {
  const registry = new CatalogueReaderRegistry();
  for (const [file, id] of [
    ['sextractor/rot30.cat', 'sextractor-ascii'],
    ['sextractor/rot30.ldac', 'sextractor-ldac'],
    ['caesar/catalog-field.dat', 'caesar-ascii'],
    ['caesar/catalog_fitcomp-field.dat', 'caesar-components-ascii'],
    ['caesar/catalog-field.json', 'caesar-json'],
    ['caesar/catalog_fitcomp-field.json', 'caesar-components-json'],
  ] as const) {
    it(`detects ${file} as ${id}`, async () => {
      expect((await registry.detect(join(FIX, file))).id).toBe(id);
    });
  }

  it('the image option supplies WCS and beam (SExtractor sizes in arcsec, flux in Jy)', async () => {
    const cat = await readCatalogue(join(FIX, 'sextractor/rot30.cat'), { image: join(FIX, 'sextractor/rot30.fits') });
    expect(cat.beam?.bmajArcsec).toBeCloseTo(10, 9);
    expect(cat.sources.every((s) => s.flux !== undefined && s.bmajArcsec !== undefined)).toBe(true);
  });

  it('a forced unknown format is a validation error; a missing file notFound; an unknown content parseFailed', async () => {
    await expect(registry.read(join(FIX, 'caesar/catalog-field.json'), { format: 'nope' })).rejects.toMatchObject({ code: 'validation' });
    await expect(registry.read(join(FIX, 'missing.cat'))).rejects.toMatchObject({ code: 'notFound' });
    const p = join(mkdtempSync(join(tmpdir(), 'reg-')), 'x.txt');
    writeFileSync(p, '1 2 3\n');
    await expect(registry.read(p)).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining('x.txt') });
  });

  it('a forced reader on the wrong content fails with a located parse error', async () => {
    await expect(registry.read(join(FIX, 'caesar/catalog-field.dat'), { format: 'sextractor-ascii' })).rejects.toMatchObject({
      code: 'catalogue.parseFailed',
      message: expect.stringMatching(/catalog-field\.dat \(line 1\)/),
    });
  });
});
