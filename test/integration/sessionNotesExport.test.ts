import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogue } from '../../src/main/catalogue';
import { CatalogueService } from '../../src/main/review/catalogueService';
import { openStore, type Store } from '../../src/main/store';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';

// Reviewer notes (and computed columns) leave through every tabular exporter (CSV, VOTable TABLEDATA/BINARY2, JSON), come back
// through our importer unchanged — awkward characters included — and astropy reads the same text.

const PYTHON = '/usr/bin/python3';
const HAS_ASTROPY = spawnSync(PYTHON, ['-c', 'import astropy']).status === 0 || process.env.CI === 'true';
const dir = mkdtempSync(join(tmpdir(), 'session-notes-'));
let store: Store;
let svc: CatalogueService;
let cat: number;
const NOTES: Record<string, string> = {
  S2: 'double lobe, check the core',
  S5: 'quotes "inside" and \'single\'; a <tag> & ampersand',
  S9: 'two\nlines, ünïcode λ',
};

beforeAll(() => {
  store = openStore(join(dir, 'cirasa.sqlite'));
  svc = new CatalogueService({ store, emit: () => undefined });
  cat = store.catalogues.import(syntheticCatalogue({ count: 12, seed: 2, componentsEvery: 4 })).catalogueId;
  const ids = store.catalogues.sourceIdsByKey(cat, Object.keys(NOTES));
  for (const [key, note] of Object.entries(NOTES)) svc.setLabels({ sourceIds: [ids.get(key)!], field: 'notes', value: note });
  svc.setLabels({ sourceIds: [ids.get('S5')!], field: 'sourceness', value: 'REAL' });
});
afterAll(() => {
  svc.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const notesOf = (c: { sources: { id: string; labels?: { notes?: string } }[] }): Record<string, string> =>
  Object.fromEntries(c.sources.filter((s) => s.labels?.notes !== undefined).map((s) => [s.id, s.labels!.notes!]));

describe('notes in exports', () => {
  for (const format of ['csv', 'votable', 'json'] as const) {
    it(`${format}: notes round-trip through our importer and back into a store`, async () => {
      const path = join(dir, `notes.${format === 'votable' ? 'xml' : format}`);
      const r = await svc.export({ catalogueId: cat, format, path });
      expect(r.rows).toBe(12);
      const back = await readCatalogue(path);
      expect(notesOf(back)).toEqual(NOTES);
      expect(back.sources.find((s) => s.id === 'S5')!.labels?.sourceness).toBe('REAL');
      // Re-imported into the store, the notes are labels again (filterable).
      const again = await svc.import({ path, name: `again-${format}` });
      const q = svc.query({ catalogueId: again.catalogueId, filter: 'notes is not null', offset: 0, limit: 100 });
      expect(Object.fromEntries(q.rows.map((row) => [row.values.name, row.values.notes]))).toEqual(NOTES);
    });
  }

  it.skipIf(!HAS_ASTROPY)('computed columns are exported: astropy reads ratio = flux / peak from CSV and VOTable; JSON keeps it in extra', async () => {
    svc.definitions.defineComputed(cat, 'ratio', 'flux / peak', 'tester', undefined);
    try {
      const want = Object.fromEntries(store.catalogues.sources(cat).map(({ source: s }) => [s.id, s.flux! / s.peak!]));
      const json = join(dir, 'computed.json');
      await svc.export({ catalogueId: cat, format: 'json', path: json });
      const back = await readCatalogue(json);
      for (const s of back.sources) expect(s.extra?.ratio).toBeCloseTo(want[s.id]!, 12);
      const paths = { votable: join(dir, 'computed.xml'), csv: join(dir, 'computed.csv'), binary: join(dir, 'computed-b2.xml') };
      await svc.export({ catalogueId: cat, format: 'votable', path: paths.votable });
      await svc.export({ catalogueId: cat, format: 'csv', path: paths.csv });
      const script = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.table import Table
from astropy.io.votable import parse_single_table
out = {}
for name, t in (('votable', parse_single_table(sys.argv[1]).to_table()), ('csv', Table.read(sys.argv[2], format='ascii.csv', comment='#'))):
    # Component rows leave the column blank (masked).
    out[name] = {str(r['id']): (None if str(r['ratio']) in ('', '--', 'nan') else float(r['ratio'])) for r in t}
print(json.dumps(out))
`;
      const p = spawnSync(PYTHON, ['-c', script, paths.votable, paths.csv], { encoding: 'utf8' });
      expect(p.stderr).toBe('');
      const got = JSON.parse(p.stdout) as Record<string, Record<string, number | null>>;
      for (const t of ['votable', 'csv']) {
        for (const [id, v] of Object.entries(got[t]!)) {
          if (id.includes('_fitcomp')) expect(v, `${t} ${id}`).toBeNull();
          else expect(v, `${t} ${id}`).toBeCloseTo(want[id]!, 12);
        }
        expect(Object.keys(got[t]!).filter((id) => !id.includes('_fitcomp')).sort()).toEqual(Object.keys(want).sort());
      }
    } finally {
      svc.definitions.removeComputed(cat, 'ratio');
    }
  });

  it.skipIf(!HAS_ASTROPY)('astropy reads the same notes from the VOTable and the CSV', async () => {
    const vot = join(dir, 'astropy.xml');
    const csv = join(dir, 'astropy.csv');
    await svc.export({ catalogueId: cat, format: 'votable', path: vot });
    await svc.export({ catalogueId: cat, format: 'csv', path: csv });
    const script = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.table import Table
from astropy.io.votable import parse_single_table
out = {}
for name, t in (('votable', parse_single_table(sys.argv[1]).to_table()), ('csv', Table.read(sys.argv[2], format='ascii.csv', comment='#'))):
    # Masked (empty) cells print as '--' or ''.
    out[name] = {str(r['id']): str(r['notes']) for r in t if str(r['notes']) not in ('', '--')}
print(json.dumps(out))
`;
    const p = spawnSync(PYTHON, ['-c', script, vot, csv], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    const got = JSON.parse(p.stdout) as Record<string, Record<string, string>>;
    expect(got.votable).toEqual(NOTES);
    expect(got.csv).toEqual(NOTES);
  });
});
