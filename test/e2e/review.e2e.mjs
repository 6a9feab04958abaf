// The review scenario of issue 4 in Chromium (browser mode): open the sample image and its truth
// catalogue, filter with an expression (a bad one first: the caret points at the character), select a
// row and see the source highlighted on the image, click a source on the image and see its row, label
// five sources with the keyboard, undo one, export DS9 and VOTable and check the files (astropy reads
// the VOTable), and label in review mode.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULTS, ROOT, waitFor, waitForTiles } from './harness.mjs';
import { sessionSteps } from './sessionSteps.mjs';

const FILTER = 'flux > 0.0004';
const FILTER_MIN_FLUX = 0.0004;

/** Rows of a simple CSV (no quoting: the simulator's truth catalogue). */
function readCsv(path) {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const api = (page, method, input) =>
  page.evaluate(
    ([m, i]) => fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) }).then((r) => r.json()),
    [method, input],
  );

/** Pixels of the catalogue overlay close to the selection colour (#ff40ff) in a box around a client point. */
function highlightPixels(page, at, half = 30) {
  return page.evaluate(
    ([x, y, h]) => {
      const c = document.querySelector('[data-testid="catalogue-overlay"]');
      const r = c.getBoundingClientRect();
      const k = c.width / r.width;
      const x0 = Math.max(0, Math.round((x - r.left - h) * k));
      const y0 = Math.max(0, Math.round((y - r.top - h) * k));
      const w = Math.min(c.width - x0, Math.round(2 * h * k));
      const hh = Math.min(c.height - y0, Math.round(2 * h * k));
      const d = c.getContext('2d').getImageData(x0, y0, w, hh).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 120 && d[i + 2] > 200 && d[i + 3] > 200) n++;
      return n;
    },
    [at.x, at.y, half],
  );
}

export async function run({ step, server, browser }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const out = mkdtempSync(join(tmpdir(), 'cirasa-e2e-review-'));
  let truthPath = null;
  let truth = [];
  let catalogueId = null;
  let filtered = [];
  const labelled = [];

  await step('open the sample image', async () => {
    await page.goto(server.loginUrl);
    await waitFor(async () => ((await page.getByTestId('image-title').textContent()) ?? '').includes('sample'), 'sample title', { timeoutMs: 90_000 });
    await waitForTiles(page, 'sample tiles');
    const info = await api(page, 'app.info', {});
    truthPath = info.value.sampleImagePath.replace(/\.fits$/, '.truth.csv');
    assert.ok(existsSync(truthPath), `no truth catalogue beside the sample: ${truthPath}`);
    truth = readCsv(truthPath);
    return `${truth.length} sources in ${truthPath}`;
  });

  await step('open the truth catalogue through the dialog; table and overlay show every source', async () => {
    await page.getByTestId('open-catalogue-button').click();
    await page.getByTestId('catalogue-path-input').fill(truthPath);
    await page.getByTestId('catalogue-open-submit').click();
    await waitFor(() => page.evaluate(() => window.cirasaReview?.activeCatalogueId() ?? null), 'active catalogue', { timeoutMs: 60_000 });
    catalogueId = await page.evaluate(() => window.cirasaReview.activeCatalogueId());
    await waitFor(async () => (await page.getByTestId('filter-count').textContent()) === `${truth.length.toLocaleString('en-US')} rows`, 'row count');
    await waitFor(() => page.evaluate((id) => window.cirasaReview.overlayCount(id), catalogueId), 'overlay');
    assert.equal(await page.evaluate((id) => window.cirasaReview.overlayCount(id), catalogueId), truth.length);
    await waitFor(async () => (await page.getByTestId('source-row').count()) > 5, 'table rows');
    await page.keyboard.press('f'); // the table took room from the image: fit it again, every source in view
    await page.waitForTimeout(800);
    const ms = await page.evaluate(() => window.cirasaReview.redrawOverlayNow());
    await page.screenshot({ path: join(RESULTS, 'review-1-catalogue.png') });
    const stats = await page.evaluate(() => window.cirasaReview.overlayStats());
    assert.ok(stats.ellipses + stats.markers + stats.dots > 0.9 * truth.length, `overlay drew ${JSON.stringify(stats)}`);
    return `catalogue ${catalogueId}, overlay frame ${ms.toFixed(1)} ms (${JSON.stringify(stats)})`;
  });

  await step('a bad filter is pointed at the character; a good one filters table and overlay', async () => {
    const input = page.getByTestId('filter-input');
    await input.fill('flux > > 3');
    const error = page.getByTestId('filter-error');
    await error.waitFor({ timeout: 5000 });
    const pos = Number(await error.getAttribute('data-position'));
    assert.equal(pos, 7, `caret at ${pos}, expected under the second '>' (7)`);
    await input.fill(FILTER);
    await input.press('Enter');
    filtered = truth.filter((r) => Number(r.flux) > FILTER_MIN_FLUX);
    assert.ok(filtered.length > 10 && filtered.length < truth.length, `filter keeps ${filtered.length}`);
    await waitFor(async () => (await page.getByTestId('filter-count').textContent()) === `${filtered.length} rows`, `${filtered.length} filtered rows`);
    await waitFor(async () => (await page.evaluate((id) => window.cirasaReview.overlayCount(id), catalogueId)) === filtered.length, 'filtered overlay');
    return `${filtered.length} of ${truth.length} rows (astropy-free reference: the CSV itself)`;
  });

  await step('selecting a row pans the image to the source and highlights it', async () => {
    const row = page.getByTestId('source-row').nth(2);
    const id = Number(await row.getAttribute('data-source-id'));
    await row.click();
    await waitFor(() => page.evaluate(() => window.cirasaReview.selectedSourceId()), 'selection');
    assert.equal(await page.evaluate(() => window.cirasaReview.selectedSourceId()), id);
    const { row: detail } = (await api(page, 'catalogue.source', { sourceId: id })).value;
    const { x, y } = detail.values;
    await page.waitForTimeout(700); // the pan animation
    const at = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x, y]);
    const box = await page.getByTestId('viewer').boundingBox();
    assert.ok(Math.abs(at.x - (box.x + box.width / 2)) < 5 && Math.abs(at.y - (box.y + box.height / 2)) < 5, `source at ${at.x},${at.y} is not centred`);
    const ink = await highlightPixels(page, at);
    await page.screenshot({ path: join(RESULTS, 'review-2-selected.png') });
    assert.ok(ink > 30, `only ${ink} highlight pixels around the selected source`);
    return `source ${id} at pixel ${x.toFixed(1)},${y.toFixed(1)}: ${ink} highlight pixels`;
  });

  await step('clicking a source on the image selects it and scrolls the table to its row', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await page.waitForTimeout(600);
    // A source in view, far from the previous one: the one with the largest flux in the filtered set.
    const target = [...filtered].sort((a, b) => Number(b.flux) - Number(a.flux))[filtered.length - 1];
    const rows = (await api(page, 'catalogue.query', { catalogueId, filter: `${FILTER} && name == '${target.id}'`, offset: 0, limit: 5 })).value.rows;
    assert.equal(rows.length, 1, `cannot find source ${target.id} by name`);
    const id = rows[0].sourceId;
    const at = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [Number(target.x), Number(target.y)]);
    await page.mouse.click(at.x, at.y);
    await waitFor(() => page.evaluate((want) => window.cirasaReview.selectedSourceId() === want, id), `selection of ${id}`);
    await waitFor(async () => (await page.locator('[data-testid="source-row"].focus').getAttribute('data-source-id').catch(() => null)) === String(id), 'table row of the clicked source', { timeoutMs: 10_000 });
    await page.screenshot({ path: join(RESULTS, 'review-3-clicked.png') });
    return `source ${id} (${target.id})`;
  });

  await step('label five sources with the keyboard and undo one; labels persist in the store', async () => {
    const keys = ['r', 'f', 'c', 'r', 'f'];
    const values = { r: 'REAL', f: 'FAKE', c: 'CANDIDATE' };
    // The first five rows of the table, in view.
    await page.getByTestId('source-table').evaluate((el) => (el.scrollTop = 0));
    await waitFor(async () => (await page.getByTestId('source-row').first().getAttribute('data-row-index')) === '0', 'first rows rendered');
    await waitFor(async () => (await page.getByTestId('source-row').nth(4).getAttribute('data-source-id')) !== null, 'first rows loaded');
    for (let i = 0; i < 5; i++) {
      const row = page.locator(`[data-testid="source-row"][data-row-index="${i}"]`);
      const id = Number(await row.getAttribute('data-source-id'));
      await row.click();
      await page.keyboard.press(keys[i]);
      await waitFor(async () => (await api(page, 'catalogue.source', { sourceId: id })).value.row.values.sourceness === values[keys[i]], `label of ${id}`);
      labelled.push({ id, value: values[keys[i]] });
    }
    await page.keyboard.press('Control+z');
    const undone = labelled.pop();
    await waitFor(async () => (await api(page, 'catalogue.source', { sourceId: undone.id })).value.row.values.sourceness === null, 'undo');
    for (const l of labelled) assert.equal((await api(page, 'catalogue.source', { sourceId: l.id })).value.row.values.sourceness, l.value);
    // The table shows them (refetched on labels.changed), the undone one without a label.
    const rowText = (id) => page.locator(`[data-testid="source-row"][data-source-id="${id}"]`).textContent({ timeout: 2000 });
    for (const l of labelled) await waitFor(async () => (await rowText(l.id)).includes(l.value), `table row of ${l.id} shows ${l.value}`, { timeoutMs: 5000 });
    await waitFor(async () => !/REAL|FAKE|CANDIDATE/.test(await rowText(undone.id)), 'the undone row without a label', { timeoutMs: 5000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(RESULTS, 'review-4-labelled.png') });
    return labelled.map((l) => `${l.id}=${l.value}`).join(', ');
  });

  await step('labelled sources take their label colour on the image; hover shows a tooltip', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    const real = labelled.find((l) => l.value === 'REAL');
    const { x, y, name } = (await api(page, 'catalogue.source', { sourceId: real.id })).value.row.values;
    const at = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x, y]);
    const green = await page.evaluate(
      ([cx, cy]) => {
        const c = document.querySelector('[data-testid="catalogue-overlay"]');
        const r = c.getBoundingClientRect();
        const k = c.width / r.width;
        const d = c.getContext('2d').getImageData(Math.round((cx - r.left) * k) - 4, Math.round((cy - r.top) * k) - 4, 9, 9).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 120 && d[i] < 140 && d[i + 2] < 140 && d[i + 3] > 100) n++;
        return n;
      },
      [at.x, at.y],
    );
    assert.ok(green >= 3, `only ${green} green pixels at the REAL source ${real.id}`);
    await page.mouse.move(at.x, at.y);
    const tip = page.getByTestId('source-tooltip');
    let text = '';
    await waitFor(async () => {
      text = (await tip.textContent({ timeout: 2000 })) ?? '';
      return text.includes('flux') && text.startsWith(String(name));
    }, 'tooltip with the name and flux');
    await page.screenshot({ path: join(RESULTS, 'review-4b-hover.png') });
    return `${green} green pixels; tooltip "${text}"`;
  });

  await step('shift-drag on the image selects the filtered sources in the rectangle', async () => {
    const [x0, y0, x1, y1] = [300, 300, 1300, 1300];
    const a = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x0, y0]);
    const b = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x1, y1]);
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const want = filtered.filter((r) => Number(r.x) >= x0 && Number(r.x) <= x1 && Number(r.y) >= y0 && Number(r.y) <= y1).map((r) => r.id).sort();
    await waitFor(() => page.evaluate((n) => window.cirasaReview.selection().length === n, want.length), `${want.length} selected`, { timeoutMs: 5000 });
    const ids = await page.evaluate(() => window.cirasaReview.selection());
    const names = [];
    for (const id of ids) names.push(String((await api(page, 'catalogue.source', { sourceId: id })).value.row.values.name));
    assert.deepEqual(names.sort(), want);
    await page.screenshot({ path: join(RESULTS, 'review-4c-rectangle.png') });
    await page.keyboard.press('Escape');
    return `${ids.length} sources in pixels [${x0}, ${x1}] × [${y0}, ${y1}]`;
  });

  await step('alt-drag draws a lasso that selects the filtered sources inside the polygon', async () => {
    const tri = [[200, 200], [1800, 400], [900, 1700]];
    const clients = [];
    for (const [x, y] of tri) clients.push(await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x, y]));
    await page.keyboard.down('Alt');
    await page.mouse.move(clients[0].x, clients[0].y);
    await page.mouse.down();
    for (const c of [...clients.slice(1), clients[0]]) await page.mouse.move(c.x, c.y, { steps: 12 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    const inside = (x, y) => {
      let c = false;
      for (let i = 0, j = tri.length - 1; i < tri.length; j = i++) {
        const [ax, ay] = tri[i];
        const [bx, by] = tri[j];
        if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) c = !c;
      }
      return c;
    };
    const want = filtered.filter((r) => inside(Number(r.x), Number(r.y))).length;
    await waitFor(() => page.evaluate(() => window.cirasaReview.selection().length > 0), 'lasso selection', { timeoutMs: 5000 });
    const got = await page.evaluate(() => window.cirasaReview.selection().length);
    // The drawn polygon passes through the corners along straight segments sampled every few screen px: allow a source on the edge.
    assert.ok(Math.abs(got - want) <= 2, `lasso selected ${got}, ${want} inside the triangle`);
    await page.keyboard.press('Escape');
    return `${got} selected (${want} inside the triangle)`;
  });

  const exported = {};
  for (const [format, file] of [['ds9', 'filtered.reg'], ['votable', 'filtered.vot']]) {
    await step(`export the filtered rows as ${format} through the dialog`, async () => {
      await page.keyboard.press('Escape'); // deselect, so the dialog defaults to the filtered rows
      await page.getByTestId('export-button').click();
      await page.getByTestId('export-format').selectOption(format);
      await page.getByTestId('export-scope-filtered').check();
      await page.getByTestId('export-path-input').fill(join(out, file));
      await page.getByTestId('export-submit').click();
      await page.getByTestId('export-result').waitFor({ timeout: 30_000 });
      const text = await page.getByTestId('export-result').textContent();
      assert.match(text, new RegExp(`Wrote ${filtered.length} rows`));
      await page.keyboard.press('Escape');
      exported[format] = join(out, file);
      return text;
    });
  }

  await step('the DS9 file has one region per filtered source and the four labels', async () => {
    const text = readFileSync(exported.ds9, 'utf8');
    const regions = text.split('\n').filter((l) => /^(ellipse|point|circle|polygon)\(/.test(l.trim()));
    assert.equal(regions.length, filtered.length);
    for (const l of labelled) assert.equal(regions.filter((r) => r.includes(`tag={${l.value}}`)).length >= 1, true, `no ${l.value} tag`);
    const tagged = regions.filter((r) => /tag=\{(REAL|FAKE|CANDIDATE)\}/.test(r)).length;
    assert.equal(tagged, labelled.length, `${tagged} labelled regions, expected ${labelled.length}`);
    return `${regions.length} regions, ${tagged} labelled`;
  });

  await step('astropy reads the VOTable: filtered rows, the four labels', async () => {
    const code = [
      'import sys, json, warnings',
      'warnings.simplefilter("ignore")',
      'from astropy.io.votable import parse_single_table',
      't = parse_single_table(sys.argv[1]).to_table(use_names_over_ids=True)',
      'col = t["sourceness"] if "sourceness" in t.colnames else []',
      'labels = [str(v) for v in col if str(v) not in ("", "--", "None")]',
      'print(json.dumps({"rows": len(t), "labels": sorted(labels), "columns": t.colnames}))',
    ].join('\n');
    const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, exported.votable], { encoding: 'utf8' }));
    assert.equal(r.rows, filtered.length);
    assert.ok(r.columns.includes('sourceness'), `no sourceness column in ${r.columns.join(',')}`);
    assert.deepEqual(r.labels, labelled.map((l) => l.value).sort());
    return `${r.rows} rows, labels ${r.labels.join(',')}`;
  });

  await step('review mode: a key labels and advances; the counter moves', async () => {
    await page.keyboard.press('Shift+R');
    const progress = page.getByTestId('review-progress');
    await progress.waitFor({ timeout: 10_000 });
    await waitFor(async () => /^\d+ \/ \d+$/.test((await progress.textContent()).trim()), 'progress');
    const before = (await progress.textContent()).trim();
    const [done, total] = before.split('/').map((s) => Number(s.trim()));
    assert.equal(total, filtered.length);
    assert.equal(done, labelled.length);
    await waitFor(() => page.evaluate(() => window.cirasaReview.selectedSourceId()), 'first queued source selected');
    const first = await page.evaluate(() => window.cirasaReview.selectedSourceId());
    await page.keyboard.press('c');
    await waitFor(async () => (await progress.textContent()).trim() === `${done + 1} / ${total}`, 'counter +1');
    await waitFor(() => page.evaluate((f) => window.cirasaReview.selectedSourceId() !== f, first), 'advanced');
    assert.equal((await api(page, 'catalogue.source', { sourceId: first })).value.row.values.sourceness, 'CANDIDATE');
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(RESULTS, 'review-5-review-mode.png') });
    const after = (await progress.textContent()).trim();
    await page.keyboard.press('Escape');
    await page.getByTestId('review-panel').waitFor({ state: 'detached', timeout: 5000 });
    return `${before} → ${after}`;
  });

  await step('plots: histogram, scatter, source counts; brushing the histogram selects rows', async () => {
    await page.getByTestId('tab-plots').click();
    const panel = page.getByTestId('plots-panel');
    await waitFor(async () => /\d+ rows/.test((await panel.textContent()) ?? ''), 'plot rows loaded');
    await page.keyboard.press('Escape'); // nothing selected before brushing
    assert.equal(await page.evaluate(() => window.cirasaReview.selection().length), 0);
    await page.getByTestId('plot-kind').selectOption('histogram');
    await page.getByTestId('plot-x').selectOption('flux');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.plot-message').count(), 0, 'histogram not drawn');
    const box = await page.locator('.plot-area svg').boundingBox();
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await waitFor(() => page.evaluate(() => window.cirasaReview.selection().length > 0), 'brushed selection');
    const n = await page.evaluate(() => window.cirasaReview.selection().length);
    assert.ok(n > 1 && n < filtered.length, `${n} selected from ${filtered.length} filtered rows`);
    await page.screenshot({ path: join(RESULTS, 'review-6-histogram.png') });
    await page.getByTestId('plot-kind').selectOption('scatter');
    await page.getByTestId('plot-y').selectOption('bmaj');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.plot-message').count(), 0, 'scatter not drawn');
    await page.screenshot({ path: join(RESULTS, 'review-7-scatter.png') });
    await page.getByTestId('plot-kind').selectOption('counts');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.plot-message').count(), 0, 'counts plot not drawn');
    await page.screenshot({ path: join(RESULTS, 'review-8-counts.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('tab-table').click();
    return `${n} rows selected by brushing`;
  });

  await step('a second catalogue (cirasa find on the sample) shows beside the first; a selected island shows its contour', async () => {
    const found = join(out, 'found.json');
    execFileSync(process.execPath, [join(ROOT, 'dist/main/cli.js'), 'find', truthPath.replace(/\.truth\.csv$/, '.fits'), '--out', found], { stdio: 'ignore' });
    await page.getByTestId('open-catalogue-button').click();
    await page.getByTestId('catalogue-path-input').fill(found);
    await page.getByTestId('catalogue-open-submit').click();
    await waitFor(() => page.evaluate((first) => (window.cirasaReview.activeCatalogueId() ?? first) !== first, catalogueId), 'second catalogue active');
    const second = await page.evaluate(() => window.cirasaReview.activeCatalogueId());
    await waitFor(() => page.evaluate((id) => window.cirasaReview.overlayCount(id), second), 'second overlay');
    // The first catalogue's filter is cleared when it stops being the active one: its overlay is refetched
    // unfiltered, which lands a moment after the second catalogue's overlay.
    const firstCount = () => page.evaluate((a) => window.cirasaReview.overlayCount(a), catalogueId);
    await waitFor(async () => (await firstCount()) === truth.length, 'first catalogue back to all its sources').catch(() => undefined);
    const both = await page.evaluate(([a, b]) => [window.cirasaReview.overlayCount(a), window.cirasaReview.overlayCount(b)], [catalogueId, second]);
    assert.equal(both[0], truth.length, 'the first catalogue left the image (its filter is cleared when it is not active)');
    // The brightest island with a contour: select it through its table row (sorted by flux, descending).
    await page.getByTestId('th-flux').click();
    await page.getByTestId('th-flux').click();
    await waitFor(async () => (await page.locator('[data-testid="source-row"][data-row-index="0"]').getAttribute('data-source-id')) !== null, 'sorted rows');
    const rows = (await api(page, 'catalogue.query', { catalogueId: second, sort: { column: 'flux', descending: true }, offset: 0, limit: 1 })).value.rows;
    await page.locator('[data-testid="source-row"][data-row-index="0"]').click();
    assert.equal(await page.evaluate(() => window.cirasaReview.selectedSourceId()), rows[0].sourceId, 'sorted first row is the brightest source');
    const detail = (await api(page, 'catalogue.source', { sourceId: rows[0].sourceId })).value.source;
    assert.ok(detail.contour && detail.contour.length > 3, 'the brightest source has an island contour');
    await page.waitForTimeout(800);
    const [vx, vy] = detail.contour[0];
    const at = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [vx, vy]);
    const white = await page.evaluate(
      ([cx, cy]) => {
        const c = document.querySelector('[data-testid="catalogue-overlay"]');
        const r = c.getBoundingClientRect();
        const k = c.width / r.width;
        const d = c.getContext('2d').getImageData(Math.round((cx - r.left) * k) - 3, Math.round((cy - r.top) * k) - 3, 7, 7).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200 && d[i + 3] > 200) n++;
        return n;
      },
      [at.x, at.y],
    );
    await page.screenshot({ path: join(RESULTS, 'review-9-two-catalogues-contour.png') });
    assert.ok(white > 0, 'no contour ink at the first contour vertex');
    return `catalogue ${second}: ${both[1]} sources beside ${both[0]}; contour of ${detail.name} (${detail.contour.length} vertices)`;
  });

  await step('colour by snr: bright sources take the top of the colormap, faint ones the bottom; a legend shows the range', async () => {
    const second = await page.evaluate(() => window.cirasaReview.activeCatalogueId());
    // Only the found catalogue on the image, nothing selected, so each source's ink is its own.
    await page.locator('[data-testid="catalogue-panel"] li').first().locator('input[type="checkbox"]').uncheck();
    await page.getByTestId(`style-button-${second}`).click();
    await page.getByTestId('style-colour-column').selectOption('snr');
    await page.getByTestId('legend-colour').waitFor({ timeout: 20_000 });
    await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    await page.evaluate(() => window.cirasaReview.redrawOverlayNow());
    const end = async (descending) =>
      (await api(page, 'catalogue.query', { catalogueId: second, sort: { column: 'snr', descending }, offset: 0, limit: 1 })).value.rows[0];
    const sorted = [await end(true), await end(false)];
    assert.ok(sorted.every((r) => typeof r.values.snr === 'number') && sorted[0].values.snr > 2 * sorted[1].values.snr, 'snr spread');
    /** Mean colour of the opaque overlay pixels in a 7×7 box at a source's centre. */
    const inkAt = async (row) => {
      const at = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [row.values.x, row.values.y]);
      return page.evaluate(
        ([cx, cy]) => {
          const c = document.querySelector('[data-testid="catalogue-overlay"]');
          const r = c.getBoundingClientRect();
          const k = c.width / r.width;
          const d = c.getContext('2d').getImageData(Math.round((cx - r.left) * k) - 3, Math.round((cy - r.top) * k) - 3, 7, 7).data;
          const sum = [0, 0, 0];
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200) (sum[0] += d[i]), (sum[1] += d[i + 1]), (sum[2] += d[i + 2]), n++;
          return n === 0 ? null : { n, rgb: sum.map((v) => Math.round(v / n)) };
        },
        [at.x, at.y],
      );
    };
    const bright = await inkAt(sorted[0]);
    const faint = await inkAt(sorted.at(-1));
    await page.screenshot({ path: join(RESULTS, 'review-10-colour-by-snr.png') });
    assert.ok(bright && faint, `no overlay ink at the brightest (${JSON.stringify(bright)}) or faintest (${JSON.stringify(faint)}) source`);
    // viridis: the top bin is yellow (#f5e61f-ish), the bottom one dark purple (#440154-ish).
    const [br, bg, bb] = bright.rgb;
    const [fr, fg, fb] = faint.rgb;
    assert.ok(br > 150 && bg > 150 && bb < 120, `brightest source (snr ${sorted[0].values.snr}) is not yellow: ${bright.rgb}`);
    assert.ok(fb > fg && fr < 120 && fg < 80, `faintest source (snr ${sorted.at(-1).values.snr}) is not dark purple: ${faint.rgb}`);
    const legend = (await page.getByTestId('legend-colour').textContent()) ?? '';
    assert.ok(legend.includes('snr'), `legend "${legend}"`);
    const ms = await page.evaluate(() => window.cirasaReview.redrawOverlayNow());
    return `snr ${sorted[0].values.snr.toFixed(1)} → rgb(${bright.rgb}), snr ${sorted.at(-1).values.snr.toFixed(1)} → rgb(${faint.rgb}); frame ${ms.toFixed(1)} ms; legend "${legend}"`;
  });

  await step('a CSV with unrecognised columns opens the column mapping; mapped, it imports with the right positions and fluxes', async () => {
    const sexa = (deg, hours) => {
      const sign = deg < 0 ? '-' : '';
      let v = Math.abs(hours ? deg / 15 : deg);
      const a = Math.floor(v);
      v = (v - a) * 60;
      const b = Math.floor(v);
      const c = (v - b) * 60;
      return `${sign}${String(a).padStart(2, '0')}:${String(b).padStart(2, '0')}:${c.toFixed(hours ? 4 : 3).padStart(hours ? 7 : 6, '0')}`;
    };
    const rows = truth.slice(0, 40);
    const odd = join(out, 'odd-columns.csv');
    writeFileSync(odd, ['Designation,Alpha_hms,Delta_dms,Stot_milliJy,Foo', ...rows.map((r) => `T${r.id},${sexa(Number(r.ra), true)},${sexa(Number(r.dec), false)},${(Number(r.flux) * 1e3).toPrecision(8)},1`)].join('\n'));
    await page.getByTestId('open-catalogue-button').click();
    await page.getByTestId('catalogue-path-input').fill(odd);
    await page.getByTestId('catalogue-map-columns').waitFor({ timeout: 5000 }); // offered for any text table, before trying
    await page.getByTestId('catalogue-open-submit').click();
    await page.getByTestId('csv-mapping').waitFor({ timeout: 20_000 });
    await page.getByTestId('csv-ra').selectOption('Alpha_hms');
    await page.getByTestId('csv-dec').selectOption('Delta_dms');
    await page.getByTestId('csv-name').selectOption('Designation');
    await page.getByTestId('csv-flux').selectOption('Stot_milliJy');
    await page.getByTestId('csv-flux-unit').selectOption('mJy');
    await page.screenshot({ path: join(RESULTS, 'review-11-csv-mapping.png') });
    const before = await page.evaluate(() => window.cirasaReview.activeCatalogueId());
    await page.getByTestId('catalogue-open-submit').click();
    await waitFor(() => page.evaluate((b) => window.cirasaReview.activeCatalogueId() !== b, before), 'mapped catalogue active', { timeoutMs: 30_000 });
    const id = await page.evaluate(() => window.cirasaReview.activeCatalogueId());
    const got = (await api(page, 'catalogue.query', { catalogueId: id, offset: 0, limit: 1000 })).value;
    assert.equal(got.total, rows.length);
    let worstPx = 0;
    let worstFlux = 0;
    for (const r of rows) {
      const g = got.rows.find((x) => x.values.name === `T${r.id}`);
      assert.ok(g, `T${r.id} missing`);
      worstPx = Math.max(worstPx, Math.hypot(g.values.x - Number(r.x), g.values.y - Number(r.y)));
      worstFlux = Math.max(worstFlux, Math.abs(g.values.flux / Number(r.flux) - 1));
    }
    assert.ok(worstPx < 0.01, `positions off by up to ${worstPx} px`);
    assert.ok(worstFlux < 1e-6, `fluxes off by up to ${worstFlux}`);
    return `${got.total} rows; worst position ${worstPx.toExponential(2)} px, worst flux ratio error ${worstFlux.toExponential(2)}`;
  });

  await step('region filters: the drawn rectangle, then a DS9 region file on top of an expression; counts shown, clear restores', async () => {
    await page.locator('[data-testid="catalogue-panel"] .cat-name').first().click();
    await waitFor(() => page.evaluate((id) => window.cirasaReview.activeCatalogueId() === id, catalogueId), 'truth catalogue active');
    await page.locator('[data-testid="catalogue-panel"] li').first().locator('input[type="checkbox"]').check();
    await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    const rows = (n) => `${n.toLocaleString('en-US')} rows`;
    const countIs = (n, what) => waitFor(async () => (await page.getByTestId('filter-count').textContent()) === rows(n), what);
    const overlayIs = (n, what) => waitFor(() => page.evaluate(([id, k]) => window.cirasaReview.overlayCount(id) === k, [catalogueId, n]), what);
    // 1. Shift-drag a rectangle, then "Filter to shape".
    const [x0, y0, x1, y1] = [400, 500, 1500, 1200];
    const a = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x0, y0]);
    const b = await page.evaluate(([px, py]) => window.cirasaViewer.pixelToClient(px, py), [x1, y1]);
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.keyboard.press('Escape');
    // The rectangle as drawn (screen pixels round the corners): compare with the Pixel0 box it became.
    const inRect = truth.filter((r) => Number(r.x) >= x0 && Number(r.x) <= x1 && Number(r.y) >= y0 && Number(r.y) <= y1).length;
    await page.getByTestId('region-shape-button').click();
    await page.getByTestId('region-chip').waitFor({ timeout: 20_000 });
    const chip = (await page.getByTestId('region-chip').textContent()) ?? '';
    const shown = Number(/: ([\d,]+) sources/.exec(chip)?.[1]?.replace(/,/g, ''));
    assert.ok(Math.abs(shown - inRect) <= 2, `rectangle: chip says ${shown}, ${inRect} truth sources in [${x0}, ${x1}] × [${y0}, ${y1}]`);
    await countIs(shown, 'table rows = region count');
    await overlayIs(shown, 'overlay = region count');
    await page.screenshot({ path: join(RESULTS, 'review-12-region-rectangle.png') });
    // 2. An expression, then a DS9 file (image circle, 1-based centre) on top of it.
    await page.getByTestId('region-clear').click();
    await countIs(truth.length, 'cleared: every row');
    await page.getByTestId('filter-input').fill(FILTER);
    await page.getByTestId('filter-input').press('Enter');
    await countIs(filtered.length, 'expression only');
    const reg = join(out, 'circle.reg');
    writeFileSync(reg, '# Region file format: DS9 version 4.1\nimage\ncircle(1025,1025,600)\n');
    const want = filtered.filter((r) => Math.hypot(Number(r.x) - 1024, Number(r.y) - 1024) <= 600).length;
    await page.getByTestId('region-file-button').click();
    await page.getByTestId('region-path-input').fill(reg);
    await page.getByTestId('region-file-apply').click();
    await countIs(want, `expression && circle: ${want} rows`);
    await overlayIs(want, 'overlay = expression && circle');
    const chip2 = (await page.getByTestId('region-chip').textContent()) ?? '';
    const inCircle = truth.filter((r) => Math.hypot(Number(r.x) - 1024, Number(r.y) - 1024) <= 600).length;
    assert.ok(chip2.includes('circle.reg') && chip2.includes(`${inCircle.toLocaleString('en-US')} sources`), `chip "${chip2}", ${inCircle} in the circle`);
    await page.screenshot({ path: join(RESULTS, 'review-13-region-file.png') });
    await page.getByTestId('region-clear').click();
    await countIs(filtered.length, 'cleared: the expression alone');
    assert.equal(await page.getByTestId('filter-input').inputValue(), FILTER);
    await page.getByTestId('filter-input').fill('');
    await page.getByTestId('filter-input').press('Enter');
    await countIs(truth.length, 'no filter');
    return `rectangle ${shown} (truth ${inRect}); ${FILTER} && circle ${want} of ${inCircle} in the circle`;
  });

  await sessionSteps({ step, page, browser, out, catalogueId });

  await step('no uncaught page errors', async () => {
    assert.deepEqual(pageErrors, []);
  });
  rmSync(out, { recursive: true, force: true });
  await page.close();
}
