// Crash test of the store: a child labels in a loop and is SIGKILLed at a random moment (20–300 ms after
// it is ready), 24 times on the same database. After each kill the database must pass integrity_check
// and hold every label the child acknowledged (the last acknowledged value per source), and the one act
// that may have been in flight must be all-or-nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/openStore';
import { syntheticCatalogue } from '../../src/main/store/syntheticCatalogue';
import { REPO_ROOT } from '../helpers/paths';

const RUNS = 24;
let dir: string;
let childJs: string;
let dbPath: string;
let sourceIds: number[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cirasa-crash-'));
  // Bundled once (node starts it in ~100 ms, tsx would take far longer). It lives under the repo's
  // node_modules/.cache so the external better-sqlite3 resolves from the repo.
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache', 'cirasa-store-crash');
  mkdirSync(cacheDir, { recursive: true });
  childJs = join(cacheDir, `child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, 'test', 'integration', 'fixtures', 'storeCrashChild.ts')],
    outfile: childJs, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  dbPath = join(dir, 'crash.db');
  const store = openStore(dbPath);
  const { catalogueId } = store.catalogues.import(syntheticCatalogue({ count: 60, seed: 5 }));
  sourceIds = store.catalogues.filterSourceIds(catalogueId, {});
  store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (childJs) rmSync(childJs, { force: true });
});

interface RunLog {
  lines: string[];
  delayMs: number;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Start the child, wait for `ready`, kill it `delayMs` later; resolve with every complete stdout line. */
function runAndKill(seed: number, delayMs: number): Promise<RunLog> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dbPath, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('ready\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      // A line cut by the kill has no newline: drop it.
      const lines = out.split('\n').slice(0, -1);
      resolve({ lines, delayMs, signal, stderr });
    });
  });
}

describe('store crash safety (SIGKILL)', () => {
  it(`keeps every acknowledged label and stays intact over ${RUNS} random kills`, async () => {
    const expected = new Map<number, string | null>(sourceIds.map((id) => [id, null]));
    let acked = 0;
    let inFlightCommitted = 0;
    for (let run = 0; run < RUNS; run++) {
      const log = await runAndKill(1000 + run, 20 + Math.floor(Math.random() * 281));
      const context = `run ${run} (kill after ${log.delayMs} ms) stderr: ${log.stderr.slice(0, 500)}`;
      expect(log.signal, context).toBe('SIGKILL');
      expect(log.lines[0], context).toBe('ready');

      const tries = new Map<number, Map<number, string | null>>();
      const done = new Set<number>();
      for (const line of log.lines.slice(1)) {
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'try') {
          const seq = Number(a);
          if (!tries.has(seq)) tries.set(seq, new Map());
          tries.get(seq)!.set(Number(b), c === '-' ? null : c!);
        } else if (kind === 'ack') {
          expected.set(Number(a), b === '-' ? null : b!);
          acked++;
        } else if (kind === 'done') done.add(Number(a));
        else throw new Error(`unexpected line ${JSON.stringify(line)} in ${context}`);
      }
      // At most one act can be unfinished: the last one tried.
      const unfinished = [...tries.keys()].filter((seq) => !done.has(seq));
      expect(unfinished.length, context).toBeLessThanOrEqual(1);

      const store = openStore(dbPath);
      try {
        expect(store.integrityCheck(), context).toEqual(['ok']);
        const current = new Map<number, string | null>(sourceIds.map((id) => [id, store.labels.get(id)?.class ?? null]));
        if (unfinished.length === 1) {
          // The in-flight act is on disk entirely or not at all.
          const planned = [...tries.get(unfinished[0]!)!].filter(([id, v]) => expected.get(id) !== v);
          const landed = planned.filter(([id, v]) => current.get(id) === v);
          expect([0, planned.length], context).toContain(landed.length);
          if (landed.length > 0 && landed.length === planned.length) {
            inFlightCommitted++;
            for (const [id, v] of planned) expected.set(id, v);
          }
        }
        for (const id of sourceIds) expect(current.get(id), `${context}: source ${id}`).toBe(expected.get(id));
        // The newest history row of each labelled source holds its current value.
        const stale = store.db.prepare(`SELECT count(*) FROM labels l JOIN label_history h ON h.id =
          (SELECT max(id) FROM label_history WHERE source_id = l.source_id AND field = 'class')
          WHERE h.new_value IS NOT l.class`).pluck().get();
        expect(stale, context).toBe(0);
      } finally {
        store.close();
      }
    }
    console.log(`store crash test: ${RUNS} kills, ${acked} acknowledged label writes checked, ${inFlightCommitted} in-flight acts found committed`);
    expect(acked).toBeGreaterThan(RUNS * 5);
  }, 120_000);
});
