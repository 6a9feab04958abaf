/**
 * Every exporter round-trips through our readers (format detected from the file), and the files are
 * checked by independent tools: astropy.io.votable (warnings are errors) and STILTS votlint for VOTable,
 * astropy.table for CSV. DS9 files are checked in ds9Exporter.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalogue } from '../catalogue';
import type { Catalogue } from '../../shared/domain/source';
import { EXPORTERS, csvExporter, jsonExporter, votableExporter } from '.';
import { caesarCatalogue, flat, pythonHas, runCheck, sextractorCatalogue } from './testSupport';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-export-'));
// CI installs these (scripts/ci/install-test-deps.sh): there a missing tool fails instead of skipping.
const HAS_ASTROPY = pythonHas(['astropy']) || process.env.CI === 'true';
const HAS_STILTS = spawnSync('stilts', ['-version']).status === 0 || process.env.CI === 'true';

const cases: [string, () => Promise<Catalogue>][] = [['caesar', caesarCatalogue], ['sextractor', sextractorCatalogue]];

describe('round trip through our readers', () => {
  for (const [label, make] of cases) {
    it(`${label}: JSON is lossless`, async () => {
      const cat = await make();
      const p = join(dir, `${label}.json`);
      await jsonExporter.write(cat, p);
      expect(await readCatalogue(p)).toEqual(cat);
    });

    for (const [fmt, opts] of [['csv', {}], ['votable', { encoding: 'tabledata' }], ['votable', { encoding: 'binary2' }]] as const) {
      it(`${label}: ${fmt} ${'encoding' in opts ? opts.encoding : ''} keeps every column exactly, and the metadata`, async () => {
        const cat = await make();
        const p = join(dir, `${label}-${fmt}-${'encoding' in opts ? opts.encoding : ''}.${fmt}`);
        await EXPORTERS.find((e) => e.id === fmt)!.write(cat, p, opts);
        const back = await readCatalogue(p);
        expect(flat(back)).toEqual(flat(cat));
        expect(back.sources.map((s) => s.components.length)).toEqual(cat.sources.map((s) => s.components.length));
        expect({ name: back.name, finder: back.finder, frame: back.frame, beam: back.beam, createdAt: back.createdAt, runId: back.runId })
          .toEqual({ name: cat.name, finder: cat.finder, frame: cat.frame, beam: cat.beam, createdAt: cat.createdAt, runId: cat.runId });
      });
    }
  }

  it('galactic output: positions and PAs converted, and converted back on re-export to fk5', async () => {
    const cat = await caesarCatalogue();
    const p = join(dir, 'gal.csv');
    await csvExporter.write(cat, p, { frame: 'galactic' });
    const gal = await readCatalogue(p);
    expect(gal.frame).toBe('galactic');
    const a = flat(cat), b = flat(gal, 'fk5');
    a.forEach((row, i) => {
      expect(b[i]!.ra as number).toBeCloseTo(row.ra as number, 9);
      expect(b[i]!.dec as number).toBeCloseTo(row.dec as number, 9);
      if (row.pa !== undefined) expect(Math.abs((((b[i]!.pa as number) - (row.pa as number) + 90) % 180) - 90)).toBeLessThan(1e-6);
    });
    // The Galactic PA differs from the equatorial one by the angle between the poles (~tens of degrees here).
    expect(Math.abs((flat(gal)[0]!.pa as number) - (a[0]!.pa as number))).toBeGreaterThan(1);
  });
});

describe.skipIf(!HAS_ASTROPY)('independent checks (astropy via /usr/bin/python3)', () => {
  for (const encoding of ['tabledata', 'binary2'] as const) {
    it(`VOTable 1.4 ${encoding}: astropy parses without any warning; units, UCDs and values match`, async () => {
      const cat = await caesarCatalogue();
      const p = join(dir, `check-${encoding}.vot`);
      await votableExporter.write(cat, p, { encoding });
      const r = runCheck(['votable', p]);
      expect(r.status, JSON.stringify(r.json) + r.stderr).toBe(0);
      const t = (r.json.tables as { fields: { name: string; unit: string | null; ucd: string }[]; rows: unknown[][] }[])[0]!;
      const f = Object.fromEntries(t.fields.map((x) => [x.name, x]));
      expect(f.ra).toMatchObject({ unit: 'deg', ucd: 'pos.eq.ra;meta.main' });
      expect(f.flux).toMatchObject({ unit: 'Jy', ucd: 'phot.flux.density' });
      expect(f.peak!.unit).toBe('Jy / beam');
      expect(f.bmaj).toMatchObject({ unit: 'arcsec', ucd: 'phys.angSize.smajAxis' });
      expect(f.sourceness!.ucd).toBe('meta.code.class');
      const ours = flat(cat);
      expect(t.rows).toHaveLength(ours.length);
      t.rows.forEach((row, i) => t.fields.forEach((fd, k) => {
        const v = ours[i]![fd.name];
        if (typeof v === 'number') expect(row[k]).toBeCloseTo(v, 12);
        else if (v === undefined) expect([null, '']).toContain(row[k]);
        else expect(row[k]).toBe(v);
      }));
    });
  }

  it('CSV: astropy.table reads the same columns and values', async () => {
    const cat = await sextractorCatalogue();
    const p = join(dir, 'check.csv');
    await csvExporter.write(cat, p);
    const r = runCheck(['csv', p]);
    expect(r.status, JSON.stringify(r.json) + r.stderr).toBe(0);
    const cols = r.json.columns as string[];
    const rows = r.json.rows as unknown[][];
    const ours = flat(cat);
    expect(cols).toEqual(Object.keys(ours[0]!));
    rows.forEach((row, i) => cols.forEach((c, k) => {
      const v = ours[i]![c];
      if (typeof v === 'number') expect(Number(row[k])).toBeCloseTo(v, 10);
    }));
  });
});

describe.skipIf(!HAS_STILTS)('STILTS votlint', () => {
  for (const encoding of ['tabledata', 'binary2'] as const) {
    it(`reports nothing for ${encoding}`, async () => {
      const p = join(dir, `lint-${encoding}.vot`);
      await votableExporter.write(await caesarCatalogue(), p, { encoding });
      const r = spawnSync('stilts', ['votlint', p], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect((r.stdout + r.stderr).trim()).toBe('');
      expect(readFileSync(p, 'utf8')).toContain('<VOTABLE version="1.4"');
    });
  }
});
