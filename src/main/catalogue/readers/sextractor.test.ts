/**
 * SExtractor readers on real Debian source-extractor 2.25 output (test/fixtures/catalogue/sextractor,
 * made by make.sh there from a 30°-rotated, east-left SIN image). Expected values come from astropy
 * (rot30.golden.json, written by scripts/golden/catalogueCheck.py sextractor-golden).
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/helpers/paths';
import { readHeaderOnly } from '../../fits';
import { parseWcs } from '../../wcs';
import { sextractorAsciiReader, sextractorLdacReader } from './sextractor';

const DIR = join(REPO_ROOT, 'test/fixtures/catalogue/sextractor');
interface GoldenRow { name: string; x: number; y: number; ra: number; dec: number; paDeg: number; bmajArcsec: number; bminArcsec: number; flux: number; peak: number; sextractorThetaJ2000: number }
const golden = JSON.parse(readFileSync(join(DIR, 'rot30.golden.json'), 'utf8')) as { rows: GoldenRow[]; ldac: Record<string, number>[] };

async function geometry() {
  const h = await readHeaderOnly(join(DIR, 'rot30.fits'));
  return { wcs: parseWcs(h.values), beam: { bmajArcsec: 10, bminArcsec: 8, paDeg: 0 } };
}

function axisDiff(a: number, b: number): number {
  const d = (((a - b) % 180) + 180) % 180;
  return Math.min(d, 180 - d);
}

describe('SExtractor ASCII_HEAD reader', () => {
  it('maps positions, sizes, PA and flux like astropy does', async () => {
    const cat = await sextractorAsciiReader.read(join(DIR, 'rot30.cat'), await geometry());
    expect(cat.finder).toBe('sextractor');
    expect(cat.sources).toHaveLength(golden.rows.length);
    for (const g of golden.rows) {
      const s = cat.sources.find((r) => r.name === g.name)!;
      expect(s.x).toBeCloseTo(g.x, 4);
      expect(s.y).toBeCloseTo(g.y, 4);
      expect(s.ra).toBeCloseTo(g.ra, 7);
      expect(s.dec).toBeCloseTo(g.dec, 7);
      expect(s.peak).toBeCloseTo(g.peak, 8);
      expect(s.flux! / g.flux).toBeCloseTo(1, 6);
      expect(s.bmajArcsec! / g.bmajArcsec).toBeCloseTo(1, 4);
      expect(s.bminArcsec! / g.bminArcsec).toBeCloseTo(1, 4);
      expect(axisDiff(s.paDeg!, g.paDeg)).toBeLessThan(1e-5);
      expect(s.extra?.FLUX_AUTO).toBeTypeOf('number');
    }
    // The brightest, most elongated source: PA = θ − 90 + 30 (rotation), SExtractor's THETA_J2000 is off.
    const s4 = cat.sources.find((r) => r.name === '4')!;
    expect(axisDiff(s4.paDeg!, 20.02 - 90 + 30)).toBeLessThan(0.05);
    expect(axisDiff(s4.paDeg!, golden.rows[3]!.sextractorThetaJ2000)).toBeGreaterThan(5);
  });

  it('without a WCS but with a pixel scale assumes north-up east-left (PA = θ − 90)', async () => {
    const cat = await sextractorAsciiReader.read(join(DIR, 'rot30.cat'), { pixelScaleArcsec: 2 });
    const s = cat.sources.find((r) => r.name === '4')!;
    expect(s.paDeg).toBeCloseTo(20.02 - 90 + 180, 6);
    expect(s.bmajArcsec).toBeCloseTo(3.824 * 2 * 2.354820045, 3);
    expect(s.flux).toBeUndefined(); // no beam: a pixel sum is not a flux density
  });

  it('detects the header and names file, line and column of a bad value', async () => {
    const text = readFileSync(join(DIR, 'rot30.cat'), 'latin1');
    expect(sextractorAsciiReader.detect('x.cat', Buffer.from(text))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'sex-'));
    const bad = join(dir, 'bad.cat');
    const lines = text.split('\n');
    lines[24] = lines[24]!.replace('101.3697', '101.3x97');
    writeFileSync(bad, lines.join('\n'));
    await expect(sextractorAsciiReader.read(bad, {})).rejects.toMatchObject({
      code: 'catalogue.parseFailed',
      message: expect.stringMatching(/bad\.cat \(line 25, column 2, field 'X_IMAGE'\)/),
    });
  });
});

describe('SExtractor FITS_LDAC reader', () => {
  it('reads LDAC_OBJECTS like astropy.io.fits and takes WCS and beam from LDAC_IMHEAD', async () => {
    const path = join(DIR, 'rot30.ldac');
    expect(sextractorLdacReader.detect(path, readFileSync(path).subarray(0, 4096))).toBe(true);
    const cat = await sextractorLdacReader.read(path, {});
    expect(cat.beam?.bmajArcsec).toBeCloseTo(10, 9);
    expect(cat.sources).toHaveLength(golden.ldac.length);
    // PA tolerance 0.01°: LDAC THETA_IMAGE is float32, the ASCII (and so the golden) rounds it to 0.01°.
    golden.ldac.forEach((ref, i) => {
      const s = cat.sources[i]!;
      for (const [k, v] of Object.entries(ref)) expect(s.extra?.[k]).toBeCloseTo(v, 10);
      const g = golden.rows[i]!;
      expect(axisDiff(s.paDeg!, g.paDeg)).toBeLessThan(0.01);
      expect(s.flux! / g.flux).toBeCloseTo(1, 5);
    });
  });
});
