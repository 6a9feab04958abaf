import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdsBase64 } from '../../src/shared/contract/catalogues';
import { AppError } from '../../src/shared/contract/errors';
import type { Source } from '../../src/shared/domain/source';
import { EXTRA_FILTER_COLUMNS, TABLE_COLUMNS } from '../../src/shared/filter';
import { CatalogueService } from '../../src/main/review/catalogueService';
import { sessionHandlers } from '../../src/main/review/sessionHandlers';
import { openStore, type Store } from '../../src/main/store';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';
import { mulberry32 } from '../../src/shared/random';
import type { CallContext } from '../../src/main/transport/bindContract';

// Saved subsets combined with and/or/not and computed columns, through the contract handlers, on the
// in-memory column path and the SQL path, against brute-force selections of the synthetic sources.

const dir = mkdtempSync(join(tmpdir(), 'session-defs-'));
let store: Store;
let mem: CatalogueService;
let sql: CatalogueService;
let h: ReturnType<typeof sessionHandlers>;
let cat: number;
let rows: { sourceId: number; source: Source }[];
const ctx = {} as CallContext;

beforeAll(async () => {
  store = openStore(join(dir, 'cirasa.sqlite'));
  mem = new CatalogueService({ store, emit: () => undefined });
  sql = new CatalogueService({ store, emit: () => undefined, inMemoryColumns: false });
  h = sessionHandlers(store, mem, 'tester');
  cat = store.catalogues.import(syntheticCatalogue({ count: 3000, seed: 5, labelledEvery: 0 })).catalogueId;
  rows = store.catalogues.sources(cat);
  await mem.preloadColumns(cat, [...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].map((c) => c.name));
});
afterAll(() => {
  mem.dispose();
  sql.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (svc: CatalogueService, filter: string): number[] => Array.from(svc.filteredIds(cat, filter));
const where = (f: (s: Source, id: number) => boolean): number[] => rows.filter((r) => f(r.source, r.sourceId)).map((r) => r.sourceId);

describe('saved subsets', () => {
  it('combine with and/or/not and columns exactly as brute force, in memory and in SQL', async () => {
    const rnd = mulberry32(3);
    const picked = rows.filter(() => rnd() < 0.2).map((r) => r.sourceId);
    const pickedSet = new Set(picked);
    expect((await h['subsets.save']({ catalogueId: cat, name: 'bright', filter: 'snr > 20' }, ctx)).memberCount).toBe(where((s) => s.snr! > 20).length);
    await h['subsets.save']({ catalogueId: cat, name: 'edge', filter: 'x < 3000 || x > 29000 || y < 3000 || y > 29000' }, ctx);
    await h['subsets.save']({ catalogueId: cat, name: 'Picked by hand', sourceIds: picked }, ctx);
    // filter + ids = the intersection.
    expect((await h['subsets.save']({ catalogueId: cat, name: 'picked faint', filter: 'snr < 10', sourceIds: picked }, ctx)).memberCount)
      .toBe(where((s, id) => s.snr! < 10 && pickedSet.has(id)).length);
    const bright = (s: Source) => s.snr! > 20;
    const edge = (s: Source) => s.x < 3000 || s.x > 29000 || s.y < 3000 || s.y > 29000;
    const cases: [string, (s: Source, id: number) => boolean][] = [
      ["subset('bright') && !subset('edge')", (s) => bright(s) && !edge(s)],
      ["subset('bright') or subset('Picked by hand')", (s, id) => bright(s) || pickedSet.has(id)],
      ["not (subset('edge') or subset('bright')) and flux > 2e-4", (s) => !(edge(s) || bright(s)) && s.flux! > 2e-4],
      ["subset('Picked by hand') && subset('edge') && label != 'FAKE'", (s, id) => pickedSet.has(id) && edge(s)],
      ["subset('picked faint') || (subset('bright') && snr < 30)", (s, id) => (pickedSet.has(id) && s.snr! < 10) || (bright(s) && s.snr! < 30)],
    ];
    for (const [expr, f] of cases) {
      const want = where(f);
      expect(want.length, expr).toBeGreaterThan(0);
      expect(ids(mem, expr), `${expr} (memory)`).toEqual(want);
      expect(ids(sql, expr), `${expr} (sql)`).toEqual(want);
    }
    // A subset saved from a subset expression is a fixed snapshot of that combination.
    await h['subsets.save']({ catalogueId: cat, name: 'combined', filter: "subset('bright') && !subset('edge')" }, ctx);
    expect(ids(mem, "subset('combined')")).toEqual(where((s) => bright(s) && !edge(s)));
    expect((await h['subsets.list']({ catalogueId: cat }, ctx)).map((s) => s.name)).toEqual(['Picked by hand', 'bright', 'combined', 'edge', 'picked faint']);
  });

  it('redefining or removing a subset is seen by the next filter (no stale cached result)', async () => {
    const before = ids(mem, "subset('bright')");
    await h['subsets.save']({ catalogueId: cat, name: 'bright', filter: 'snr > 50' }, ctx);
    const after = ids(mem, "subset('bright')");
    expect(after).toEqual(where((s) => s.snr! > 50));
    expect(after.length).toBeLessThan(before.length);
    await h['subsets.remove']({ catalogueId: cat, name: 'bright' }, ctx);
    const err = (() => { try { mem.filteredIds(cat, "subset('bright')"); } catch (e) { return e as AppError; } return null; })();
    expect(err).toMatchObject({ code: 'filter.parseFailed', details: { position: 7 } });
    expect(err!.message).toContain("unknown subset 'bright'");
    await expect(h['subsets.remove']({ catalogueId: cat, name: 'bright' }, ctx)).rejects.toMatchObject({ code: 'notFound' });
  });
});

describe('computed columns', () => {
  it('evaluate in filters, table rows and sorts-by-filter as brute force, on both paths', async () => {
    await h['columns.define']({ catalogueId: cat, name: 'Ratio', expression: 'flux / peak' }, ctx);
    await h['columns.define']({ catalogueId: cat, name: 'size', expression: 'sqrt(bmaj * bmin) - 15 + 0 * rms' }, ctx);
    expect(await h['columns.list']({ catalogueId: cat }, ctx)).toEqual([
      { catalogueId: cat, name: 'ratio', expression: 'flux / peak' },
      { catalogueId: cat, name: 'size', expression: 'sqrt(bmaj * bmin) - 15 + 0 * rms' },
    ]);
    const ratio = (s: Source) => s.flux! / s.peak!;
    const size = (s: Source) => Math.sqrt(s.bmajArcsec! * s.bminArcsec!) - 15;
    for (const [expr, f] of [
      ['ratio > 1.3', (s: Source) => ratio(s) > 1.3],
      ['ratio * 2 < 2.4 && size > 1', (s: Source) => ratio(s) * 2 < 2.4 && size(s) > 1],
      ['RATIO > 1.5 or snr > 100', (s: Source) => ratio(s) > 1.5 || s.snr! > 100],
    ] as const) {
      const want = where(f);
      expect(want.length, expr).toBeGreaterThan(0);
      expect(ids(mem, expr), expr).toEqual(want);
      expect(ids(sql, expr), expr).toEqual(want);
    }
    const page = mem.query({ catalogueId: cat, offset: 0, limit: 50 });
    const byId = new Map(rows.map((r) => [r.sourceId, r.source]));
    for (const row of page.rows) {
      expect(row.values.ratio).toBeCloseTo(ratio(byId.get(row.sourceId)!), 12);
      expect(row.values.size).toBeCloseTo(size(byId.get(row.sourceId)!), 12);
    }
    expect(mem.columns(cat).slice(-2).map((c) => c.name)).toEqual(['ratio', 'size']);
    // Sorting by a computed column (descending, ties by id) with a filter, as brute force.
    const want = rows.filter((r) => r.source.snr! > 10).sort((p, q) => ratio(q.source) - ratio(p.source) || p.sourceId - q.sourceId).slice(0, 40).map((r) => r.sourceId);
    for (const svc of [mem, sql]) {
      expect(svc.query({ catalogueId: cat, filter: 'snr > 10', sort: { column: 'ratio', descending: true }, offset: 0, limit: 40 }).rows.map((r) => r.sourceId)).toEqual(want);
    }
    // The same through catalogue.filterIds' wire form.
    expect(Array.from(decodeIdsBase64(mem.filterIds(cat, 'ratio > 1.3').idsBase64))).toEqual(where((s) => ratio(s) > 1.3));
  });

  it('a bad definition is refused pointing at the character; a taken name is refused', async () => {
    const err = await Promise.resolve(h['columns.define']({ catalogueId: cat, name: 'bad', expression: 'flux / / peak' }, ctx)).then(() => null, (e: AppError) => e);
    expect(err).toMatchObject({ code: 'filter.parseFailed', details: { position: 7 } });
    expect(err!.message).toContain('flux / / peak\n         ^');
    await expect(h['columns.define']({ catalogueId: cat, name: 'cond', expression: 'snr > 5' }, ctx)).rejects.toMatchObject({ code: 'filter.parseFailed', details: { position: 0 } });
    await expect(h['columns.define']({ catalogueId: cat, name: 'snr', expression: 'flux' }, ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(h['columns.define']({ catalogueId: cat, name: 'label', expression: 'flux' }, ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(h['columns.define']({ catalogueId: cat, name: '2x', expression: 'flux' }, ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(h['columns.define']({ catalogueId: cat, name: 'selfref', expression: 'ratio * 2' }, ctx)).rejects.toMatchObject({ code: 'filter.parseFailed' });
    expect((await h['columns.list']({ catalogueId: cat }, ctx)).map((c) => c.name)).toEqual(['ratio', 'size']);
  });

  it('redefining and removing a column is seen by the next filter', async () => {
    await h['columns.define']({ catalogueId: cat, name: 'ratio', expression: 'peak / flux' }, ctx);
    expect(ids(mem, 'ratio > 0.9')).toEqual(where((s) => s.peak! / s.flux! > 0.9));
    await h['columns.remove']({ catalogueId: cat, name: 'ratio' }, ctx);
    expect(() => mem.filteredIds(cat, 'ratio > 0.9')).toThrow(/unknown column 'ratio'/);
    expect(mem.columns(cat).map((c) => c.name)).not.toContain('ratio');
  });
});
