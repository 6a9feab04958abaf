// Store benchmark (not a test): import of a 10⁶-source synthetic catalogue (+ 2·10⁵ components), filter
// queries, bulk label, and the cost of one label write with synchronous=FULL (the store's setting, which
// survives power loss) against NORMAL. Targets (review issue): import ≤ 10 s, filter ≤ 200 ms.
// Usage: node bench/catalogue-store.mjs [--count 1000000] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The store is TypeScript: re-run this file under tsx's loader once.
if (!process.env.CIRASA_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CIRASA_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
const count = Number(values.count);
const { openStore } = await import('../src/main/store/openStore.ts');
const { syntheticCatalogue } = await import('../src/main/store/syntheticCatalogue.ts');

const dir = mkdtempSync(join(tmpdir(), 'cirasa-store-bench-'));
const path = join(dir, 'bench.db');
const store = openStore(path);
const ms = (t0) => (performance.now() - t0).toFixed(0).padStart(6) + ' ms';
const best = (n, f) => {
  let min = Infinity;
  let out;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    out = f();
    min = Math.min(min, performance.now() - t0);
  }
  return { min, out };
};

const imp = store.catalogues.import(syntheticCatalogue({ count, componentsEvery: 10, labelledEvery: 100 }));
console.log(`import ${imp.sources} sources + ${imp.components} components (one transaction, generation included): ${(imp.elapsedMs / 1000).toFixed(2)} s  [target ≤ 10 s]`);
console.log(`database size ${(statSync(path).size / 1e6).toFixed(0)} MB`);
const cat = imp.catalogueId;
const filters = {
  'snr >= 50 and flux >= 1 mJy': { ranges: { snr: { min: 50 }, flux: { min: 1e-3 } } },
  'box 2000² px, unlabelled': { ranges: { x: { min: 1000, max: 3000 }, y: { min: 1000, max: 3000 } }, sourceness: null },
  'extended, bmaj >= 24"': { type: 'extended', ranges: { bmajArcsec: { min: 24 } } },
};
for (const [name, f] of Object.entries(filters)) {
  const { min, out } = best(3, () => store.catalogues.filterSourceIds(cat, f));
  console.log(`filter ${name.padEnd(30)} ${String(out.length).padStart(7)} hits  best of 3 ${min.toFixed(0).padStart(5)} ms  [target ≤ 200 ms]`);
}
const bright = store.catalogues.filterSourceIds(cat, { ranges: { snr: { min: 150 } } });
let t0 = performance.now();
store.labels.setMany(bright, 'sourceness', 'REAL', { who: 'bench' });
console.log(`bulk label ${bright.length} sources (one transaction, one undo step): ${ms(t0)}`);
t0 = performance.now();
store.labels.undo('bench');
console.log(`undo of it: ${ms(t0)}`);

const ids = store.catalogues.filterSourceIds(cat, { ranges: { x: { max: 300 } } }).slice(0, 200);
for (const sync of ['FULL', 'NORMAL']) {
  store.db.pragma(`synchronous = ${sync}`);
  const t = performance.now();
  ids.forEach((id, i) => store.labels.set(id, 'class', i % 2 ? 'GALAXY' : 'QSO', { who: 'bench' }));
  console.log(`single label write, synchronous=${sync.padEnd(6)}: ${((performance.now() - t) / ids.length).toFixed(2)} ms each (${ids.length} writes)`);
}
store.db.pragma('synchronous = FULL');
t0 = performance.now();
const integrity = store.integrityCheck();
console.log(`integrity_check: ${integrity.join(', ')} (${ms(t0)})`);
store.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${path}`);
