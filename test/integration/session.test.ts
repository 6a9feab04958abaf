import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/contract/errors';
import type { SessionState } from '../../src/shared/contract/session';
import { exportCatalogue } from '../../src/main/export';
import { CatalogueService } from '../../src/main/review/catalogueService';
import { SessionService } from '../../src/main/review/sessionService';
import { openStore, type Store } from '../../src/main/store';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';

// Save a review session in one data folder, open it in a FRESH one (the catalogue is re-imported from its
// file), and compare every label, note, subset, computed column and the state; a damaged file changes nothing.

const dir = mkdtempSync(join(tmpdir(), 'session-'));
const catPath = join(dir, 'field.json');
const sessionPath = join(dir, 'review.cirasa-session.json');

interface Backend {
  store: Store;
  svc: CatalogueService;
  sessions: SessionService;
}
const open = (name: string): Backend => {
  const store = openStore(join(dir, `${name}.sqlite`));
  const svc = new CatalogueService({ store, emit: () => undefined, inMemoryColumns: false });
  return { store, svc, sessions: new SessionService(store, svc, 'tester') };
};
const close = (b: Backend): void => {
  b.svc.dispose();
  b.store.close();
};

/** Every label of a catalogue by source key (what must survive), ignoring catalogue-imported tags. */
function labelsByKey(b: Backend, catalogueId: number): Record<string, Record<string, string | null>> {
  const rows = b.store.db.prepare(
    `SELECT s.key, l.sourceness, l.class, l.morphology, l.notes FROM labels l JOIN sources s ON s.id = l.source_id
     WHERE s.catalogue_id = ? AND (l.sourceness IS NOT NULL OR l.class IS NOT NULL OR l.morphology IS NOT NULL OR l.notes IS NOT NULL) ORDER BY s.key`,
  ).all(catalogueId) as Record<string, string | null>[];
  return Object.fromEntries(rows.map(({ key, ...rest }) => [key!, rest]));
}

let a: Backend;
let catA: number;
const state: SessionState = {
  view: { centre: { x: 1234.5, y: 987.25 }, zoom: 0.37 },
  display: { colormap: 'viridis', stretch: 'asinh', clip: { kind: 'percentile', value: 99.5 } },
  filter: "snr > 10 && label != 'FAKE'",
};

beforeAll(async () => {
  const cat = syntheticCatalogue({ count: 400, seed: 11, componentsEvery: 7, labelledEvery: 0 });
  await exportCatalogue({ ...cat, sources: [...cat.sources] }, 'json', catPath);
  a = open('a');
  const s = await a.svc.import({ path: catPath, name: 'field' });
  catA = s.catalogueId;
});
afterAll(() => {
  close(a);
  rmSync(dir, { recursive: true, force: true });
});

describe('session files', () => {
  it('save → fresh data folder → load restores every label, note, subset, computed column and the view', async () => {
    const ids = a.svc.filteredIds(catA, '');
    const pick = (k: number): number[] => Array.from(ids).filter((_, i) => i % k === 0);
    a.svc.setLabels({ sourceIds: pick(5), field: 'sourceness', value: 'REAL' });
    a.svc.setLabels({ sourceIds: pick(7), field: 'sourceness', value: 'FAKE' });
    a.svc.setLabels({ sourceIds: pick(11), field: 'class', value: 'GALAXY' });
    a.svc.setLabels({ sourceIds: pick(13), field: 'morphology', value: 'EXTENDED', who: 'alice' });
    a.svc.setLabels({ sourceIds: [ids[3]!], field: 'notes', value: 'double lobe, check "core"\nsecond line' });
    a.svc.setLabels({ sourceIds: [ids[4]!], field: 'notes', value: 'artefact near bright source' });
    a.svc.definitions.defineComputed(catA, 'ratio', 'flux / peak', 'tester', undefined);
    a.svc.definitions.saveSubset(catA, 'bright', a.svc.filteredIds(catA, 'snr > 20'), 'snr > 20', 'tester');
    const styled: SessionState = { ...state, activeCatalogueId: catA, catalogues: [{ catalogueId: catA, style: { colour: '#ff9100', visible: false } }] };

    const saved = await a.sessions.save({ path: sessionPath, state: styled });
    const want = labelsByKey(a, catA);
    expect(saved).toMatchObject({ catalogues: 1, labels: Object.keys(want).length });
    expect(Object.keys(want).length).toBeGreaterThan(100);

    const b = open('b');
    try {
      expect(b.store.catalogues.list()).toEqual([]);
      const r = await b.sessions.load({ path: sessionPath });
      expect(r.warnings).toEqual([]);
      expect(r.imported).toBe(1);
      const catB = r.catalogueIds[String(catA)]!;
      expect(labelsByKey(b, catB)).toEqual(want);
      expect(r.state).toEqual({ ...styled, activeCatalogueId: catB, catalogues: [{ catalogueId: catB, style: { colour: '#ff9100', visible: false } }] });
      // Subset membership (by key), computed column values and the filter over both, against brute force in A.
      const keysOf = (bk: Backend, cat: number, filter: string): string[] =>
        bk.svc.query({ catalogueId: cat, filter, offset: 0, limit: 1000 }).rows.map((row) => String(row.values.name)).sort();
      expect(b.svc.definitions.listSubsets(catB)).toEqual([expect.objectContaining({ name: 'bright', expression: 'snr > 20' })]);
      expect(keysOf(b, catB, "subset('bright') && ratio > 1")).toEqual(keysOf(a, catA, "subset('bright') && ratio > 1"));
      expect(keysOf(b, catB, "subset('bright')").length).toBe(a.store.subsets.list(catA)[0]!.memberCount);
      // Labels went through the labelling path: one undo takes back one (field, value) group.
      const undo = b.svc.undo();
      expect(undo.changedSourceIds.length).toBeGreaterThan(0);
      expect(b.svc.redo().changedSourceIds.length).toBe(undo.changedSourceIds.length);

      // Loading again into the same store reuses the catalogue and writes nothing.
      const again = await b.sessions.load({ path: sessionPath });
      expect(again).toMatchObject({ imported: 0, labelsApplied: 0, catalogueIds: { [String(catA)]: catB } });
      expect(b.store.catalogues.list()).toHaveLength(1);
    } finally {
      close(b);
    }
  });

  it('labels whose key is gone are matched by source name; the rest are reported', async () => {
    const file = JSON.parse(readFileSync(sessionPath, 'utf8'));
    file.labels[0].key = 'renumbered-1';
    file.labels[1].key = 'renumbered-2';
    delete file.labels[1].name;
    const p = join(dir, 'renamed.json');
    writeFileSync(p, JSON.stringify(file));
    const e = open('e');
    try {
      const r = await e.sessions.load({ path: p });
      expect(r.warnings).toEqual([expect.stringMatching(/^1 labelled source\(s\) of catalogue \d+ are not in it \(keys renumbered-2\)$/)]);
      const labels = labelsByKey(e, r.catalogueIds[String(catA)]!);
      expect(Object.keys(labels)).toHaveLength(file.labels.length - 1);
      expect(labels[file.labels[0].name]).toBeDefined();
    } finally {
      close(e);
    }
  });

  it('a missing catalogue file: loads the rest and says what is missing', async () => {
    const file = JSON.parse(readFileSync(sessionPath, 'utf8'));
    file.catalogues[0].sourcePath = join(dir, 'gone.json');
    file.state.image = { path: join(dir, 'gone.fits') };
    const p = join(dir, 'missing.json');
    writeFileSync(p, JSON.stringify(file));
    const c = open('c');
    try {
      const r = await c.sessions.load({ path: p });
      expect(r.imported).toBe(0);
      expect(r.warnings).toEqual([expect.stringContaining('gone.json is missing'), expect.stringContaining('gone.fits is missing')]);
      expect(r.state.image).toBeUndefined();
      expect(r.state.catalogues).toEqual([]);
      expect(r.state.activeCatalogueId).toBeNull();
    } finally {
      close(c);
    }
  });

  const corruptions: [string, (f: Record<string, any>) => unknown, string | null][] = [
    ['truncated JSON', () => null, null],
    ['a label without key', (f) => delete f.labels[2].key, 'labels[2].key'],
    ['a label of an unlisted catalogue', (f) => (f.labels.at(-1).catalogueId = 99), `labels[LAST].catalogueId`],
    ['a zoom that is not a number', (f) => (f.state.view.zoom = 'big'), 'state.view.zoom'],
    ['a newer format version', (f) => (f.version = 2), 'version'],
    ['a bad label term', (f) => (f.labels[1].sourceness = '<script>'), 'labels[1].sourceness'],
    ['not a session', (f) => (f.format = 'something-else'), 'format'],
  ];
  for (const [what, corrupt, field] of corruptions) {
    it(`${what} → session.badFile naming the file and field, nothing applied`, async () => {
      const text = readFileSync(sessionPath, 'utf8');
      const p = join(dir, 'bad.json');
      const f = JSON.parse(text);
      if (corrupt(f) === null) writeFileSync(p, text.slice(0, text.length / 2));
      else writeFileSync(p, JSON.stringify(f));
      const d = open(`d${corruptions.findIndex((c) => c[0] === what)}`);
      try {
        const err = await d.sessions.load({ path: p }).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('session.badFile');
        expect((err as AppError).message).toContain(p);
        const wantField = field?.replace('LAST', String(f.labels.length - 1)) ?? null;
        expect((err as AppError).details).toMatchObject({ path: p, field: wantField });
        if (wantField) expect((err as AppError).message).toContain(wantField);
        expect(d.store.catalogues.list()).toEqual([]);
        expect(d.store.db.prepare('SELECT count(*) FROM label_history').pluck().get()).toBe(0);
      } finally {
        close(d);
      }
    });
  }

  it('a session folder moved as a whole: catalogue and image are found beside the session file', async () => {
    const { copyFileSync, mkdirSync } = await import('node:fs');
    const moved = join(dir, 'moved');
    mkdirSync(moved, { recursive: true });
    const file = JSON.parse(readFileSync(sessionPath, 'utf8'));
    file.catalogues[0].sourcePath = join(dir, 'old-place', 'field.json');
    file.state.image = { path: join(dir, 'old-place', 'field.fits') };
    copyFileSync(catPath, join(moved, 'field.json'));
    writeFileSync(join(moved, 'field.fits'), 'not read here');
    const p = join(moved, 'session.json');
    writeFileSync(p, JSON.stringify(file));
    const f = open('f');
    try {
      const r = await f.sessions.load({ path: p });
      expect(r.warnings).toEqual([]);
      expect(r.imported).toBe(1);
      expect(r.state.image).toEqual({ path: join(moved, 'field.fits') });
      expect(Object.keys(labelsByKey(f, r.catalogueIds[String(catA)]!))).toHaveLength(file.labels.length);
    } finally {
      close(f);
    }
  });

  it('saving into a folder that does not exist → notFound naming the file', async () => {
    const p = join(dir, 'no', 'such', 'folder', 's.json');
    await expect(a.sessions.save({ path: p, state: {} })).rejects.toMatchObject({ code: 'notFound', details: { path: p } });
  });

  it('no such session file → notFound', async () => {
    await expect(a.sessions.load({ path: join(dir, 'nope.json') })).rejects.toMatchObject({ code: 'notFound' });
  });
});
