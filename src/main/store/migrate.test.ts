import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';
import { openStore } from './openStore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cirasa-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tables(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

describe('store migrations', () => {
  it('creates the whole schema on an empty file, WAL + foreign keys + FULL sync', () => {
    const store = openStore(join(dir, 'a.db'));
    expect(store.migration).toEqual({ from: 0, to: MIGRATIONS.length, applied: ['001_initial', '002_jobs', '003_catalogue_source_range', '004_job_details', '005_session_definitions', '006_catalogue_import_options'] });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(tables(store.db)).toEqual(expect.arrayContaining([
      'images', 'catalogues', 'sources', 'components', 'labels', 'label_history', 'label_actions',
      'saved_subsets', 'subset_members', 'vocabulary_terms', 'jobs', 'schema_migrations',
    ]));
    expect(store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'jobs' },
      { version: 3, name: 'catalogue_source_range' },
      { version: 4, name: 'job_details' },
      { version: 5, name: 'session_definitions' },
      { version: 6, name: 'catalogue_import_options' },
    ]);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.integrityCheck()).toEqual(['ok']);
    store.close();
    // Reopening applies nothing.
    const again = openStore(join(dir, 'a.db'));
    expect(again.migration.applied).toEqual([]);
    again.close();
  });

  it('upgrades a v1 database and keeps its data', () => {
    const path = join(dir, 'v1.db');
    const v1 = openStore(path, { migrations: MIGRATIONS.slice(0, 1) });
    expect(v1.schemaVersion()).toBe(1);
    expect(tables(v1.db)).not.toContain('jobs');
    const image = v1.images.upsert({ path: '/data/field.fits', width: 100, height: 80 });
    // v1 rows written the way v1 code wrote them (today's repositories expect the latest schema).
    v1.db.exec(`INSERT INTO catalogues (id, uid, name, finder, frame, format_version, created_at, imported_at, source_count)
      VALUES (7, 'c', 'c', 'caesar', 'fk5', 1, 'then', 'then', 3)`);
    const addSource = v1.db.prepare(`INSERT INTO sources (id, catalogue_id, key, name, type, island_id, x, y, snr)
      VALUES (?, 7, ?, ?, 'point', '1', 1, 2, ?)`);
    [[11, 'S1', 4], [12, 'S2', 9], [13, 'S3', 20]].forEach(([id, key, snr]) => addSource.run(id, key, key, snr));
    v1.close();

    const v2 = openStore(path);
    expect(v2.migration).toMatchObject({ from: 1, to: MIGRATIONS.length, applied: ['002_jobs', '003_catalogue_source_range', '004_job_details', '005_session_definitions', '006_catalogue_import_options'] });
    expect(v2.images.get(image.id)).toMatchObject({ path: '/data/field.fits', name: 'field.fits', width: 100, height: 80 });
    expect(v2.catalogues.filterSourceIds(7, { ranges: { snr: { min: 5 } } })).toEqual([12, 13]);
    v2.labels.set(12, 'class', 'GALAXY', { who: 'a' });
    expect(v2.catalogues.sources(7).map((s) => s.source.id)).toEqual(['S1', 'S2', 'S3']);
    v2.db.prepare(`INSERT INTO jobs (id, app, options_json, inputs_json, backend, state, image_id, submitted_at)
      VALUES ('j1', 'caesar', '{}', '[]', 'local', 'PENDING', ?, 'now')`).run(image.id);
    expect(v2.integrityCheck()).toEqual(['ok']);
    v2.close();
  });

  it('refuses a database from a newer schema and leaves it untouched', () => {
    const path = join(dir, 'new.db');
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    let thrown: unknown;
    try {
      openStore(path);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('store.newerSchema');
    expect((thrown as AppError).message).toContain(path);
    expect((thrown as AppError).details).toMatchObject({ version: 99, supported: MIGRATIONS.length });
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    expect(tables(check)).toEqual(['future']);
    check.close();
  });

  it('rolls a failing step back whole: version and tables stay at the last good step', () => {
    const db = new Database(':memory:');
    const broken = [
      MIGRATIONS[0]!,
      { version: 2, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom'); } },
    ];
    expect(() => migrate(db, broken, ':memory:')).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).not.toContain('half');
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(1);
    db.close();
  });

  it('rejects a migration list with a gap', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ ...MIGRATIONS[0]!, version: 2 }], ':memory:')).toThrow(/expected 1/);
    db.close();
  });

  it('reports a file that is not a database as store.corrupt', () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, Buffer.alloc(8192, 0x41));
    expect(() => openStore(path)).toThrow(expect.objectContaining({ code: 'store.corrupt' }));
  });
});
