import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCatalogue, type Source } from '../../shared/domain/source';
import { openStore, type Store } from './openStore';
import { INSERT_COMPONENT_SQL, INSERT_SOURCE_SQL } from './sourceColumns';
import { syntheticCatalogue } from './syntheticCatalogue';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cirasa-cat-'));
  store = openStore(join(dir, 'cat.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const full: Source = {
  id: 'S1', name: 'S1', iauName: 'J1234-4500', finder: 'caesar', runId: 'run7', type: 'extended', islandId: '1',
  x: 10.5, y: -0.25, xErrPx: 0.1, yErrPx: 0.2, ra: 250.1, dec: -45.2, raErr: 1e-5, decErr: 2e-5, glon: 340, glat: 0.5,
  peak: 1.5e-3, peakErr: 2e-5, flux: 3.2e-3, fluxErr: 1e-4, snr: 75, bmajArcsec: 20, bminArcsec: 12, paDeg: 33,
  bmajErrArcsec: 1, bminErrArcsec: 0.5, paErrDeg: 2, deconvBmajArcsec: 10, deconvBminArcsec: 4, deconvPaDeg: 35,
  bmajPx: 13.3, bminPx: 8, thetaPxDeg: 120, npix: 140, contour: [[1, 2], [3, 4], [5, 1]], bbox: { xmin: 1, xmax: 5, ymin: 1, ymax: 4 },
  flags: 1, fitQuality: 'HIGH', chi2: 1.2, ndf: 30, bkg: 1e-6, rms: 2e-5,
  labels: { sourceness: 'REAL', class: 'HII', morphology: 'EXTENDED', tags: ['bubble'] },
  extra: { FLUX_AUTO: 12.5, note: 'x', border: false },
  components: [
    { id: 'S1_fitcomp1', index: 1, x: 10, y: 0, peak: 1e-3, flux: 2e-3, fitQuality: 'MEDIUM', chi2: 1.1, ndf: 20, extra: { k: 1 } },
    { id: 'S1_fitcomp2', index: 2, x: 11, y: -1 },
  ],
};
const minimal: Source = { id: 'S2', name: 'S2', finder: 'caesar', type: 'point', islandId: '2', x: 1, y: 2, components: [] };

describe('catalogues', () => {
  it('round-trips every model field (sources, components, labels, extras) through import and load', () => {
    const cat = makeCatalogue({
      id: 'cat-a', name: 'field A', finder: 'caesar', runId: 'run7', frame: 'galactic', imagePath: '/d/a.fits',
      createdAt: '2025-01-02T03:04:05.000Z', parameters: { seedThr: 5, mergeThr: 2.6 }, beam: { bmajArcsec: 15, bminArcsec: 12, paDeg: 10 },
      sources: [full, minimal],
    });
    const image = store.images.upsert({ path: '/d/a.fits' });
    const r = store.catalogues.import(cat, { imageId: image.id });
    expect(r).toMatchObject({ sources: 2, components: 2, labelled: 1 });
    const back = store.catalogues.load(r.catalogueId);
    expect(back).toEqual(cat);
    expect(store.catalogues.get(r.catalogueId)).toMatchObject({ imageId: image.id, sourceCount: 2, componentCount: 2, frame: 'galactic' });
    // Imported labels are current labels (with no history) and their terms are known.
    const [sid] = store.catalogues.sources(r.catalogueId, { limit: 1 }).map((s) => s.sourceId);
    expect(store.labels.get(sid!)).toMatchObject({ sourceness: 'REAL', class: 'HII', tags: ['bubble'], updatedBy: 'import:caesar' });
    expect(store.labels.history(sid!)).toEqual([]);
  });

  it('adds unknown imported label terms to the vocabulary', () => {
    const odd: Source = { ...minimal, labels: { class: 'radio-galaxy', morphology: 'RING' } };
    store.catalogues.import(makeCatalogue({ name: 'x', finder: 'caesar', sources: [odd] }));
    expect(store.vocabularies.list('class')).toContain('RADIO-GALAXY');
    expect(store.vocabularies.list('morphology').at(-1)).toBe('RING');
  });

  it('the insert statements name every column of sources and components', () => {
    const cols = (t: string) => (store.db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id').sort();
    const named = (sql: string) => sql.slice(sql.indexOf('(') + 1, sql.indexOf(')')).split(',').map((s) => s.trim()).sort();
    expect(named(INSERT_SOURCE_SQL)).toEqual(cols('sources'));
    expect(named(INSERT_COMPONENT_SQL)).toEqual(cols('components'));
  });

  it('filters in SQL exactly like a brute-force filter over the same sources', () => {
    const r = store.catalogues.import(syntheticCatalogue({ count: 3000, seed: 3 }));
    const all = store.catalogues.sources(r.catalogueId);
    store.labels.setMany(all.slice(0, 500).map((s) => s.sourceId), 'sourceness', 'REAL', { who: 't' });
    const got = store.catalogues.filterSourceIds(r.catalogueId, {
      ranges: { snr: { min: 10 }, x: { min: 2000, max: 20000 }, bmajArcsec: { max: 22 } }, type: 'point', sourceness: 'REAL',
    });
    const want = all
      .filter(({ source: s, sourceId }) => s.snr! >= 10 && s.x >= 2000 && s.x <= 20000 && s.bmajArcsec! <= 22 && s.type === 'point'
        && store.labels.get(sourceId)?.sourceness === 'REAL')
      .map((s) => s.sourceId);
    expect(want.length).toBeGreaterThan(10);
    expect(got).toEqual(want);
    const unlabelled = store.catalogues.filterSourceIds(r.catalogueId, { sourceness: null });
    expect(unlabelled).toHaveLength(2500);
    expect(() => store.catalogues.filterSourceIds(r.catalogueId, { ranges: { ['x; DROP TABLE sources' as 'x']: { min: 1 } } }))
      .toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('deleting a catalogue removes its sources, components, labels, history and subsets', () => {
    const a = store.catalogues.import(syntheticCatalogue({ count: 50, componentsEvery: 5, seed: 1 }));
    const b = store.catalogues.import(syntheticCatalogue({ count: 30, seed: 2 }));
    const aIds = store.catalogues.filterSourceIds(a.catalogueId, {});
    store.labels.setMany(aIds.slice(0, 5), 'class', 'PN', { who: 't' });
    store.subsets.save({ catalogueId: a.catalogueId, name: 'first', sourceIds: aIds.slice(0, 3), who: 't' });
    expect(store.catalogues.remove(a.catalogueId)).toBe(true);
    const count = (t: string) => store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    expect([count('sources'), count('components'), count('labels'), count('label_history'), count('saved_subsets')]).toEqual([30, 0, 0, 0, 0]);
    expect(store.catalogues.list().map((c) => c.id)).toEqual([b.catalogueId]);
    expect(store.labels.undo('t')).toMatchObject({ changes: [] });
    expect(store.integrityCheck()).toEqual(['ok']);
  });

  it('looks sources up by the finder id', () => {
    const r = store.catalogues.import(syntheticCatalogue({ count: 10 }));
    const map = store.catalogues.sourceIdsByKey(r.catalogueId, ['S3', 'S10', 'nope']);
    expect([...map.keys()]).toEqual(['S3', 'S10']);
    expect(store.catalogues.sources(r.catalogueId, { offset: 2, limit: 1 })[0]).toMatchObject({ sourceId: map.get('S3'), source: { id: 'S3' } });
  });
});

describe('saved subsets', () => {
  it('saves ids and/or an expression, replaces by name, refuses foreign or missing ids', () => {
    const a = store.catalogues.import(syntheticCatalogue({ count: 20, seed: 1 }));
    const b = store.catalogues.import(syntheticCatalogue({ count: 5, seed: 2 }));
    const aIds = store.catalogues.filterSourceIds(a.catalogueId, {});
    const bIds = store.catalogues.filterSourceIds(b.catalogueId, {});
    const s = store.subsets.save({ catalogueId: a.catalogueId, name: 'bright', sourceIds: [aIds[4]!, aIds[1]!, aIds[1]!], expression: 'snr > 20', who: 'alice' });
    expect(s).toMatchObject({ name: 'bright', expression: 'snr > 20', memberCount: 2, createdBy: 'alice' });
    expect(store.subsets.members(s.id)).toEqual([aIds[1], aIds[4]]);
    const replaced = store.subsets.save({ catalogueId: a.catalogueId, name: 'bright', expression: 'snr > 30', who: 'bob' });
    expect(replaced).toMatchObject({ id: s.id, expression: 'snr > 30', memberCount: 0 });
    store.subsets.save({ catalogueId: a.catalogueId, name: 'all', sourceIds: aIds, who: 'alice' });
    expect(store.subsets.list(a.catalogueId).map((x) => [x.name, x.memberCount])).toEqual([['all', 20], ['bright', 0]]);
    expect(() => store.subsets.save({ catalogueId: a.catalogueId, name: 'mixed', sourceIds: [aIds[0]!, bIds[0]!], who: 'a' }))
      .toThrow(expect.objectContaining({ code: 'notFound' }));
    expect(store.subsets.list(a.catalogueId)).toHaveLength(2);
    expect(() => store.subsets.save({ catalogueId: a.catalogueId, name: ' ', expression: 'x', who: 'a' })).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(store.subsets.remove(s.id)).toBe(true);
  });
});

describe('bulk import of 10⁶ rows', () => {
  it('imports 10⁶ synthetic sources (+ components) in one transaction, filters, bulk-labels; database intact', () => {
    const r = store.catalogues.import(syntheticCatalogue({ count: 1_000_000, componentsEvery: 10, labelledEvery: 100 }));
    expect(r).toMatchObject({ sources: 1_000_000, components: 200_000, labelled: 10_000 });
    const t0 = performance.now();
    const bright = store.catalogues.filterSourceIds(r.catalogueId, { ranges: { snr: { min: 100 } } });
    const filterMs = performance.now() - t0;
    const t1 = performance.now();
    const bulk = store.labels.setMany(bright, 'sourceness', 'REAL', { who: 'bench' });
    const bulkMs = performance.now() - t1;
    console.log(`store: import 1e6 sources + 2e5 components ${(r.elapsedMs / 1000).toFixed(1)} s; filter snr>=100 (${bright.length}) ${filterMs.toFixed(0)} ms; bulk label ${bulk.changes.length} in ${bulkMs.toFixed(0)} ms`);
    expect(bright.length).toBeGreaterThan(50_000);
    // Generous bound for a loaded, shared CI machine: the speed target (≤ 10 s) is the benchmark's business.
    expect(r.elapsedMs).toBeLessThan(90_000);
    expect(store.catalogues.filterSourceIds(r.catalogueId, { sourceness: 'REAL' }).length).toBe(bright.length);
    expect(store.integrityCheck()).toEqual(['ok']);
  }, 240_000);
});
