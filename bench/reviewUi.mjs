// Review UI benchmark (not a test): a synthetic catalogue of --count sources (default 10⁶) spread over the
// bundled 2048² sample image, imported through catalogue.import into the headless server and shown in
// Chromium. Prints the catalogue overlay frame time (cull + draw, `cirasaReview.redrawOverlayNow()`) at
// full view, at 1:1, and at the zoom that shows the same fraction of the image as 1:1 does on a 32000²
// survey image (the source count per frame a real survey gives at 1:1), and the table scroll frame time;
// then the same frames with a colour rule (snr, log) and a size rule (flux, sqrt) on.
// Target (review issue): overlay frame ≤ 50 ms. Needs `npm run build` first.
// Usage: node bench/reviewUi.mjs [--count 1000000]
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, startServer, waitFor, waitForTiles } from '../test/e2e/harness.mjs';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000000' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('Usage: node bench/reviewUi.mjs [--count 1000000]   (default 1000000 sources)');
  process.exit(0);
}
const count = Number(values.count);
const SURVEY_SIZE = 32000;
const SAMPLE_SIZE = 2048;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(0.95 * a.length))];

/** Deterministic synthetic rows (mulberry32), positions uniform on the sample, sizes 1–3 beams. */
async function writeCatalogue(path, n) {
  let a = 12345;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = createWriteStream(path);
  out.write('name,ra,dec,x,y,peak,flux,snr,bmaj,bmin,pa,type\n');
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    const x = rnd() * (SAMPLE_SIZE - 1);
    const y = rnd() * (SAMPLE_SIZE - 1);
    const bmaj = 15 * (1 + 2 * rnd() ** 3);
    const flux = 1e-4 / (rnd() + 1e-3);
    chunk += `S${i},${(188.6 - (x * 4) / 3600 / 0.7071).toFixed(6)},${(-46.1 + (y * 4) / 3600).toFixed(6)},${x.toFixed(2)},${y.toFixed(2)},${flux.toExponential(4)},${flux.toExponential(4)},${(flux / 2e-5).toFixed(2)},${bmaj.toFixed(2)},${(bmaj * (0.5 + rnd() / 2)).toFixed(2)},${(rnd() * 180).toFixed(1)},${bmaj > 16 ? 'extended' : 'point'}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r) => out.end(r));
}

const dir = mkdtempSync(join(tmpdir(), 'cirasa-review-ui-bench-'));
const server = await startServer();
const browser = await launchBrowser();
try {
  const csv = join(dir, 'synthetic.csv');
  let t0 = performance.now();
  await writeCatalogue(csv, count);
  console.log(`catalogue: ${count} sources written in ${(performance.now() - t0).toFixed(0)} ms`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.loginUrl);
  await waitFor(async () => ((await page.getByTestId('image-title').textContent()) ?? '').includes('sample'), 'sample', { timeoutMs: 90_000 });
  await waitForTiles(page);
  const samplePath = await page.evaluate(() => fetch('/api/call/app.info', { method: 'POST', body: '{}' }).then((r) => r.json()).then((r) => r.value.sampleImagePath));
  t0 = performance.now();
  const imported = await page.evaluate(
    ([path, imagePath]) =>
      fetch('/api/call/catalogue.import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path, imagePath, format: 'csv' }) }).then((r) => r.json()),
    [csv, samplePath],
  );
  if (!imported.ok) throw new Error(JSON.stringify(imported.error));
  console.log(`import through catalogue.import: ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  const id = imported.value.catalogueId;
  await waitFor(() => page.evaluate((cid) => window.cirasaReview?.overlayCount(cid) === null ? false : window.cirasaReview.overlayCount(cid), id), 'overlay', { timeoutMs: 120_000 });
  console.log(`overlay fetched, decoded and indexed in the page: ${(performance.now() - t0).toFixed(0)} ms (${await page.evaluate((cid) => window.cirasaReview.overlayCount(cid), id)} sources)`);
  const wire = await page.evaluate(async (cid) => {
    const t = performance.now();
    const buf = await fetch(`/catalogues/${cid}/overlay`).then((r) => r.arrayBuffer());
    return { ms: performance.now() - t, mb: buf.byteLength / 1e6 };
  }, id);
  console.log(`overlay resource again (server cache warm): ${wire.ms.toFixed(0)} ms for ${wire.mb.toFixed(1)} MB`);

  const frames = async (label) => {
    await page.waitForTimeout(700); // zoom animation done
    const ms = [];
    for (let i = 0; i < 12; i++) ms.push(await page.evaluate(() => window.cirasaReview.redrawOverlayNow()));
    const stats = await page.evaluate(() => window.cirasaReview.overlayStats());
    console.log(`overlay frame, ${label}: median ${median(ms.slice(2)).toFixed(1)} ms, max ${Math.max(...ms.slice(2)).toFixed(1)} ms — ${JSON.stringify(stats)}`);
  };
  await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await page.keyboard.press('f');
  await frames('full view');
  await page.keyboard.press('1');
  await frames('1:1 on the 2048² sample');
  const zoom = SURVEY_SIZE / SAMPLE_SIZE;
  await page.evaluate((z) => {
    const el = document.querySelector('[data-testid="viewer"]');
    el.dispatchEvent(new CustomEvent('noop'));
    return z;
  }, zoom);
  for (let z = 1; z < zoom; z *= 1.5) await page.keyboard.press('+');
  await frames(`zoom ${zoom.toFixed(1)}× (= 1:1 on a ${SURVEY_SIZE}² survey: same sources per view)`);

  // Table: scroll by a page per frame for 2 s; frame intervals while rows stream in.
  const scroll = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.querySelector('[data-testid="source-table"]');
        const intervals = [];
        let last = performance.now();
        const until = last + 2000;
        const tick = (now) => {
          intervals.push(now - last);
          last = now;
          el.scrollTop += el.clientHeight;
          if (now < until) requestAnimationFrame(tick);
          else resolve({ intervals, rows: document.querySelectorAll('[data-testid="source-row"]').length, top: el.scrollTop });
        };
        requestAnimationFrame(tick);
      }),
  );
  console.log(
    `table scroll (one screen per frame, ${scroll.intervals.length} frames, ${scroll.rows} row elements in the DOM): frame median ${median(scroll.intervals).toFixed(1)} ms, p95 ${p95(scroll.intervals).toFixed(1)} ms`,
  );

  // Colour by snr (log) and size by flux (sqrt): the rule columns' fetch, then frames at full view and at the survey zoom.
  t0 = performance.now();
  await page.getByTestId(`style-button-${id}`).click();
  await page.getByTestId('style-colour-column').selectOption('snr');
  await page.getByTestId('style-colour-scale').selectOption('log');
  await page.getByTestId('style-size-column').selectOption('flux');
  await page.getByTestId('legend-colour').waitFor({ timeout: 120_000 });
  await page.getByTestId('legend-size').waitFor({ timeout: 120_000 });
  console.log(`colour (snr) and size (flux) rule columns fetched and mapped: ${(performance.now() - t0).toFixed(0)} ms`);
  await frames(`rules on, zoom ${zoom.toFixed(1)}×`);
  await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await frames('rules on, full view');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
