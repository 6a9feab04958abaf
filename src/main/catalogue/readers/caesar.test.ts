/**
 * CAESAR readers on fixtures written exactly per caesar-rest-api.md §7 by test/fixtures/catalogue/caesar/make.py
 * (sky values from astropy); truth.json there holds what each island/component must become.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/helpers/paths';
import type { Catalogue } from '../../../shared/domain/source';
import { caesarComponentAsciiReader, caesarIslandAsciiReader } from './caesarAscii';
import { caesarComponentJsonReader, caesarIslandJsonReader } from './caesarJson';
import { sanitizeNonFinite } from './lenientJson';

const DIR = join(REPO_ROOT, 'test/fixtures/catalogue/caesar');
interface TruthComp { x: number; y: number; ra: number; dec: number; peak: number; flux: number; bmajArcsec: number; bminArcsec: number; paDeg: number; thetaPxDeg: number }
interface TruthIsland { name: string; x: number; y: number; ra: number; dec: number; peak: number; flux: number; morph: string; srcness: string; nest: number; components: TruthComp[] }
const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as { islands: TruthIsland[] };

const rel = (a: number | undefined, b: number, tol = 1e-5) => expect(Math.abs(a! - b) / Math.max(Math.abs(b), 1e-12)).toBeLessThan(tol);
const MORPH: Record<string, string> = { 'UNKNOWN-MORPH': 'UNKNOWN' };
const SRC: Record<string, string> = { FALSE: 'FAKE' };

function checkComponents(cat: Catalogue, withIslandCentres: boolean) {
  const withComps = truth.islands.filter((t) => t.components.length);
  for (const t of withComps) {
    const s = cat.sources.find((r) => r.name === t.name)!;
    expect(s, t.name).toBeDefined();
    expect(s.components).toHaveLength(t.components.length);
    t.components.forEach((tc, k) => {
      const c = s.components[k]!;
      expect(c.id).toBe(`${t.name}_fitcomp${k + 1}`);
      rel(c.x, tc.x); rel(c.y, tc.y); rel(c.ra, tc.ra, 1e-7); rel(c.dec, tc.dec, 1e-7);
      rel(c.peak, tc.peak); rel(c.flux, tc.flux); rel(c.bmajArcsec, tc.bmajArcsec); rel(c.bminArcsec, tc.bminArcsec);
      expect(c.paDeg).toBeCloseTo(tc.paDeg, 4);
      expect(c.thetaPxDeg).toBeCloseTo(tc.thetaPxDeg, 4);
    });
    if (withIslandCentres) { rel(s.x, t.x); rel(s.y, t.y); }
    expect(s.islandId).toBe(t.name.split('_N')[0]);
    expect(s.parentId).toBe(t.nest ? t.name.split('_N')[0] : undefined);
  }
}

function checkIslands(cat: Catalogue) {
  expect(cat.finder).toBe('caesar');
  expect(cat.sources.map((s) => s.name)).toEqual(truth.islands.map((t) => t.name));
  for (const t of truth.islands) {
    const s = cat.sources.find((r) => r.name === t.name)!;
    rel(s.x, t.x); rel(s.y, t.y); rel(s.ra, t.ra, 1e-7); rel(s.dec, t.dec, 1e-7);
    rel(s.peak, t.peak); rel(s.flux, t.flux);
    expect(s.labels?.morphology).toBe(MORPH[t.morph] ?? t.morph);
    expect(s.labels?.sourceness).toBe(SRC[t.srcness] ?? t.srcness);
    expect(s.type).toBe(t.morph === 'EXTENDED' ? 'extended' : 'point');
  }
  const s3 = cat.sources.find((s) => s.name === 'S3')!;
  expect(s3.fluxErr).toBeUndefined(); // `nan` in the file
  expect(JSON.stringify(cat)).not.toMatch(/NaN|Infinity|null/);
  checkComponents(cat, true);
}

describe('CAESAR ASCII readers', () => {
  it('island table + sibling component table', async () => {
    const path = join(DIR, 'catalog-field.dat');
    expect(caesarIslandAsciiReader.detect(path, readFileSync(path))).toBe(true);
    expect(caesarComponentAsciiReader.detect(path, readFileSync(path))).toBe(false);
    const cat = await caesarIslandAsciiReader.read(path, {});
    checkIslands(cat);
    expect(cat.sources.find((s) => s.name === 'S1')!.fitQuality).toBe('HIGH');
  });

  it('component table alone rebuilds islands from components', async () => {
    const path = join(DIR, 'catalog_fitcomp-field.dat');
    expect(caesarComponentAsciiReader.detect(path, readFileSync(path))).toBe(true);
    const cat = await caesarComponentAsciiReader.read(path, {});
    expect(cat.sources.map((s) => s.name)).toEqual(['S1', 'S2', 'S2_N1']);
    checkComponents(cat, false);
    rel(cat.sources[1]!.flux, truth.islands[1]!.flux);
  });

  it('names file, line and field of a bad cell', async () => {
    const text = readFileSync(join(DIR, 'catalog-field.dat'), 'utf8').replace('\t0.02\t', '\t0.0x2\t');
    const bad = join(mkdtempSync(join(tmpdir(), 'caesar-')), 'catalog-bad.dat');
    writeFileSync(bad, text);
    const line = text.split('\n').findIndex((l) => l.includes('0.0x2')) + 1;
    await expect(caesarIslandAsciiReader.read(bad, {})).rejects.toMatchObject({
      code: 'catalogue.parseFailed',
      message: expect.stringContaining(`catalog-bad.dat (line ${line}, field 'Smax(Jy/beam)')`),
    });
  });
});

describe('CAESAR JSON readers', () => {
  it('island JSON with NaN/Infinity, contours, class labels and nested components', async () => {
    const path = join(DIR, 'catalog-field.json');
    expect(caesarIslandJsonReader.detect(path, readFileSync(path))).toBe(true);
    const cat = await caesarIslandJsonReader.read(path, {});
    checkIslands(cat);
    expect(cat.beam).toEqual({ bmajArcsec: 10, bminArcsec: 8, paDeg: 0 });
    const s1 = cat.sources[0]!;
    expect(s1.labels?.class).toBe('GALAXY');
    expect(s1.contour).toEqual([[26, 36], [35, 36], [35, 46], [26, 46]]);
    expect(s1.bbox).toEqual({ xmin: 26, xmax: 35, ymin: 36, ymax: 46 });
    expect(cat.sources[1]!.components[1]!.deconvBmajArcsec).toBeUndefined(); // Infinity in the file
    expect(cat.sources.find((s) => s.name === 'S3')!.flags).toBe(1); // border
  });

  it('component JSON: fluxDensity (Jy/beam × px) is divided by beamArea', async () => {
    const path = join(DIR, 'catalog_fitcomp-field.json');
    expect(caesarComponentJsonReader.detect(path, readFileSync(path))).toBe(true);
    expect(caesarIslandJsonReader.detect(path, readFileSync(path))).toBe(false);
    const cat = await caesarComponentJsonReader.read(path, {});
    checkComponents(cat, false);
    expect(cat.sources[2]!.labels?.sourceness).toBe('FAKE');
  });

  it('rejects the empty file CAESAR leaves without a WCS, and locates syntax errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caesar-'));
    writeFileSync(join(dir, 'catalog-x.json'), '');
    await expect(caesarIslandJsonReader.read(join(dir, 'catalog-x.json'), {})).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining('no usable WCS') });
    writeFileSync(join(dir, 'catalog-y.json'), '{"metadata": {},\n "sources": [ {"name": } ]}');
    await expect(caesarIslandJsonReader.read(join(dir, 'catalog-y.json'), {})).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining('line 2') });
  });

  it('only bare NaN/Infinity tokens are replaced, never inside strings', () => {
    expect(JSON.parse(sanitizeNonFinite('{"a": NaN, "b": -Infinity, "c": "NaN Infinity", "d": [Infinity]}'))).toEqual({ a: null, b: null, c: 'NaN Infinity', d: [null] });
  });
});
