// Session-file steps of the review scenario (issue 4 item 7), called at the end of review.e2e.mjs: save the
// session with Ctrl+S, start a NEW server (fresh data folder, empty store), open the session there, and
// check that labels, notes, the view (centre/zoom through window.cirasaViewer), the display settings and
// the catalogue styles are what they were.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, startServer, waitFor, waitForTiles } from './harness.mjs';

const api = (page, method, input) =>
  page.evaluate(
    ([m, i]) => fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) }).then((r) => r.json()),
    [method, input],
  );

/** Labels and notes of every labelled source of every catalogue, by catalogue name and source name. */
async function labelsByName(page) {
  const out = {};
  for (const c of (await api(page, 'catalogue.list', {})).value) {
    const filter = 'sourceness is not null || class is not null || morphology is not null || notes is not null';
    const rows = (await api(page, 'catalogue.query', { catalogueId: c.catalogueId, filter, offset: 0, limit: 1000 })).value.rows;
    for (const r of rows) out[`${c.name}/${r.values.name}`] = [r.values.sourceness, r.values.class, r.values.morphology, r.values.notes];
  }
  return out;
}

async function saveWithDialog(page, path) {
  await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+s');
  await page.getByTestId('session-path-input').fill(path);
  await page.getByTestId('session-submit').click();
  await page.getByTestId('session-result').waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** What must come back, keyed by catalogue name (ids differ between stores). */
const stylesByName = (file) =>
  Object.fromEntries(file.state.catalogues.map((c) => [file.catalogues.find((k) => k.catalogueId === c.catalogueId).name, c.style]));

export async function sessionSteps({ step, page, browser, out, catalogueId }) {
  const sessionPath = join(out, 'review.cirasa.json');
  let saved = null;
  let savedView = null;
  let savedLabels = null;

  await step('subsets and computed columns: save filters as subsets, combine them with and-not, define a column (a bad one shows the caret)', async () => {
    await page.locator('[data-testid="catalogue-panel"] .cat-name').first().click();
    await waitFor(() => page.evaluate((id) => window.cirasaReview.activeCatalogueId() === id, catalogueId), 'truth catalogue active');
    const count = async (filter) => (await api(page, 'catalogue.filterIds', { catalogueId, filter })).value.count;
    const filterTo = async (f) => {
      await page.getByTestId('filter-input').fill(f);
      await page.getByTestId('filter-input').press('Enter');
      await waitFor(async () => (await page.getByTestId('filter-count').textContent()) === `${(await count(f)).toLocaleString('en-US')} rows`, `rows of ${f || 'everything'}`);
    };
    for (const [name, f] of [['bright', 'flux > 0.001'], ['medium', 'flux > 0.0004']]) {
      await filterTo(f);
      await page.getByTestId('subset-name').fill(name);
      await page.getByTestId('subset-save-filter').click();
      await waitFor(async () => ((await page.getByTestId(`subset-${name}`).textContent()) ?? '').includes(`(${(await count(f)).toLocaleString('en-US')})`), `subset ${name}`);
    }
    await filterTo('');
    await page.getByTestId('subset-join').selectOption('&&');
    await page.getByTestId('subset-medium').click();
    await page.getByTestId('subset-join').selectOption('&& !');
    await page.getByTestId('subset-bright').click();
    // The click updates the filter field on React's next render: wait for it rather than read it at once.
    const combined = "(subset('medium')) && !subset('bright')";
    await waitFor(async () => (await page.getByTestId('filter-input').inputValue()) === combined, `the filter field to read ${combined}`, { timeoutMs: 10_000 });
    const want = (await count('flux > 0.0004 && !(flux > 0.001)'));
    await waitFor(async () => (await page.getByTestId('filter-count').textContent()) === `${want.toLocaleString('en-US')} rows`, 'combined subsets count');
    await filterTo('');
    await page.getByTestId('computed-input').fill('ratio = flux / / peak');
    await page.getByTestId('computed-input').press('Enter');
    await page.getByTestId('definitions-error').waitFor({ timeout: 10_000 });
    const err = (await page.getByTestId('definitions-error').textContent()) ?? '';
    assert.ok(err.includes('^') && err.includes('character 8'), `error "${err}"`);
    await page.getByTestId('computed-input').fill('mjy = flux * 1000');
    await page.getByTestId('computed-define').click();
    await page.getByTestId('computed-mjy').waitFor({ timeout: 10_000 });
    await page.getByTestId('th-mjy').waitFor({ timeout: 10_000 });
    await filterTo('mjy > 1');
    assert.equal(await count('mjy > 1'), await count('flux > 0.001'));
    await page.screenshot({ path: join(RESULTS, 'review-11-subsets-columns.png') });
    return `medium and not bright: ${want} rows; mjy > 1: ${await count('mjy > 1')} rows`;
  });

  await step('session: Ctrl+S saves labels, notes, view, colours and styles', async () => {
    await api(page, 'labels.set', { sourceIds: [(await api(page, 'catalogue.query', { catalogueId, offset: 0, limit: 1 })).value.rows[0].sourceId], field: 'notes', value: 'check the "core", e2e' });
    await page.getByTestId('colormap').selectOption('cubehelix').catch(() => page.getByTestId('colormap').selectOption({ index: 2 }));
    await page.getByTestId('stretch').selectOption('sqrt').catch(() => page.getByTestId('stretch').selectOption({ index: 1 }));
    await page.locator('.viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(1500); // OSD animations settle
    savedView = await page.evaluate(() => window.cirasaViewer.view());
    savedLabels = await labelsByName(page);
    assert.ok(Object.keys(savedLabels).length >= 5, `only ${Object.keys(savedLabels).length} labelled sources before saving`);
    saved = await saveWithDialog(page, sessionPath);
    assert.equal(saved.format, 'cirasa-session');
    assert.ok(saved.labels.some((l) => l.notes === 'check the "core", e2e'), 'the note is in the file');
    assert.ok(Math.abs(saved.state.view.zoom - savedView.zoom) < 1e-6, 'view in the file');
    await page.screenshot({ path: join(RESULTS, 'review-12-session-saved.png') });
    return `${saved.catalogues.length} catalogues, ${saved.labels.length} labelled sources, view ${JSON.stringify(savedView)}`;
  });

  await step('session: a NEW server (empty store) opens it: labels, notes, view, colours and styles restored', async () => {
    assert.ok(saved, 'no session saved');
    const server2 = await startServer();
    const page2 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page2.on('pageerror', (e) => errors.push(e.message));
    try {
      await page2.goto(server2.loginUrl);
      await waitFor(async () => ((await page2.getByTestId('image-title').textContent()) ?? '').includes('sample'), 'sample title', { timeoutMs: 90_000 });
      await waitForTiles(page2, 'sample tiles');
      assert.deepEqual((await api(page2, 'catalogue.list', {})).value, [], 'the new store is empty');
      await page2.getByTestId('session-open-button').click();
      await page2.getByTestId('session-path-input').fill(sessionPath);
      await page2.getByTestId('session-submit').click();
      await waitFor(async () => (await page2.getByTestId('session-path-input').count()) === 0 || (await page2.getByTestId('session-warnings').count()) > 0 || (await page2.getByTestId('session-error').count()) > 0, 'session opened', { timeoutMs: 90_000 });
      for (const id of ['session-warnings', 'session-error']) {
        if ((await page2.getByTestId(id).count()) > 0) throw new Error(`${id}: ${await page2.getByTestId(id).textContent()}`);
      }
      await waitFor(async () => (await api(page2, 'catalogue.list', {})).value.length === saved.catalogues.length, 'catalogues imported');
      assert.deepEqual(await labelsByName(page2), savedLabels);
      const truth2 = (await api(page2, 'catalogue.list', {})).value.find((c) => c.name === saved.catalogues.find((k) => k.catalogueId === catalogueId).name).catalogueId;
      assert.deepEqual((await api(page2, 'subsets.list', { catalogueId: truth2 })).value.map((x) => [x.name, x.memberCount]), (await api(page, 'subsets.list', { catalogueId })).value.map((x) => [x.name, x.memberCount]));
      assert.deepEqual((await api(page2, 'columns.list', { catalogueId: truth2 })).value.map((x) => x.expression), ['flux * 1000']);
      await waitFor(() => page2.evaluate(() => window.cirasaViewer?.view() ?? null), 'view');
      const view = await page2.evaluate(() => window.cirasaViewer.view());
      assert.ok(Math.abs(view.zoom / savedView.zoom - 1) < 1e-3, `zoom ${view.zoom} vs ${savedView.zoom}`);
      const dist = Math.hypot(view.centre.x - savedView.centre.x, view.centre.y - savedView.centre.y);
      assert.ok(dist < 1, `centre ${JSON.stringify(view.centre)} vs ${JSON.stringify(savedView.centre)}`);
      // Save again from the new app: display settings and styles equal the first file's.
      const again = await saveWithDialog(page2, join(out, 'again.cirasa.json'));
      assert.deepEqual(again.state.display, saved.state.display);
      assert.deepEqual(stylesByName(again), stylesByName(saved));
      assert.equal(again.state.filter, saved.state.filter);
      await page2.screenshot({ path: join(RESULTS, 'review-13-session-reopened.png') });
      assert.deepEqual(errors, []);
      return `${Object.keys(savedLabels).length} labelled sources back; centre off by ${dist.toFixed(3)} px; zoom ${view.zoom.toFixed(4)}`;
    } finally {
      await page2.close().catch(() => undefined);
      await server2.stop().catch(() => undefined);
    }
  });
}
