/**
 * Remote-only apps: an in-process `cirasa serve` offers an app this client does not register ('remotefinder', the
 * builtin finder under another name with a narrower seedSigma range). The JobService lists it from /apps +
 * describe, validates options with the service's schema before uploading anything, runs it to SUCCESS with the
 * upload shown as job progress, and a new JobService without the service's app list (a restart) still finishes a
 * job of that app.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp } from '../../src/main/apps';
import { AppRegistry } from '../../src/main/apps/registry';
import type { FinderApp } from '../../src/main/apps/types';
import { CaesarRestClient } from '../../src/main/caesar-rest/client';
import type { RunningCaesarRest } from '../../src/main/caesar-rest/server';
import { serve } from '../../src/main/caesar-rest/service';
import { JobService, type JobStatusChanged } from '../../src/main/jobs/jobService';
import type { BackendProfile } from '../../src/main/jobs/profiles';
import { openStore, type Store } from '../../src/main/store';
import { CIRASA_FROM_SOURCES, runCirasa, waitTerminal } from './helpers/jobs';

const TOKEN = 'remote-apps-token-0123456789';

/** Independent truth: the simulator's three brightest sources are in the catalogue within 1.5 px (both Pixel0). */
function expectBrightestFound(catalogueId: number): void {
  const truth = readFileSync(join(dir, 'field.truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const sources = store.catalogues.load(catalogueId).sources;
  for (const t of truth.sort((a, b) => b[5]! - a[5]!).slice(0, 3)) {
    expect(Math.min(...sources.map((s) => Math.hypot(s.x - t[3]!, s.y - t[4]!)))).toBeLessThan(1.5);
  }
}

/** The builtin finder under another name, seedSigma limited to 4..9 (so the remote schema is not the local one). */
const remoteOnly: FinderApp = {
  ...builtinApp,
  id: 'remotefinder',
  title: 'Remote finder',
  optionsSchema: {
    ...builtinApp.optionsSchema,
    properties: { ...builtinApp.optionsSchema.properties, seedSigma: { ...builtinApp.optionsSchema.properties.seedSigma!, minimum: 4, maximum: 9 } },
  },
};

let dir: string;
let image: string;
let server: RunningCaesarRest;
let store: Store;
let profile: Extract<BackendProfile, { type: 'caesar-rest' }>;
const events: JobStatusChanged[] = [];
let svc: JobService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-rest-remote-apps-'));
  image = join(dir, 'field.fits');
  const r = await runCirasa(['simulate', '--size', '256', '--count', '12', '--seed', '11', '--out', image]);
  expect(r.code, r.stderr).toBe(0);
  server = await serve({
    host: '127.0.0.1', port: 0, auth: { mode: 'token', tokens: new Map([[TOKEN, 'jane_doe_inaf_it']]) }, dataDir: join(dir, 'srv', 'data'), jobDir: join(dir, 'srv', 'jobs'),
    maxUploadBytes: 4 * 1024 * 1024, profile: { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }, apps: [builtinApp, remoteOnly], monitorPeriodMs: 100, log: () => {},
  });
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`);
  profile = { type: 'caesar-rest', url: server.url, tokenFile, timeoutMs: 15_000 };
  store = openStore(join(dir, 'client.sqlite'));
  // the client knows only the builtin finder
  svc = new JobService({ store, apps: new AppRegistry([builtinApp]), dataDir: join(dir, 'client'), monitorPeriodMs: 100, onEvent: (e) => events.push(e) });
}, 60_000);

afterAll(async () => {
  await svc?.dispose();
  store?.close();
  await server?.close(1000);
  await rm(dir, { recursive: true, force: true });
});

describe('remote-only apps of a caesar-rest service', () => {
  it('lists the service apps with the schema from describe; the local profile does not see them', async () => {
    const apps = await svc.remoteApps(profile);
    expect(apps.map((a) => a.id)).toEqual(['builtin', 'remotefinder']);
    expect(apps[1]!.optionsSchema.properties.seedSigma).toMatchObject({ type: 'number', minimum: 4, maximum: 9 });
    expect((await svc.appFor('remotefinder', profile)).id).toBe('remotefinder');
    await expect(svc.appFor('remotefinder', { type: 'local' })).rejects.toMatchObject({ code: 'validation' });
    await expect(svc.appFor('nosuchapp', profile)).rejects.toThrow(/offers builtin, remotefinder/);
  });

  it('refuses an option outside the remote schema before uploading anything', async () => {
    const client = new CaesarRestClient({ baseUrl: server.url, token: TOKEN });
    await expect(svc.submit({ app: 'remotefinder', options: { seedSigma: 3 }, inputs: [image], profile })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/seedSigma: 3 is below the minimum 4/) });
    await expect(svc.submit({ app: 'remotefinder', options: { noSuchOption: 1 }, inputs: [image], profile })).rejects.toMatchObject({ code: 'validation' });
    expect(await client.fileIds()).toEqual([]);
    expect(svc.list()).toEqual([]);
  });

  it('runs a remote-only app to SUCCESS, the upload shown as job progress', async () => {
    events.length = 0;
    const job = await svc.submit({ app: 'remotefinder', options: { seedSigma: 6 }, inputs: [image], profile, tag: 'remote-only' });
    expect(job.app).toBe('remotefinder');
    expect(job.options.seedSigma).toBe(6);
    // before the job was accepted, events carried the upload's progress (monotonic, up to 100 %)
    const uploading = events.filter((e) => e.job.id === job.id && e.job.nativeState === 'UPLOADING').map((e) => e.job.progress!);
    expect(uploading.length).toBeGreaterThan(1);
    expect(uploading.every((p) => /^uploading \d+ %$/.test(p.text))).toBe(true);
    expect(uploading.at(-1)).toEqual({ fraction: 1, text: 'uploading 100 %' });
    const fractions = uploading.map((p) => p.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    // once submitted, the record is stored and the upload progress is gone
    expect(svc.get(job.id).progress?.text ?? '').not.toMatch(/uploading/);
    const done = await waitTerminal(svc, job.id, 120_000);
    expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
    expectBrightestFound(done.catalogueId!);
  }, 150_000);

  it('cancelling a job while its image uploads stops the upload: CANCELED, nothing stored here or on the service', async () => {
    // a file this service has not seen yet (a known one is reused, not uploaded)
    const fresh = join(dir, 'fresh.fits');
    await writeFile(fresh, readFileSync(image));
    const client = new CaesarRestClient({ baseUrl: server.url, token: TOKEN });
    const filesBefore = (await client.fileIds()).length;
    const jobsBefore = (await client.jobs()).length;
    const ended: JobStatusChanged[] = [];
    let cancelled: Promise<unknown> | undefined;
    const own = new JobService({
      store, apps: new AppRegistry([builtinApp]), dataDir: join(dir, 'client-cancel'), autoStart: false,
      onEvent: (e) => {
        // the first progress event: the user clicks Cancel in the panel
        if (e.job.nativeState === 'UPLOADING' && !cancelled) cancelled = own.cancel(e.job.id);
        else ended.push(e);
      },
    });
    try {
      await expect(own.submit({ app: 'remotefinder', options: {}, inputs: [fresh], profile })).rejects.toMatchObject({ code: 'cancelled' });
      expect(await cancelled).toMatchObject({ state: 'CANCELED' });
      expect(ended.map((e) => e.job.state)).toEqual(['CANCELED']);
      expect(own.list().filter((j) => j.inputs[0] === fresh)).toEqual([]);
      // the service kept no partial upload and started no job
      expect((await client.fileIds()).length).toBe(filesBefore);
      expect((await client.jobs()).length).toBe(jobsBefore);
    } finally {
      await own.dispose();
    }
  });

  it('a restarted service (no app list fetched, monitor only) finishes a job of a remote-only app', async () => {
    const first = new JobService({ store, apps: new AppRegistry([builtinApp]), dataDir: join(dir, 'client-restart'), monitorPeriodMs: 60_000, autoStart: false });
    const job = await first.submit({ app: 'remotefinder', options: {}, inputs: [image], profile });
    await first.dispose();
    // the service's monitor also watches this store: stop it, so the restarted one does the work
    await svc.dispose();
    const again = new JobService({ store, apps: new AppRegistry([]), dataDir: join(dir, 'client-restart'), monitorPeriodMs: 100 });
    try {
      const done = await waitTerminal(again, job.id, 120_000);
      expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
      expectBrightestFound(done.catalogueId!);
    } finally {
      await again.dispose();
    }
  }, 150_000);

  it('a bad token: the service\'s 401 is the error for a remote-only app', async () => {
    const badFile = join(dir, 'bad-token');
    await writeFile(badFile, 'not-the-token\n');
    const other = new JobService({ store, apps: new AppRegistry([builtinApp]), dataDir: join(dir, 'client-bad'), autoStart: false });
    try {
      await expect(other.submit({ app: 'remotefinder', options: {}, inputs: [image], profile: { ...profile, tokenFile: badFile } })).rejects.toMatchObject({ code: 'jobs.authFailed' });
    } finally {
      await other.dispose();
    }
  });
});
