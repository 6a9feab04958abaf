// End-to-end runner (`npm run test:e2e`, last part of `npm test`): runs every test/e2e/*.e2e.mjs
// against the built app (dist/) in Debian's Chromium, prints `N passed, M failed`, exits 1 on failure.
// Each scenario module exports `run({ step, server, browser })`; `step(name, fn)` records one check
// (a failed step does not stop the scenario; later steps usually depend on it and fail clearly too).
// Usage: node test/e2e/run.mjs [name-filter]
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, RESULTS, ROOT, startServer } from './harness.mjs';

const filter = process.argv[2] ?? '';
const dir = join(ROOT, 'test', 'e2e');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.e2e.mjs') && f.includes(filter))
  .sort();
mkdirSync(RESULTS, { recursive: true });

/** The running scenario's server: a failed step prints the tail of its log (the CI log is all we get). */
let currentServer = null;
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

async function step(name, fn) {
  const started = Date.now();
  try {
    const note = await fn();
    passed++;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)${note ? ` — ${note}` : ''}`);
    return true;
  } catch (err) {
    failed++;
    failures.push(name);
    console.log(`  ✗ ${name} (${Date.now() - started} ms)\n      ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n      ')}`);
    const tail = currentServer?.log().trim().split('\n').slice(-15).join('\n        ');
    if (tail) console.log(`      server log (last lines):\n        ${tail}`);
    return false;
  }
}

/** Record a check that cannot run here (e.g. the real survey images are not on this machine). */
step.skip = (name, reason) => {
  skipped++;
  console.log(`  - ${name} (skipped: ${reason})`);
};

for (const file of files) {
  console.log(`${file}`);
  let server = null;
  let browser = null;
  try {
    server = await startServer();
    currentServer = server;
    browser = await launchBrowser();
    const mod = await import(pathToFileURL(join(dir, file)).href);
    await mod.run({ step, server, browser });
  } catch (err) {
    failed++;
    failures.push(`${file}: setup`);
    console.log(`  ✗ ${file}: ${err?.stack ?? err}`);
    if (server) console.log(`  server log:\n${server.log()}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${failures.length ? ` (${failures.join('; ')})` : ''}`);
console.log(`screenshots: ${RESULTS}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
