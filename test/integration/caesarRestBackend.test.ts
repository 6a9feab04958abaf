/**
 * The JobService with a `caesar-rest` profile against an in-process `cirasa serve` (token auth on): the builtin
 * finder runs remotely to SUCCESS and its catalogue is imported here. A fault-injecting proxy in front of the same
 * server (only for faults: 500 with an HTML body, a dropped connection, garbage JSON, a slow answer) gives the
 * right errors and never loses the job.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp } from '../../src/main/apps';
import { AppRegistry } from '../../src/main/apps/registry';
import { CaesarRestClient } from '../../src/main/caesar-rest/client';
import type { RunningCaesarRest } from '../../src/main/caesar-rest/server';
import { serve } from '../../src/main/caesar-rest/service';
import { caesarRestBackendFromProfile } from '../../src/main/jobs/backends/caesar-rest/fromProfile';
import { fetchRemoteApps } from '../../src/main/jobs/backends/caesar-rest/remoteApps';
import { defaultBackendFactories } from '../../src/main/jobs/backendFactories';
import { caesarRestHandlers } from '../../src/main/jobs/backends/caesar-rest/accountingHandler';
import { JobService } from '../../src/main/jobs/jobService';
import { SecretStore } from '../../src/main/jobs/secretStore';
import type { BackendProfile } from '../../src/main/jobs/profiles';
import { openStore, type Store } from '../../src/main/store';
import { CIRASA_FROM_SOURCES, runCirasa, waitTerminal } from './helpers/jobs';

const TOKEN = 'client-token-0123456789';
type Fault = 'html500' | 'drop' | 'garbage' | 'slow' | undefined;

let dir: string;
let image: string;
let server: RunningCaesarRest;
let proxy: Server;
let proxyUrl: string;
/** Fault applied by the proxy to requests whose path matches `faultPath`. */
let fault: Fault;
let faultPath = /./;
let store: Store;
let svc: JobService;

function startProxy(target: string): Promise<Server> {
  const to = new URL(target);
  const p = createServer((req, res) => {
    if (fault && faultPath.test(req.url ?? '')) {
      req.resume();
      if (fault === 'html500') {
        res.writeHead(500, { 'Content-Type': 'text/html' });
        res.end('<html><body><h1>Internal Server Error</h1></body></html>');
      } else if (fault === 'drop') {
        req.socket.destroy();
      } else if (fault === 'garbage') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"job_id": "x", "state": ');
      } else {
        setTimeout(() => res.destroyed || res.end('{}'), 30_000).unref();
      }
      return;
    }
    const fwd = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  return new Promise((resolve) => p.listen(0, '127.0.0.1', () => resolve(p)));
}

/** Generous per-request timeout: the whole suite runs in parallel on a loaded machine. */
async function profileFile(url: string, token = TOKEN, timeoutMs = 15_000): Promise<BackendProfile> {
  const tokenFile = join(dir, `token-${Math.random().toString(16).slice(2)}`);
  await writeFile(tokenFile, `${token}\n`);
  return { type: 'caesar-rest', url, tokenFile, timeoutMs };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-rest-backend-'));
  image = join(dir, 'field.fits');
  const r = await runCirasa(['simulate', '--size', '256', '--count', '12', '--seed', '11', '--out', image]);
  expect(r.code, r.stderr).toBe(0);
  server = await serve({
    host: '127.0.0.1', port: 0, auth: { mode: 'token', tokens: new Map([[TOKEN, 'jane_doe_inaf_it']]) }, dataDir: join(dir, 'srv', 'data'), jobDir: join(dir, 'srv', 'jobs'),
    maxUploadBytes: 4 * 1024 * 1024, profile: { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }, apps: [builtinApp], monitorPeriodMs: 100, log: () => {},
  });
  proxy = await startProxy(server.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  store = openStore(join(dir, 'client.sqlite'));
  svc = new JobService({ store, apps: new AppRegistry(), dataDir: join(dir, 'client'), monitorPeriodMs: 100 });
}, 60_000);

afterAll(async () => {
  await svc?.dispose();
  store?.close();
  await new Promise((r) => proxy?.close(r));
  await server?.close(1000);
  await rm(dir, { recursive: true, force: true });
});

describe('JobService → caesar-rest → cirasa serve', () => {
  it('runs the builtin finder remotely to SUCCESS and imports its catalogue', async () => {
    const profile = await profileFile(server.url);
    const job = await svc.submit({ app: 'builtin', options: { seedSigma: 5 }, inputs: [image], profile, tag: 'remote' });
    expect(job.backend).toBe('caesar-rest');
    expect(job.nativeId).toMatch(/^[0-9a-f-]{36}$/);
    const done = await waitTerminal(svc, job.id, 120_000);
    expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
    expect(done.exitCode).toBe(0);
    const cat = store.catalogues.load(done.catalogueId!);
    expect(cat.sources.length).toBeGreaterThan(3);
    // independent truth: the simulator's three brightest sources are found within 1.5 px (both Pixel0)
    const truth = readFileSync(join(dir, 'field.truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    for (const t of truth.sort((a, b) => b[5]! - a[5]!).slice(0, 3)) {
      expect(Math.min(...cat.sources.map((s) => Math.hypot(s.x - t[3]!, s.y - t[4]!)))).toBeLessThan(1.5);
    }
    // the remote job folder came back from the tarball (logs included; caesar-rest has no log route)
    expect(readdirSync(done.outputDir)).toEqual(expect.arrayContaining(['catalogue.json', 'stdout.log', 'stderr.log']));
    expect(await svc.logs(job.id)).toEqual({ stdout: readFileSync(join(done.outputDir, 'stdout.log'), 'utf8'), stderr: readFileSync(join(done.outputDir, 'stderr.log'), 'utf8') });
    // the image was uploaded under the token's user: the service lists it as that user's file
    const client = new CaesarRestClient({ baseUrl: server.url, token: TOKEN });
    const mine = await client.fileIds();
    expect(mine.map((f) => f.filename_orig)).toContain('field.fits');
    // a second job on the same image reuses the upload; once the service lost it, the next job uploads it again
    const again = await svc.submit({ app: 'builtin', options: { seedSigma: 6 }, inputs: [image], profile });
    expect((await client.fileIds()).length).toBe(mine.length);
    expect(await waitTerminal(svc, again.id, 120_000)).toMatchObject({ state: 'SUCCESS' });
    for (const f of await client.fileIds()) await client.delete(f.fileid);
    const third = await svc.submit({ app: 'builtin', inputs: [image], profile });
    expect((await client.fileIds()).map((f) => f.filename_orig)).toEqual(['field.fits']);
    expect(await waitTerminal(svc, third.id, 120_000)).toMatchObject({ state: 'SUCCESS' });
  }, 150_000);

  it('401 and 413 at submission: clear errors, no job recorded', async () => {
    const before = svc.list().length;
    await expect(svc.submit({ app: 'builtin', inputs: [image], profile: await profileFile(server.url, 'wrong-token-000') })).rejects.toMatchObject({ code: 'jobs.authFailed' });
    const big = join(dir, 'big.fits');
    await writeFile(big, Buffer.alloc(5 * 1024 * 1024));
    await expect(svc.submit({ app: 'builtin', inputs: [big], profile: await profileFile(server.url) })).rejects.toMatchObject({ code: 'jobs.uploadTooLarge' });
    await expect(svc.submit({ app: 'builtin', inputs: [image], profile: { type: 'caesar-rest', url: 'http://127.0.0.1:9', timeoutMs: 1000 } })).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
    expect(svc.list().length).toBe(before);
  }, 30_000);

  it('a token pasted in the profile editor (the app\'s secret store) authenticates; a missing one is jobs.authFailed', async () => {
    const secrets = new SecretStore(join(dir, 'secrets'));
    await secrets.set('remote.token', TOKEN);
    const factory = defaultBackendFactories(secrets)['caesar-rest']!;
    const backend = (await factory({ type: 'caesar-rest', url: server.url, tokenSecret: 'remote.token' })) as Awaited<ReturnType<typeof caesarRestBackendFromProfile>>;
    expect(await backend.client.apps()).toEqual(['builtin']);
    await expect(Promise.resolve(factory({ type: 'caesar-rest', url: server.url, tokenSecret: 'other.token' }))).rejects.toMatchObject({ code: 'jobs.authFailed' });
  });

  it('a 500 HTML answer to POST /job fails the submission and removes the upload from the service', async () => {
    const profile = await profileFile(proxyUrl);
    const client = new CaesarRestClient({ baseUrl: server.url, token: TOKEN });
    // a file the service has not seen (an image it has is reused, not uploaded)
    const fresh = join(dir, 'fresh.fits');
    await writeFile(fresh, readFileSync(image));
    const files = (await client.fileIds()).length;
    fault = 'html500';
    faultPath = /\/job$/;
    try {
      await expect(svc.submit({ app: 'builtin', inputs: [fresh], profile })).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('Internal Server Error') });
    } finally {
      fault = undefined;
    }
    expect((await client.fileIds()).length).toBe(files);
  }, 30_000);

  it('status faults (500 HTML, dropped connection, garbage JSON, slow) keep the job and say why; it still ends SUCCESS', async () => {
    const profile = await profileFile(proxyUrl, TOKEN, 4000);
    faultPath = /\/status$/;
    fault = 'html500';
    // the monitor must not see the job before the faults are on
    await svc.dispose();
    const job = await svc.submit({ app: 'builtin', inputs: [image], profile });
    const expected: [Fault, string, string][] = [
      ['html500', 'jobs.backendUnreachable', 'HTTP 500'],
      ['drop', 'jobs.backendUnreachable', 'socket hang up'],
      ['garbage', 'jobs.badResponse', 'not JSON'],
      ['slow', 'jobs.backendUnreachable', 'no answer within 4000 ms'],
    ];
    for (const [f, code, text] of expected) {
      fault = f;
      await svc.tick();
      const now = svc.get(job.id);
      expect(now.state, f).toBe('PENDING');
      expect(now.messages.at(-1), f).toContain(`[${code}]`);
      expect(now.messages.at(-1), f).toContain(text);
    }
    fault = undefined;
    svc.start();
    const done = await waitTerminal(svc, job.id, 120_000);
    expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
    expect(store.catalogues.load(done.catalogueId!).sources.length).toBeGreaterThan(3);
  }, 150_000);

  it('the service\'s apps and describe become finder apps: a job with the remote schema runs to SUCCESS', async () => {
    const profile = await profileFile(server.url);
    const apps = await fetchRemoteApps(await caesarRestBackendFromProfile(profile));
    expect(apps.map((a) => a.id)).toEqual(['builtin']);
    expect(apps[0]!.optionsSchema.properties.seedSigma).toMatchObject({ type: 'number', default: 5 });
    const remoteSvc = new JobService({ store, apps: new AppRegistry(apps), dataDir: join(dir, 'client-remote'), monitorPeriodMs: 100 });
    try {
      await expect(remoteSvc.submit({ app: 'builtin', options: { seedSigma: 'high' }, inputs: [image], profile })).rejects.toMatchObject({ code: 'validation' });
      const job = await remoteSvc.submit({ app: 'builtin', options: { seedSigma: 6 }, inputs: [image], profile });
      // the first service's monitor (same store) sees this job too: two monitors fetch its outputs at once
      const done = await waitTerminal(remoteSvc, job.id, 120_000);
      expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
      expect(store.catalogues.load(done.catalogueId!).sources.length).toBeGreaterThan(3);
    } finally {
      await remoteSvc.dispose();
    }
  }, 150_000);

  it('jobs.accounting answers the service\'s /accounting for a caesar-rest profile, counts matching its job list', async () => {
    const profile = await profileFile(server.url);
    const h = caesarRestHandlers({ get: async (name) => (name === 'remote' ? profile : { type: 'local' }) }, defaultBackendFactories());
    const a = await h['jobs.accounting']({ name: 'remote' }, {} as never);
    const jobs = await new CaesarRestClient({ baseUrl: server.url, token: TOKEN }).jobs();
    expect(a).toMatchObject({ profile: 'remote', njobs: jobs.length, completed: jobs.filter((j) => j.state === 'SUCCESS').length });
    expect(a.njobs).toBeGreaterThan(0);
    expect(a.datasizeKiB).toBeGreaterThan(0);
    expect(a.timestamp).toMatch(/GMT$/);
    await expect(h['jobs.accounting']({ name: 'local' }, {} as never)).rejects.toMatchObject({ code: 'validation' });
    // the wizard's apps and forms for this profile come from the service's /apps and describe
    const apps = await h['jobs.remoteApps']({ name: 'remote' }, {} as never);
    expect(apps.map((a) => [a.id, a.title])).toEqual([['builtin', 'builtin (remote)']]);
    expect(apps[0]!.optionsSchema.properties.seedSigma).toMatchObject({ type: 'number', default: 5 });
  });
});
