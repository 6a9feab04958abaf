import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdsBase64, decodeOverlay } from '../../src/shared/contract/catalogues';
import { AppError } from '../../src/shared/contract/errors';
import type { EventMap, EventName } from '../../src/shared/contract/events';
import type { Source } from '../../src/shared/domain/source';
import { readCatalogue } from '../../src/main/catalogue';
import { CatalogueService } from '../../src/main/review/catalogueService';
import { loadSelection } from '../../src/main/review/exportSelection';
import { openStore, type Store } from '../../src/main/store';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';
import { REPO_ROOT } from '../helpers/paths';
import { EXTRA_FILTER_COLUMNS, TABLE_COLUMNS } from '../../src/shared/filter';

// The review backend over a real store in a temp folder: a CAESAR fixture through catalogue.import, and a
// 3000-source synthetic catalogue (components, finder labels) checked against plain-JS selections of its sources.

const CAESAR = join(REPO_ROOT, 'test/fixtures/catalogue/caesar/catalog-field.json');
const dir = mkdtempSync(join(tmpdir(), 'review-service-'));
let store: Store;
let svc: CatalogueService;
const events: [EventName, unknown][] = [];
let synthId: number;
let synth: { sourceId: number; source: Source }[];

beforeAll(() => {
  store = openStore(join(dir, 'cirasa.sqlite'));
  svc = new CatalogueService({ store, emit: <K extends EventName>(name: K, payload: EventMap[K]) => void events.push([name, payload]) });
  synthId = store.catalogues.import(syntheticCatalogue({ count: 3000, seed: 7, componentsEvery: 5, labelledEvery: 13 })).catalogueId;
  synth = store.catalogues.sources(synthId);
});
afterAll(() => {
  svc.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function parseError(fn: () => unknown): { position: number; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('filter.parseFailed');
    return { position: (err as AppError).details!.position as number, message: (err as AppError).message };
  }
  throw new Error('no error');
}

describe('catalogue.import / list / columns / remove', () => {
  it('imports a CAESAR catalogue with progress and change events', async () => {
    events.length = 0;
    const s = await svc.import({ path: CAESAR, name: 'field' });
    expect(s).toMatchObject({ name: 'field', finder: 'caesar', sourceCount: 4, imagePath: 'field.fits' }); // as the catalogue names it
    expect(s.componentCount).toBeGreaterThan(0);
    const progress = events.filter(([n]) => n === 'catalogue.importProgress').map(([, p]) => (p as { fraction: number }).fraction);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(events.at(-1)).toEqual(['catalogue.changed', { catalogueId: s.catalogueId }]);
    expect(svc.list().map((c) => c.catalogueId)).toEqual([synthId, s.catalogueId]);
    // CAESAR labels came in with the catalogue.
    const q = svc.query({ catalogueId: s.catalogueId, filter: "label == 'real'", offset: 0, limit: 10 });
    expect(q.rows.map((r) => r.values.name)).toContain('S1');
    svc.remove(s.catalogueId);
    expect(svc.list().map((c) => c.catalogueId)).toEqual([synthId]);
    expect(() => svc.remove(s.catalogueId)).toThrow(/no catalogue/);
  });

  it('an unreadable file fails with the reader error naming the file', async () => {
    await expect(svc.import({ path: join(REPO_ROOT, 'package.json') })).rejects.toMatchObject({ code: 'catalogue.parseFailed' });
  });

  it('lists the columns with units, including the beam constants', () => {
    const cols = svc.columns(synthId);
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    for (const n of ['name', 'ra', 'dec', 'x', 'y', 'peak', 'flux', 'flux_err', 'snr', 'bmaj', 'bmin', 'pa', 'type', 'island', 'sourceness', 'class', 'morphology', 'notes', 'beam_bmaj', 'beam_bmin']) {
      expect(byName[n], n).toBeDefined();
    }
    expect(byName.bmaj).toMatchObject({ unit: 'arcsec', kind: 'number' });
    expect(byName.flux!.unit).toBe('Jy');
    expect(byName.peak!.unit).toBe('Jy/beam');
    expect(byName.class!.kind).toBe('string');
  });
});

describe('catalogue.query / filterIds', () => {
  it('filters in SQL exactly as the plain-JS selection, and pages through a sort', () => {
    const want = synth
      .filter(({ source: s }) => s.snr! > 20 && s.type === 'extended' && s.bmajArcsec! < 1.3 * 20)
      .sort((a, b) => b.source.flux! - a.source.flux! || a.sourceId - b.sourceId);
    expect(want.length).toBeGreaterThan(5);
    const filter = "snr > 20 && TYPE = 'extended' and bmaj < 1.3 * 20";
    const pages: number[] = [];
    for (let offset = 0; ; offset += 4) {
      const q = svc.query({ catalogueId: synthId, filter, sort: { column: 'flux', descending: true }, offset, limit: 4 });
      expect(q.total).toBe(want.length);
      if (q.rows.length === 0) break;
      pages.push(...q.rows.map((r) => r.sourceId));
    }
    expect(pages).toEqual(want.map((w) => w.sourceId));
    const first = svc.query({ catalogueId: synthId, filter, sort: { column: 'flux', descending: true }, offset: 0, limit: 1 }).rows[0]!;
    const src = want[0]!.source;
    expect(first.values).toMatchObject({ name: src.name, flux: src.flux, snr: src.snr, bmaj: src.bmajArcsec, pa: src.paDeg, type: 'extended', beam_bmaj: null });
  });

  it('sorts ascending with missing values last, and rejects an unknown sort column', () => {
    const q = svc.query({ catalogueId: synthId, sort: { column: 'snr' }, offset: 0, limit: 1000 });
    expect(q.total).toBe(3000);
    const snr = q.rows.map((r) => r.values.snr as number);
    expect(snr).toEqual([...snr].sort((a, b) => a - b));
    expect(() => svc.query({ catalogueId: synthId, sort: { column: 'nope' }, offset: 0, limit: 1 })).toThrow(/unknown column/);
  });

  it('filterIds answers ascending ids as base64 Int32 LE', () => {
    const r = svc.filterIds(synthId, 'flux > 0.001 || morphology is not null');
    const ids = Array.from(decodeIdsBase64(r.idsBase64));
    const want = synth.filter(({ source: s }) => s.flux! > 0.001 || s.labels?.morphology !== undefined).map((s) => s.sourceId);
    expect(r.count).toBe(want.length);
    expect(ids).toEqual(want);
    expect(svc.filterIds(synthId).count).toBe(3000);
  });

  it('a bad expression is filter.parseFailed pointing at the character', () => {
    expect(parseError(() => svc.query({ catalogueId: synthId, filter: 'snr > 7 && fluxx < 2', offset: 0, limit: 1 })).position).toBe(11);
    const e = parseError(() => svc.filterIds(synthId, 'snr > (7'));
    expect(e.position).toBe(8);
    expect(e.message).toContain('^');
  });
});

describe('in-memory columns and SQL agree', () => {
  it('on filters, sorts, pages and review queues', async () => {
    await svc.preloadColumns(synthId, [...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].map((c) => c.name));
    const sqlOnly = new CatalogueService({ store, emit: () => {}, inMemoryColumns: false });
    const exprs = [
      undefined, 'snr > 20', "type == 'extended' || morphology is not null", "label != 'candidate' && flux % 0.001 < 0.0005",
      'sqrt(x*x + y*y) < 20000 && not (pa > 90)',
      "class in ('HII', 'SNR') || name == 'S17'", 'bmaj > 2 * beam_bmaj', 'abs(x - y) < 3000 and min(snr, 50) >= 50',
    ];
    const sorts = [undefined, { column: 'flux', descending: true }, { column: 'name' }, { column: 'morphology', descending: true }, { column: 'bmaj' }];
    for (const filter of exprs) {
      expect(svc.filterIds(synthId, filter), String(filter)).toEqual(sqlOnly.filterIds(synthId, filter));
      for (const sort of sorts) {
        const q = { catalogueId: synthId, filter, sort, offset: 7, limit: 300 };
        expect(svc.query(q), `${filter} ${JSON.stringify(sort)}`).toEqual(sqlOnly.query(q));
      }
      for (const order of ['snr-desc', 'snr-asc', 'flux-desc'] as const) {
        const q = { catalogueId: synthId, filter, order, unlabelledField: 'morphology' as const };
        expect(svc.reviewQueue(q), `${filter} ${order}`).toEqual(sqlOnly.reviewQueue(q));
      }
    }
  });
});

describe('labels and the review queue', () => {
  it('set / undo / redo round trip with labels.changed events, and filters see the change', () => {
    const ids = synth.slice(0, 5).map((s) => s.sourceId);
    events.length = 0;
    expect(svc.vocabularies().sourceness).toEqual(expect.arrayContaining(['REAL', 'FAKE', 'CANDIDATE']));
    const count = (): number => svc.query({ catalogueId: synthId, filter: "label == 'FAKE'", offset: 0, limit: 1 }).total;
    expect(count()).toBe(0);
    expect(svc.setLabels({ sourceIds: ids, field: 'sourceness', value: 'fake' })).toEqual({ undoDepth: 1, redoDepth: 0 });
    expect(count()).toBe(5);
    expect(svc.setLabels({ sourceIds: [ids[0]!], field: 'notes', value: 'double lobe', who: 'tester' })).toEqual({ undoDepth: 2, redoDepth: 0 });
    expect(svc.query({ catalogueId: synthId, filter: "notes == 'double lobe'", offset: 0, limit: 5 }).rows.map((r) => r.sourceId)).toEqual([ids[0]]);
    expect(events).toEqual([['labels.changed', { sourceIds: ids }], ['labels.changed', { sourceIds: [ids[0]] }]]);
    expect(svc.undo()).toEqual({ undoDepth: 1, redoDepth: 1, changedSourceIds: [ids[0]] });
    expect(svc.undo()).toEqual({ undoDepth: 0, redoDepth: 2, changedSourceIds: [...ids].reverse() });
    expect(count()).toBe(0);
    expect(svc.redo()).toMatchObject({ undoDepth: 1, redoDepth: 1 });
    expect(count()).toBe(5);
    expect(svc.source(ids[1]!).source.labels?.sourceness).toBe('FAKE');
    expect(events.at(-1)![0]).toBe('labels.changed');
    expect(() => svc.setLabels({ sourceIds: ids, field: 'sourceness', value: 'MAYBE' })).toThrow(/vocabulary/);
  });

  it('review queue: unlabelled sources by S/N, with total and labelled counts of the filtered set', () => {
    const filter = 'snr > 10';
    const inFilter = synth.filter(({ source: s }) => s.snr! > 10);
    const labelled = new Set(svc.filteredIds(synthId, "sourceness is not null"));
    const q = svc.reviewQueue({ catalogueId: synthId, filter, unlabelledField: 'sourceness' });
    expect(q.total).toBe(inFilter.length);
    expect(q.labelled).toBe(inFilter.filter((s) => labelled.has(s.sourceId)).length);
    const want = inFilter.filter((s) => !labelled.has(s.sourceId)).sort((a, b) => b.source.snr! - a.source.snr!).map((s) => s.sourceId);
    expect(q.sourceIds).toEqual(want);
    const asc = svc.reviewQueue({ catalogueId: synthId, filter, order: 'snr-asc' });
    expect(asc.sourceIds.length).toBe(inFilter.length);
    expect(asc.sourceIds[0]).toBe([...inFilter].sort((a, b) => a.source.snr! - b.source.snr!)[0]!.sourceId);
  });

  it('catalogue.source returns the full model with components', () => {
    const withComps = synth.find((s) => s.source.components.length === 2)!;
    const d = svc.source(withComps.sourceId);
    expect(d.row.sourceId).toBe(withComps.sourceId);
    expect(d.source.components.map((c) => c.id)).toEqual(withComps.source.components.map((c) => c.id));
    expect(d.source.flux).toBe(withComps.source.flux);
    expect(() => svc.source(99_999_999)).toThrow(/no source/);
  });
});

describe('catalogue.export', () => {
  it('the slice loader gives exactly what the store load() gives (all, and a selection)', async () => {
    const summary = store.catalogues.get(synthId)!;
    const range = { first: synth[0]!.sourceId, last: synth.at(-1)!.sourceId };
    expect(await loadSelection(store, summary, range, null)).toEqual(store.catalogues.load(synthId));
    const pick = [synth[4]!.sourceId, synth[10]!.sourceId, synth[2999]!.sourceId];
    const sel = await loadSelection(store, summary, range, pick);
    expect(sel.sources).toEqual([synth[4]!, synth[10]!, synth[2999]!].map((x) => store.catalogues.sources(synthId, { offset: synth.indexOf(x), limit: 1 })[0]!.source));
  });

  it('writes every format and each re-reads with readCatalogue', async () => {
    const filter = 'snr > 60';
    const want = synth.filter(({ source: s }) => s.snr! > 60);
    for (const format of ['ds9', 'votable', 'csv', 'json'] as const) {
      const path = join(dir, `out.${format}`);
      // DS9 in a sky frame needs the image WCS to read back; this catalogue has no image, so write pixels.
      const r = await svc.export({ catalogueId: synthId, format, path, filter, ...(format === 'ds9' ? { frame: 'image' as const } : {}) });
      expect(r).toEqual({ path, rows: want.length });
      const back = await readCatalogue(path);
      // DS9 too: a point source with fitted components is written as its components only, and each comes back
      // under its own source (the reader goes by the component's name).
      expect(back.sources.map((s) => s.name), format).toEqual(want.map((w) => w.source.name));
      if (format === 'ds9') {
        expect(back.sources.map((s) => s.components.length)).toEqual(want.map((w) => w.source.components.length));
      }
      expect(back.sources[0]!.x, format).toBeCloseTo(want[0]!.source.x, 3);
      if (format !== 'ds9') expect(back.sources[0]!.flux! / want[0]!.source.flux!, format).toBeCloseTo(1, 6);
    }
    // Labels travel (first five are FAKE since the redo above, one of them is in the set or not: use explicit ids).
    const ids = synth.slice(0, 5).map((s) => s.sourceId);
    const path = join(dir, 'sel.json');
    expect((await svc.export({ catalogueId: synthId, format: 'json', path, sourceIds: ids })).rows).toBe(5);
    const back = await readCatalogue(path);
    expect(back.sources.map((s) => s.labels?.sourceness)).toEqual(['FAKE', 'FAKE', 'FAKE', 'FAKE', 'FAKE']);
    const ds9 = join(dir, 'img.reg');
    await svc.export({ catalogueId: synthId, format: 'ds9', path: ds9, frame: 'image', sourceIds: ids });
    expect(readFileSync(ds9, 'utf8')).toMatch(/^image/m);
    await expect(svc.export({ catalogueId: synthId, format: 'csv', path: join(dir, 'x.csv'), frame: 'image' })).rejects.toThrow(/DS9 regions only/);
  });
});

describe('overlay binary', () => {
  it('decodes to the sources (and components of multi-component sources) with labels and types', async () => {
    const buf = await svc.overlay(synthId);
    const o = decodeOverlay(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const multi = synth.filter((s) => s.source.components.length >= 2);
    expect(o.ids.length).toBe(3000 + 2 * multi.length);
    const labels = new Map(synth.slice(0, 5).map((s) => [s.sourceId, 2]));
    let i = 0;
    for (const { sourceId, source: s } of synth) {
      expect(o.ids[i]).toBe(sourceId);
      expect(o.x[i]).toBeCloseTo(s.x, 2);
      expect(o.y[i]).toBeCloseTo(s.y, 2);
      expect(o.majorPx[i]).toBeCloseTo(s.bmajPx!, 4);
      expect(o.minorPx[i]).toBeCloseTo(s.bminPx!, 4);
      expect(o.angleDeg[i]).toBeCloseTo(s.thetaPxDeg!, 3);
      expect(o.type[i]).toBe(s.type === 'extended' ? 1 : 0);
      const code = labels.get(sourceId) ?? (s.labels?.sourceness === 'CANDIDATE' ? 3 : 0);
      expect(o.labelCode[i]).toBe(code);
      i++;
      for (const c of s.components.length >= 2 ? s.components : []) {
        expect([o.ids[i], o.type[i], o.x[i]]).toEqual([sourceId, 2, Math.fround(c.x)]);
        i++;
      }
    }
    const filtered = await svc.overlay(synthId, "label == 'FAKE'");
    const f = decodeOverlay(filtered.buffer.slice(filtered.byteOffset, filtered.byteOffset + filtered.byteLength));
    expect(Array.from(f.ids).filter((v, k, a) => a.indexOf(v) === k)).toEqual(synth.slice(0, 5).map((s) => s.sourceId));
    expect(Array.from(f.labelCode).every((c) => c === 2)).toBe(true);
  });
});
