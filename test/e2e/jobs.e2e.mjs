// Jobs in the app (issue 5 item 5) in Chromium, browser mode: open the sample image, open the submit wizard
// (sample preselected, options form generated from the builtin finder's schema), submit with defaults on the
// local profile, watch the job reach SUCCESS in the jobs panel, open its logs, click "Show on image" and see
// the imported catalogue listed and active, with its sources on the overlay.
// Then caesar-rest profiles: an unreachable service's message, and a real `cirasa serve` (token auth) whose apps
// and forms the wizard shows, a job run there with its upload as progress, a missing token's 401 message.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULTS, ROOT, waitFor, waitForTiles } from './harness.mjs';

export async function run({ step, server, browser }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  let jobId = null;

  await step('open the sample image', async () => {
    await page.goto(server.loginUrl);
    await waitFor(async () => ((await page.getByTestId('image-title').textContent()) ?? '').includes('sample'), 'sample title', { timeoutMs: 90_000 });
    await waitForTiles(page, 'sample tiles');
  });

  await step('the wizard preselects the open image and builds the options form from the schema', async () => {
    await page.getByTestId('job-new-button').click();
    await page.getByTestId('job-wizard').waitFor();
    await waitFor(async () => (await page.getByTestId('job-option-seedSigma').count()) === 1, 'options form');
    const checked = await page.getByTestId('job-image-choice').first().isChecked();
    assert.ok(checked, 'the open image is not preselected');
    assert.equal(await page.getByTestId('job-app').inputValue(), 'builtin');
    assert.equal(await page.getByTestId('job-profile').inputValue(), 'local');
    const seed = page.getByTestId('job-option-seedSigma');
    assert.equal(await seed.getAttribute('type'), 'number');
    assert.ok(Number(await seed.inputValue()) > 0, 'seedSigma has no default');
    assert.ok(((await seed.getAttribute('title')) ?? '').includes('seed'), 'no help text on seedSigma');
    await page.getByTestId('job-tag').fill('e2e');
    await page.screenshot({ path: join(RESULTS, 'jobs-1-wizard.png') });
  });

  await step('submit with defaults: the job reaches SUCCESS in the panel', async () => {
    await page.getByTestId('job-submit').click();
    await page.getByTestId('job-wizard').waitFor({ state: 'detached' });
    const row = page.getByTestId('job-row').first();
    jobId = await row.getAttribute('data-job-id');
    assert.ok(jobId, 'no job row');
    await waitFor(async () => {
      const state = await row.getAttribute('data-state');
      if (['FAILURE', 'ABORTED', 'CANCELED', 'TIMED-OUT'].includes(state)) throw new Error(`job ended ${state}: ${await row.getAttribute('title')}`);
      return state === 'SUCCESS';
    }, 'job SUCCESS', { timeoutMs: 25_000 });
    assert.equal(await row.getByTestId('job-state').textContent(), 'SUCCESS');
    assert.ok(((await row.textContent()) ?? '').includes('e2e'), 'tag not shown');
    return `job ${jobId}`;
  });

  await step('the logs viewer opens for the job', async () => {
    await page.getByTestId('job-row').first().getByTestId('job-logs').click();
    await page.getByTestId('job-stderr').waitFor();
    assert.ok(((await page.getByTestId('job-messages').textContent()) ?? '').includes('imported'));
    await page.keyboard.press('Escape');
    await page.getByTestId('job-stderr').waitFor({ state: 'detached' });
  });

  await step('"Show on image" selects the imported catalogue in the catalogue panel', async () => {
    // another catalogue, imported after the job, is made the active one first: the click has to switch back
    const truth = await page.evaluate(async () => {
      const call = (m, i) => fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) }).then((r) => r.json());
      const info = await call('app.info', {});
      return call('catalogue.import', { path: info.value.sampleImagePath.replace(/\.fits$/, '.truth.csv'), imagePath: info.value.sampleImagePath, format: 'csv' });
    });
    assert.ok(truth.ok, JSON.stringify(truth));
    await waitFor(async () => (await page.getByTestId('catalogue-panel').locator('.cat-name').count()) === 2, 'two catalogues listed');
    await page.getByTestId('catalogue-panel').locator('.cat-name').last().click();
    await waitFor(() => page.evaluate((id) => window.cirasaReview?.activeCatalogueId() === id, truth.value.catalogueId), 'truth catalogue active');
    await page.getByTestId('job-row').first().getByTestId('job-show').click();
    const active = await waitFor(
      () => page.evaluate((other) => { const a = window.cirasaReview?.activeCatalogueId() ?? null; return a !== other ? a : null; }, truth.value.catalogueId),
      'the job catalogue active', { timeoutMs: 15_000 },
    );
    const result = await page.evaluate(
      (id) => fetch('/api/call/jobs.openResult', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jobId: id }) }).then((r) => r.json()),
      jobId,
    );
    assert.equal(active, result.value?.catalogueId, `active catalogue ${active} is not the job's (${JSON.stringify(result)})`);
    assert.equal(await page.getByTestId('catalogue-panel').locator('li.active').count(), 1, 'the job catalogue is not listed as active');
    const n = await waitFor(() => page.evaluate((id) => window.cirasaReview.overlayCount(id), active), 'overlay sources', { timeoutMs: 15_000 });
    assert.ok(n > 100, `only ${n} sources on the overlay`);
    await page.screenshot({ path: join(RESULTS, 'jobs-2-result.png') });
    assert.deepEqual(pageErrors, []);
    return `catalogue ${active}: ${n} sources`;
  });
  await step('presets: save the options as a preset, change them, re-apply the preset', async () => {
    await page.getByTestId('job-new-button').click();
    await page.getByTestId('job-wizard').waitFor();
    const seed = page.getByTestId('job-option-seedSigma');
    await waitFor(async () => (await seed.count()) === 1, 'options form');
    await seed.fill('7.5');
    await page.getByTestId('job-preset-name').fill('e2e bright');
    await page.getByTestId('job-preset-save').click();
    await waitFor(async () => ((await page.getByTestId('job-preset-note').textContent()) ?? '').includes('saved'), 'preset saved');
    await seed.fill('4');
    await page.getByTestId('job-preset').selectOption('e2e bright');
    await waitFor(async () => (await seed.inputValue()) === '7.5', 'preset re-applied');
    await page.keyboard.press('Escape');
    await page.getByTestId('job-wizard').waitFor({ state: 'detached' });
  });

  await step('profiles editor: a slurm-rest profile with a pasted token; the token never comes back to the page', async () => {
    const TOKEN = 'e2e-secret-token-9d41b7';
    await page.getByTestId('profiles-button').click();
    await page.getByTestId('profiles-editor').waitFor();
    await page.getByTestId('profile-new').click();
    await page.getByTestId('profile-name').fill('e2e-cluster');
    await page.getByTestId('profile-field-baseUrl').fill('http://127.0.0.1:9');
    await page.getByTestId('profile-field-user').fill('astro');
    await page.getByTestId('profile-field-workRoot').fill('/scratch');
    await page.getByTestId('profile-field-pathMappings').fill('/scratch = /tmp');
    await page.getByTestId('profile-secret-token').fill(TOKEN);
    assert.ok(((await page.getByTestId('profile-protection').textContent()) ?? '').includes('0600'), 'browser mode must say secrets are a 0600 file');
    await page.getByTestId('profile-save').click();
    const item = page.locator('[data-testid="profile-item"][data-name="e2e-cluster"]');
    await item.getByTestId('profile-has-secret').waitFor();
    assert.equal(await page.getByTestId('profile-secret-token').inputValue(), '', 'the token is still in the form after saving');
    assert.ok(((await page.getByTestId('profile-secret-token').getAttribute('placeholder')) ?? '').includes('stored'));
    await page.getByTestId('profile-test').click();
    await page.getByTestId('profile-test-result').waitFor();
    const answers = await page.evaluate(async () => {
      const call = (m, i) => fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) }).then((r) => r.text());
      return [await call('jobs.profiles', {}), await call('jobs.profile', { name: 'e2e-cluster' }), await call('jobs.testProfile', { name: 'e2e-cluster' })].join('\n');
    });
    assert.ok(answers.includes('"hasSecret":true'), answers);
    assert.ok(!answers.includes(TOKEN), 'a contract answer carries the token');
    assert.ok(!(await page.content()).includes(TOKEN), 'the token is in the page');
    await page.screenshot({ path: join(RESULTS, 'jobs-3-profiles.png') });
    await page.getByTestId('profile-delete').click();
    await item.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    assert.deepEqual(pageErrors, []);
  });
  await step('a caesar-rest profile: the wizard says clearly when its service cannot be reached', async () => {
    const api = (m, i) => page.evaluate(async ([m, i]) => {
      const r = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) });
      return `${r.status} ${await r.text()}`;
    }, [m, i]);
    const saved = await api('jobs.saveProfile', { name: 'e2e-caesar', settings: { type: 'caesar-rest', url: 'http://127.0.0.1:9', timeoutMs: 5000 } });
    assert.ok(saved.startsWith('200') && !saved.includes('"error"'), saved);
    await page.getByTestId('job-new-button').click();
    await page.getByTestId('job-wizard').waitFor();
    await waitFor(async () => (await page.locator('[data-testid="job-profile"] option[value="e2e-caesar"]').count()) === 1, 'caesar-rest profile listed');
    await page.getByTestId('job-profile').selectOption('e2e-caesar');
    const problem = page.getByTestId('job-remote-apps-error');
    await problem.waitFor({ timeout: 20_000 });
    const text = (await problem.textContent()) ?? '';
    assert.ok(text.includes("'e2e-caesar'") && text.includes('could not be reached') && text.includes('Check the profile URL'), text);
    // no local app stands in for the service's: nothing to submit, no options form
    assert.equal(await page.getByTestId('job-option-seedSigma').count(), 0);
    assert.ok(await page.getByTestId('job-submit').isDisabled(), 'submit is enabled without a service app');
    await page.screenshot({ path: join(RESULTS, 'jobs-4-caesar-unreachable.png') });
    // back to the local profile: the local apps and their form again
    await page.getByTestId('job-profile').selectOption('local');
    await waitFor(async () => (await page.getByTestId('job-option-seedSigma').count()) === 1, 'local options form');
    await page.keyboard.press('Escape');
    await page.getByTestId('job-wizard').waitFor({ state: 'detached' });
    assert.ok((await api('jobs.deleteProfile', { name: 'e2e-caesar' })).startsWith('200'));
    assert.deepEqual(pageErrors, []);
  });
  await step('a caesar-rest profile on `cirasa serve`: the app list and form are the service\'s, a job runs there with its upload as progress; a missing token is a clear 401', async () => {
    const TOKEN = 'e2e-serve-token-51c0e2';
    const dir = mkdtempSync(join(tmpdir(), 'cirasa-e2e-serve-'));
    writeFileSync(join(dir, 'tokens'), `${TOKEN} e2e_user\n`);
    const child = spawn(process.execPath, [join(ROOT, 'dist/main/cli.js'), 'serve', '--port', '0', '--auth', 'token', '--tokens', join(dir, 'tokens'),
      '--datadir', join(dir, 'data'), '--jobdir', join(dir, 'jobs'), '--log-level', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`cirasa serve printed no URL: ${out}`)), 60_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /caesar-rest API at (http:\/\/\S+)\/caesar\/api\/v1\.0/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`cirasa serve exited with ${code}: ${out}`)));
      });
      const api = (m, i) => page.evaluate(async ([m, i]) => {
        const r = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) });
        return `${r.status} ${await r.text()}`;
      }, [m, i]);
      assert.ok((await api('jobs.saveProfile', { name: 'e2e-serve', settings: { type: 'caesar-rest', url, timeoutMs: 15000 }, secrets: { token: TOKEN } })).startsWith('200'));
      assert.ok((await api('jobs.saveProfile', { name: 'e2e-serve-notoken', settings: { type: 'caesar-rest', url, timeoutMs: 15000 } })).startsWith('200'));
      await page.getByTestId('job-new-button').click();
      await page.getByTestId('job-wizard').waitFor();
      await waitFor(async () => (await page.locator('[data-testid="job-profile"] option[value="e2e-serve"]').count()) === 1, 'serve profile listed');
      await page.getByTestId('job-profile').selectOption('e2e-serve');
      // the service's apps, titled by the profile, and the builtin's form generated from its describe
      await waitFor(async () => ((await page.getByTestId('job-app').textContent()) ?? '').includes('(e2e-serve)'), 'service apps listed', { timeoutMs: 20_000 });
      const titles = await page.locator('[data-testid="job-app"] option').allTextContents();
      assert.deepEqual(titles, ['builtin (e2e-serve)', 'sextractor (e2e-serve)']);
      await waitFor(async () => (await page.getByTestId('job-option-seedSigma').count()) === 1, 'options form from describe');
      assert.ok(((await page.getByTestId('job-option-seedSigma').getAttribute('title')) ?? '').includes('[BUILTIN'), 'the help is not the described category');
      await page.screenshot({ path: join(RESULTS, 'jobs-5-caesar-apps.png') });
      // run it there: the panel shows the upload as the job's progress, then the remote job reaches SUCCESS
      await page.evaluate(() => {
        window.__uploads = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-testid="job-progress"]')) {
            const t = el.textContent ?? '';
            if (/uploading \d+ %/.test(t) && !window.__uploads.includes(t)) window.__uploads.push(t);
          }
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByTestId('job-tag').fill('e2e-remote');
      await page.getByTestId('job-submit').click();
      await page.getByTestId('job-wizard').waitFor({ state: 'detached', timeout: 60_000 });
      const row = page.getByTestId('job-row').first();
      await waitFor(async () => {
        const state = await row.getAttribute('data-state');
        if (['FAILURE', 'ABORTED', 'CANCELED', 'TIMED-OUT'].includes(state)) throw new Error(`remote job ended ${state}: ${await row.getAttribute('title')}`);
        return state === 'SUCCESS';
      }, 'remote job SUCCESS', { timeoutMs: 90_000 });
      assert.ok(((await row.textContent()) ?? '').includes('e2e-remote'), 'not the remote job');
      const uploads = await page.evaluate(() => window.__uploads);
      assert.ok(uploads.length > 0, 'no upload progress was shown');
      await page.getByTestId('job-new-button').click();
      await page.getByTestId('job-wizard').waitFor();
      await waitFor(async () => (await page.locator('[data-testid="job-profile"] option[value="e2e-serve-notoken"]').count()) === 1, 'profiles listed');
      await page.getByTestId('job-profile').selectOption('e2e-serve-notoken');
      const problem = page.getByTestId('job-remote-apps-error');
      await problem.waitFor({ timeout: 20_000 });
      const text = (await problem.textContent()) ?? '';
      assert.ok(text.includes("'e2e-serve-notoken'") && text.includes('refused the credentials') && text.includes('Paste a new token'), text);
      await page.keyboard.press('Escape');
      await page.getByTestId('job-wizard').waitFor({ state: 'detached' });
      assert.ok((await api('jobs.deleteProfile', { name: 'e2e-serve' })).startsWith('200'));
      assert.ok((await api('jobs.deleteProfile', { name: 'e2e-serve-notoken' })).startsWith('200'));
      assert.deepEqual(pageErrors, []);
      return `upload progress shown: ${uploads.slice(0, 3).join(', ')}${uploads.length > 3 ? `… (${uploads.length})` : ''}`;
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await page.close();
}
