// Viewer speed measurement (a benchmark, not a test; not run by `npm test`):
//   node test/e2e/measureViewer.mjs [--size 8192]
// Simulates a large image, opens it in Chromium through the built app and reports: time to the first
// complete view, tiles drawn at fit and at 1:1, and the recolour time (LUT change → every visible tile
// redrawn from cached float data, no refetch) as median/max over several colormap changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, ROOT, startServer, waitFor, waitForTiles } from './harness.mjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: '8192' } } });
const size = Number(values.size);
const dir = mkdtempSync(join(tmpdir(), 'cirasa-measure-'));
const image = join(dir, `sim${size}.fits`);
console.log(`simulating ${size}×${size} …`);
execFileSync(process.execPath, [join(ROOT, 'dist/main/cli.js'), 'simulate', '--size', String(size), '--out', image, '--pixel-arcsec', '2'], { stdio: 'ignore' });

const server = await startServer();
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const page = await browser.newPage({ viewport: { width: 1900, height: 1200 } });
  let tileRequests = 0;
  page.on('request', (r) => {
    if (!r.url().includes('/tiles/')) return;
    tileRequests++;
    if (process.env.DEBUG) console.log('  tile request', new URL(r.url()).pathname);
  });
  await page.goto(server.loginUrl);
  await waitFor(() => page.evaluate(() => document.querySelector('[data-testid=image-title]')?.textContent?.includes('sample')), 'sample', { timeoutMs: 90_000 });
  await waitForTiles(page, 'sample tiles');
  await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+o');
  await page.getByTestId('path-input').fill(image);
  const t0 = Date.now();
  await page.getByTestId('path-input').press('Enter');
  await waitFor(() => page.evaluate((n) => document.querySelector('[data-testid=image-title]')?.textContent?.includes(n), `sim${size}`), 'open', { timeoutMs: 120_000 });
  const opened = Date.now() - t0;
  await waitForTiles(page, 'first view', 600_000);
  const firstView = Date.now() - t0;

  const recolour = async (label) => {
    const times = [];
    const before = tileRequests;
    for (const cm of ['viridis', 'magma', 'grey', 'inferno', 'cool', 'heat', 'plasma', 'grey']) {
      const prev = await page.evaluate(() => window.cirasaViewer.lastRecolourMs());
      await page.getByTestId('colormap').selectOption(cm);
      await waitFor(() => page.evaluate((p) => window.cirasaViewer.lastRecolourMs() !== p, prev), 'recolour', { timeoutMs: 10_000 }).catch(() => undefined);
      await page.waitForTimeout(150);
      times.push(await page.evaluate(() => window.cirasaViewer.lastRecolourMs()));
    }
    const tiles = await page.evaluate(() => window.cirasaViewer.visibleTileCount());
    console.log(`${label}: ${tiles} tiles drawn; recolour median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; tile requests during recolours: ${tileRequests - before}`);
  };
  console.log(`open answered in ${opened} ms; first complete view in ${firstView} ms (${tileRequests} tile requests)`);
  await recolour('fit');
  await page.keyboard.press('1');
  await page.waitForTimeout(800);
  await waitForTiles(page, '1:1 view', 600_000);
  await recolour('1:1');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
