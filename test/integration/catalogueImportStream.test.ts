import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, EventName } from '../../src/shared/contract/events';
import { readCatalogue } from '../../src/main/catalogue';
import { csvExporter } from '../../src/main/export';
import { CatalogueService } from '../../src/main/review/catalogueService';
import { openStore, type Store } from '../../src/main/store';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';

// catalogue.import streams our CSV into the store (no whole model in memory): the stored catalogue must be the
// one the whole-model path (readCatalogue, then store.catalogues.import) stores, and a failure must store nothing.

const dir = mkdtempSync(join(tmpdir(), 'import-stream-'));
const csv = join(dir, 'synthetic.csv');
let store: Store;
let svc: CatalogueService;
const progress: number[] = [];

beforeAll(async () => {
  const src = openStore(join(dir, 'source.sqlite'));
  const id = src.catalogues.import(syntheticCatalogue({ count: 10_000, seed: 3, componentsEvery: 7, labelledEvery: 11 })).catalogueId;
  await csvExporter.write(src.catalogues.load(id), csv);
  src.close();
  store = openStore(join(dir, 'store.sqlite'));
  svc = new CatalogueService({
    store, inMemoryColumns: false,
    emit: <K extends EventName>(name: K, payload: EventMap[K]) => {
      if (name === 'catalogue.importProgress') progress.push((payload as EventMap['catalogue.importProgress']).fraction);
    },
  });
});
afterAll(() => {
  svc.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the whole-model path stores for `file` (in its own store), as loaded back with store ids. */
function wholeModel(file: string) {
  return readCatalogue(file).then((cat) => {
    const other = openStore(join(dir, `whole-${Math.random()}.sqlite`));
    try {
      const r = other.catalogues.import(cat);
      return { result: r, sources: other.catalogues.sources(r.catalogueId).map((s) => s.source), summary: other.catalogues.get(r.catalogueId)! };
    } finally {
      other.close();
    }
  });
}

describe('catalogue.import of our CSV (streamed)', () => {
  it('stores the same sources, components and labels as the whole-model path', async () => {
    progress.length = 0;
    const s = await svc.import({ path: csv });
    const want = await wholeModel(csv);
    expect(s.sourceCount).toBe(10_000);
    expect(want.result.components).toBeGreaterThan(1000);
    expect(want.result.labelled).toBeGreaterThan(500);
    const got = store.catalogues.sources(s.catalogueId).map((x) => x.source);
    expect(got).toEqual(want.sources);
    const summary = store.catalogues.get(s.catalogueId)!;
    for (const k of ['uid', 'name', 'finder', 'frame', 'createdAt', 'sourceCount', 'componentCount'] as const) expect(summary[k]).toEqual(want.summary[k]);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    svc.remove(s.catalogueId);
  });

  it('stores nothing when a row near the end is bad, and names its line', async () => {
    const lines = readFileSync(csv, 'utf8').split('\n');
    const at = lines.length - 20;
    const cells = lines[at]!.split(',');
    cells[9] = 'abc'; // x
    lines[at] = cells.join(',');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const before = store.catalogues.list().length;
    await expect(svc.import({ path: bad })).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining(`line ${at + 1}`) });
    expect(store.catalogues.list().length).toBe(before);
    const db = store as unknown as { db?: { prepare(sql: string): { get(): unknown } } };
    if (db.db) expect(db.db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 });
  });

  it('falls back to the whole-model reader when a component row does not follow its source', async () => {
    const lines = readFileSync(csv, 'utf8').split('\n');
    const k = lines.findIndex((l) => l.includes(',component,'));
    const [component] = lines.splice(k, 1);
    lines.splice(lines.length - 1, 0, component!);
    const moved = join(dir, 'moved.csv');
    writeFileSync(moved, lines.join('\n'));
    const s = await svc.import({ path: moved });
    const want = await wholeModel(moved);
    expect(store.catalogues.sources(s.catalogueId).map((x) => x.source)).toEqual(want.sources);
    expect(store.catalogues.list()).toHaveLength(1);
    svc.remove(s.catalogueId);
  });

  it('gives the whole-model reader\'s error when the first row is a component of no source', async () => {
    const lines = readFileSync(csv, 'utf8').split('\n');
    const header = lines.findIndex((l) => l.startsWith('id,'));
    const component = lines.find((l) => l.includes(',component,'))!;
    lines.splice(header + 1, 0, component);
    const orphan = join(dir, 'orphan.csv');
    writeFileSync(orphan, lines.join('\n'));
    const before = store.catalogues.list().length;
    const want = await readCatalogue(orphan).catch((e: unknown) => e);
    expect(want).toMatchObject({ code: 'catalogue.parseFailed' });
    await expect(svc.import({ path: orphan })).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: (want as Error).message });
    expect(store.catalogues.list().length).toBe(before);
  });
});
