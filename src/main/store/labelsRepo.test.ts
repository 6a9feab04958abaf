import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './openStore';
import { syntheticCatalogue } from './syntheticCatalogue';

let dir: string;
let store: Store;
let ids: number[];
const alice = { who: 'alice' };

function open(): Store {
  const s = openStore(join(dir, 'labels.db'));
  ids = s.db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[];
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cirasa-labels-'));
  store = openStore(join(dir, 'labels.db'));
  store.catalogues.import(syntheticCatalogue({ count: 20 }));
  store.close();
  store = open();
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const classOf = (id: number) => store.labels.get(id)?.class ?? null;

describe('labels: set, history', () => {
  it('writes the label and one history row with the previous value, who and when', () => {
    const r1 = store.labels.set(ids[0]!, 'class', 'galaxy', { who: 'alice', at: '2025-05-01T10:00:00.000Z' });
    expect(r1.changes).toEqual([{ sourceId: ids[0], field: 'class', previous: null, value: 'GALAXY' }]);
    store.labels.set(ids[0]!, 'class', 'QSO', { who: 'bob', at: '2025-05-01T11:00:00.000Z' });
    store.labels.set(ids[0]!, 'notes', 'two lobes?', { who: 'bob' });
    expect(store.labels.get(ids[0]!)).toMatchObject({ class: 'QSO', notes: 'two lobes?', updatedBy: 'bob' });
    const h = store.labels.history(ids[0]!);
    expect(h.map((e) => [e.field, e.previous, e.value, e.who, e.kind])).toEqual([
      ['class', null, 'GALAXY', 'alice', 'set'],
      ['class', 'GALAXY', 'QSO', 'bob', 'set'],
      ['notes', null, 'two lobes?', 'bob', 'set'],
    ]);
    expect(h[1]!.at).toBe('2025-05-01T11:00:00.000Z');
    expect(store.labels.get(ids[1]!)).toBeUndefined();
  });

  it('a value equal to the current one records nothing', () => {
    store.labels.set(ids[0]!, 'sourceness', 'REAL', alice);
    expect(store.labels.set(ids[0]!, 'sourceness', 'real', alice)).toEqual({ actionId: null, changes: [] });
    expect(store.labels.history(ids[0]!)).toHaveLength(1);
  });

  it('clears a field with null (history keeps the old value)', () => {
    store.labels.set(ids[0]!, 'morphology', 'EXTENDED', alice);
    store.labels.set(ids[0]!, 'morphology', null, alice);
    expect(store.labels.get(ids[0]!)?.morphology).toBeUndefined();
    expect(store.labels.history(ids[0]!).at(-1)).toMatchObject({ previous: 'EXTENDED', value: null });
  });

  it('accepts only vocabulary terms; user additions extend the vocabulary', () => {
    expect(() => store.labels.set(ids[0]!, 'class', 'BLAZAR', alice)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => store.labels.set(ids[0]!, 'sourceness', 'MAYBE', alice)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(store.labels.get(ids[0]!)).toBeUndefined();
    expect(store.vocabularies.add('class', ' blazar ', 'alice')).toBe('BLAZAR');
    expect(store.vocabularies.list('class').slice(-2)).toEqual(['MULTI-CLASS', 'BLAZAR']);
    store.labels.set(ids[0]!, 'class', 'Blazar', alice);
    expect(classOf(ids[0]!)).toBe('BLAZAR');
    expect(store.vocabularies.list('morphology')).toEqual(['UNKNOWN', 'COMPACT', 'POINT-LIKE', 'EXTENDED', 'DIFFUSE', 'COMPACT-EXTENDED']);
  });

  it('an unknown source id is notFound and writes nothing (the whole bulk act is rolled back)', () => {
    expect(() => store.labels.setMany([ids[0]!, 999999], 'class', 'PN', alice)).toThrow(
      expect.objectContaining({ code: 'notFound', message: expect.stringContaining('999999') }),
    );
    expect(classOf(ids[0]!)).toBeNull();
    expect(store.db.prepare('SELECT count(*) FROM label_history').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM label_actions').pluck().get()).toBe(0);
  });
});

describe('labels: undo/redo', () => {
  it('undoes and redoes acts in stack order, recording undo/redo in the history', () => {
    store.labels.set(ids[0]!, 'class', 'GALAXY', alice);
    store.labels.set(ids[0]!, 'class', 'QSO', alice);
    store.labels.set(ids[1]!, 'class', 'SNR', alice);
    expect(store.labels.peekUndo('alice')).toEqual([{ sourceId: ids[1], field: 'class', previous: 'SNR', value: null }]);

    expect(store.labels.undo('alice')?.changes).toHaveLength(1);
    expect(classOf(ids[1]!)).toBeNull();
    store.labels.undo('alice');
    expect(classOf(ids[0]!)).toBe('GALAXY');
    store.labels.redo('alice');
    expect(classOf(ids[0]!)).toBe('QSO');
    store.labels.redo('alice');
    expect(classOf(ids[1]!)).toBe('SNR');
    expect(store.labels.redo('alice')).toBeNull();

    store.labels.undo('alice');
    store.labels.undo('alice');
    store.labels.undo('alice');
    expect(classOf(ids[0]!)).toBeNull();
    expect(store.labels.undo('alice')).toBeNull();
    expect(store.labels.history(ids[0]!).map((e) => `${e.kind}:${e.previous}->${e.value}`)).toEqual([
      'set:null->GALAXY', 'set:GALAXY->QSO', 'undo:QSO->GALAXY', 'redo:GALAXY->QSO', 'undo:QSO->GALAXY', 'undo:GALAXY->null',
    ]);
  });

  it('a new act discards the redo branch', () => {
    store.labels.set(ids[0]!, 'class', 'GALAXY', alice);
    store.labels.set(ids[0]!, 'class', 'QSO', alice);
    store.labels.undo('alice');
    store.labels.set(ids[2]!, 'class', 'PN', alice);
    expect(store.labels.peekRedo('alice')).toBeNull();
    expect(store.labels.redo('alice')).toBeNull();
    store.labels.undo('alice');
    store.labels.undo('alice');
    expect(classOf(ids[0]!)).toBeNull();
    expect(classOf(ids[2]!)).toBeNull();
  });

  it('bulk label of N sources is one transaction and ONE undo step', () => {
    store.labels.set(ids[3]!, 'sourceness', 'FAKE', alice);
    const bulk = store.labels.setMany(ids.slice(0, 10), 'sourceness', 'REAL', alice);
    expect(bulk.changes).toHaveLength(10);
    expect(store.db.prepare('SELECT count(*) FROM label_history WHERE action_id = ?').pluck().get(bulk.actionId)).toBe(10);
    expect(ids.slice(0, 10).every((id) => store.labels.get(id)?.sourceness === 'REAL')).toBe(true);
    const undone = store.labels.undo('alice');
    expect(undone?.undoneId).toBe(bulk.actionId);
    expect(ids.slice(0, 10).map((id) => store.labels.get(id)?.sourceness ?? null)).toEqual(
      ids.slice(0, 10).map((id) => (id === ids[3] ? 'FAKE' : null)),
    );
    store.labels.redo('alice');
    expect(ids.slice(0, 10).every((id) => store.labels.get(id)?.sourceness === 'REAL')).toBe(true);
  });

  it('the undo stack survives closing and reopening the store', () => {
    store.labels.set(ids[0]!, 'class', 'GALAXY', alice);
    store.labels.setMany([ids[0]!, ids[1]!], 'class', 'HII', alice);
    store.close();
    store = open();
    expect(classOf(ids[1]!)).toBe('HII');
    store.labels.undo('alice');
    expect([classOf(ids[0]!), classOf(ids[1]!)]).toEqual(['GALAXY', null]);
    store.close();
    store = open();
    store.labels.redo('alice');
    expect([classOf(ids[0]!), classOf(ids[1]!)]).toEqual(['HII', 'HII']);
  });

  it('sessions have separate stacks; undo leaves a field another session changed since', () => {
    store.labels.setMany([ids[0]!, ids[1]!], 'class', 'GALAXY', alice);
    store.labels.set(ids[1]!, 'class', 'STAR', { who: 'bob' });
    const undone = store.labels.undo('alice');
    expect(undone?.changes).toEqual([{ sourceId: ids[0], field: 'class', previous: 'GALAXY', value: null }]);
    expect([classOf(ids[0]!), classOf(ids[1]!)]).toEqual([null, 'STAR']);
    // Bob's stack still holds his act.
    store.labels.undo('bob');
    expect(classOf(ids[1]!)).toBe('GALAXY');
  });

  it('history, labels and acts stay consistent after many random acts (integrity_check ok)', () => {
    const classes = store.vocabularies.list('class');
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 300; i++) {
      const r = rnd();
      if (r < 0.15) store.labels.undo('alice');
      else if (r < 0.25) store.labels.redo('alice');
      else {
        const n = 1 + Math.floor(rnd() * 4);
        const chosen = Array.from({ length: n }, () => ids[Math.floor(rnd() * ids.length)]!);
        store.labels.setMany(chosen, 'class', classes[Math.floor(rnd() * classes.length)]!, alice);
      }
    }
    // The last history row of every (source, field) holds the current value.
    const rows = store.db.prepare(`SELECT h.source_id, h.new_value, l.class FROM label_history h JOIN labels l USING (source_id)
      WHERE h.id = (SELECT max(id) FROM label_history WHERE source_id = h.source_id AND field = 'class')`).all() as { new_value: string | null; class: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.class).toBe(r.new_value);
    expect(store.integrityCheck()).toEqual(['ok']);
  });
});
