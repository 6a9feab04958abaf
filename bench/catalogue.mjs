// Review backend benchmark (not a test): on a 10⁶-source synthetic catalogue (+ components, finder labels)
// in a real store, times what the review UI waits for: import (store, and a file through catalogue.import),
// filter expressions compiled to SQL (cold), table pages (first sorted page cold, then paging), the binary
// overlay (first build, then re-packs, filtered), a bulk label + undo, and the review queue.
// Targets (review issue): import ≤ 10 s, filter ≤ 200 ms. Renderer frame times are the UI bench's part.
// Usage: node bench/catalogue.mjs [--count 1000000] [--file-count 1000000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The backend is TypeScript: re-run this file under tsx's loader once.
if (!process.env.CIRASA_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CIRASA_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'file-count': { type: 'string', default: '1000000' },
    'write-csv': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: node bench/catalogue.mjs [--count 1000000] [--file-count 1000000]');
  console.log('  --count N        sources of the synthetic catalogue in the store (default 1000000)');
  console.log('  --file-count N   sources of the CSV file timed through catalogue.import (default 1000000)');
  process.exit(0);
}
if (values['write-csv']) {
  // Child process: the synthetic catalogue (a generator) straight to our CSV, so the parent never holds it.
  const { syntheticCatalogue } = await import('../src/main/store/syntheticCatalogue.ts');
  const { csvExporter } = await import('../src/main/export/index.ts');
  await csvExporter.write(syntheticCatalogue({ count: Number(values['file-count']), seed: 2 }), values['write-csv']);
  process.exit(0);
}
const count = Number(values.count);
const fileCount = Number(values['file-count']);
const { openStore } = await import('../src/main/store/openStore.ts');
const { syntheticCatalogue } = await import('../src/main/store/syntheticCatalogue.ts');
const { CatalogueService } = await import('../src/main/review/catalogueService.ts');

const dir = mkdtempSync(join(tmpdir(), 'cirasa-review-bench-'));
const store = openStore(join(dir, 'bench.sqlite'));
const newService = () => new CatalogueService({ store, emit: () => {} });
let svc = newService();
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
const time = (f) => {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
};
const timeAsync = async (f) => {
  const t0 = performance.now();
  const out = await f();
  return { ms: performance.now() - t0, out };
};

try {
  // 1. Import: a CSV file as our exporter writes it through catalogue.import (read + store) into an empty
  // store, then the synthetic catalogue straight into the store (the one every later step uses).
  {
    const csv = join(dir, 'file.csv');
    const w = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--write-csv', csv, '--file-count', String(fileCount)], {
      stdio: 'inherit',
      env: process.env,
    });
    if (w.status !== 0) throw new Error('writing the CSV failed');
    const fileStore = openStore(join(dir, 'file.sqlite'));
    const fileSvc = new CatalogueService({ store: fileStore, emit: () => {}, inMemoryColumns: false });
    const r = await timeAsync(() => fileSvc.import({ path: csv }));
    console.log(`import (catalogue.import of a ${(statSync(csv).size / 1e6).toFixed(0)} MB CSV, ${r.out.sourceCount} sources, read + store): ${(r.ms / 1000).toFixed(2)} s  [target ≤ 10 s]`);
    fileSvc.dispose();
    fileStore.close();
    rmSync(csv);
  }
  const imp = time(() => store.catalogues.import(syntheticCatalogue({ count, componentsEvery: 10, labelledEvery: 100 })));
  console.log(`import (store, generator) ${imp.out.sources} sources + ${imp.out.components} components: ${(imp.ms / 1000).toFixed(2)} s  [target ≤ 10 s]`);
  const cat = imp.out.catalogueId;

  // 2. Filters. SQL = what a filter costs before the catalogue's columns are in memory (and the fallback);
  // in-memory = after the background preload (started by every catalogue.import), the usual case.
  const filters = [
    'snr > 50 && flux > 1e-3',
    'x > 1000 && x < 3000 && y > 1000 && y < 3000 && label is null',
    "type == 'extended' && bmaj >= 24",
    "snr > 7 && bmaj < 1.5 * bmin && label != 'FAKE'",
    'sqrt(x*x + y*y) < 8000 || log10(flux) > -2',
  ];
  const preload = await timeAsync(() => svc.preloadColumns(cat, ['snr', 'flux', 'peak', 'x', 'y', 'bmaj', 'bmin', 'type']));
  console.log(`column preload (8 columns, background chunks): ${fmt(preload.ms)}`);
  for (const f of filters) {
    let warm = Infinity;
    let n = 0;
    // Wrapped in parentheses so the id-list cache misses and the expression is really evaluated each time.
    for (let i = 1; i <= 3; i++) {
      const r = time(() => svc.filterIds(cat, `${'('.repeat(i)}${f}${')'.repeat(i)}`));
      warm = Math.min(warm, r.ms);
      n = r.out.count;
    }
    const sqlSvc = new CatalogueService({ store, emit: () => {}, inMemoryColumns: false });
    const sql = time(() => sqlSvc.filterIds(cat, f));
    console.log(`filter ${JSON.stringify(f).padEnd(66)} ${String(n).padStart(7)} hits  in-memory best of 3 ${fmt(warm)}  SQL ${fmt(sql.ms)}  [target ≤ 200 ms]`);
  }

  // 3. Table pages (columns in memory).
  const q = { catalogueId: cat, filter: 'snr > 5', sort: { column: 'flux', descending: true }, limit: 100 };
  const first = time(() => svc.query({ ...q, offset: 0 }));
  const next = time(() => svc.query({ ...q, offset: 500_000 }));
  console.log(`table: first sorted page (filter snr > 5, ${first.out.total} rows, sort flux desc): ${fmt(first.ms)}; a later page: ${fmt(next.ms)}`);
  const unsorted = time(() => svc.query({ catalogueId: cat, offset: count - 100, limit: 100 }));
  console.log(`table: unfiltered last page: ${fmt(unsorted.ms)}`);

  // 4. Overlay.
  const o1 = await timeAsync(() => svc.overlay(cat));
  console.log(`overlay: first build + pack, ${o1.out.readUInt32LE(0)} ellipses, ${(o1.out.length / 1e6).toFixed(1)} MB: ${fmt(o1.ms)}`);
  const o2 = await timeAsync(() => svc.overlay(cat));
  console.log(`overlay: re-pack (labels re-read): ${fmt(o2.ms)}`);
  const o3 = await timeAsync(() => svc.overlay(cat, 'snr > 20'));
  console.log(`overlay: filtered 'snr > 20' (${o3.out.readUInt32LE(0)} ellipses, filter included): ${fmt(o3.ms)}`);

  // 5. Labels and the review queue.
  const bright = Array.from(svc.filteredIds(cat, 'snr > 150'));
  const bulk = time(() => svc.setLabels({ sourceIds: bright, field: 'sourceness', value: 'REAL' }));
  console.log(`bulk label ${bright.length} sources (one undo step): ${fmt(bulk.ms)}; undo: ${fmt(time(() => svc.undo()).ms)}`);
  const one = time(() => svc.setLabels({ sourceIds: [bright[0]], field: 'class', value: 'GALAXY' }));
  console.log(`one label (durable, synchronous=FULL): ${fmt(one.ms)}`);
  const rq = time(() => svc.reviewQueue({ catalogueId: cat, filter: 'snr > 20', unlabelledField: 'sourceness' }));
  console.log(`review queue snr > 20 unlabelled by S/N: ${rq.out.sourceIds.length} ids of ${rq.out.total}: ${fmt(rq.ms)}`);
  // 6. Export (writers render in memory, so a filtered subset).
  for (const format of ['csv', 'votable', 'ds9']) {
    const r = await timeAsync(() => svc.export({ catalogueId: cat, format, path: join(dir, `export.${format}`), filter: 'snr > 50', frame: format === 'ds9' ? 'image' : undefined }));
    console.log(`export ${format} of 'snr > 50' (${r.out.rows} sources, ${(statSync(r.out.path).size / 1e6).toFixed(0)} MB): ${fmt(r.ms)}`);
  }
} finally {
  svc.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
