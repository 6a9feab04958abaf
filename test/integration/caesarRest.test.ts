/**
 * Conformance of `cirasa serve` (caesar-rest v1.0, ../shared/docs/caesar-rest-api.md) driven by our own client:
 * the whole cycle with token auth and without, per-user namespaces, traversal, 413, 401, malformed JSON and
 * unknown apps. Found sources are checked against the simulator's truth catalogue.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp, containerAppFromSpec, sextractorApp } from '../../src/main/apps';
import { CaesarRestClient } from '../../src/main/caesar-rest/client';
import type { RunningCaesarRest } from '../../src/main/caesar-rest/server';
import { serve } from '../../src/main/caesar-rest/service';
import { CIRASA_FROM_SOURCES, runCirasa } from './helpers/jobs';

const PREFIX = '/caesar/api/v1.0';
const TOKEN_A = 'alice-token-0123456789';
const TOKEN_B = 'bob-token-9876543210';
const sleeper = containerAppFromSpec({ id: 'sleeper', image: 'none', command: ['sh', '-c', 'sleep 60'], options: { delay: { type: 'number', default: 0 } }, outputs: ['out.json'], format: 'caesar-json' });

let dir: string;
let image: string;
let truth: { x: number; y: number; peak: number }[];
let secured: RunningCaesarRest;
let open: RunningCaesarRest;

async function start(name: string, auth: Parameters<typeof serve>[0]['auth']) {
  return serve({
    host: '127.0.0.1', port: 0, auth, dataDir: join(dir, name, 'data'), jobDir: join(dir, name, 'jobs'), maxUploadBytes: 1024 * 1024,
    profile: { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }, apps: [builtinApp, sextractorApp, sleeper], monitorPeriodMs: 100, log: () => {},
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-rest-'));
  image = join(dir, 'sim.fits');
  const r = await runCirasa(['simulate', '--size', '256', '--count', '15', '--seed', '7', '--out', image]);
  expect(r.code, r.stderr).toBe(0);
  truth = readFileSync(join(dir, 'sim.truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const c = l.split(',');
    return { x: Number(c[3]), y: Number(c[4]), peak: Number(c[5]) };
  });
  secured = await start('secured', { mode: 'token', tokens: new Map([[TOKEN_A, 'alice_inaf_it'], [TOKEN_B, 'bob']]) });
  open = await start('open', { mode: 'none' });
}, 60_000);

afterAll(async () => {
  await secured?.close(1000);
  await open?.close(1000);
  await rm(dir, { recursive: true, force: true });
});

async function fullCycle(server: RunningCaesarRest, token?: string) {
  const client = new CaesarRestClient({ baseUrl: server.url, ...(token ? { token } : {}) });
  const progress: number[] = [];
  const up = await client.upload(image, { tag: 'sim', onProgress: (sent, total) => progress.push(sent / total) });
  expect(up.status).toBe('File uploaded with success');
  expect(up.uuid).toMatch(/^[0-9a-f]{32}$/);
  expect(up.format).toBe('fits');
  expect(up.size).toBeCloseTo(readFileSync(image).length / 2 ** 20, 6);
  expect(progress.at(-1)).toBe(1);
  expect((await client.fileIds()).map((f) => f.fileid)).toContain(up.uuid);

  const copy = join(dir, `copy-${up.uuid}.fits`);
  await client.download(up.uuid, copy);
  expect(readFileSync(copy).equals(readFileSync(image))).toBe(true);

  expect(await client.apps()).toEqual(['builtin', 'sextractor', 'sleeper']);
  const d = await client.describe('builtin');
  expect(d.seedSigma).toMatchObject({ type: 'float', default: 5, enum: false, mandatory: false });

  const sub = await client.submit({ app: 'builtin', jobInputs: { seedSigma: '5' }, dataInputs: up.uuid, tag: 'run1' });
  expect(sub).toMatchObject({ app: 'builtin', state: 'PENDING', status: 'Job submitted and registered with success', job_inputs: { seedSigma: '5' }, data_inputs: up.uuid, tag: 'run1' });
  const seen: string[] = [];
  const done = await client.waitForJob(sub.job_id, { intervalMs: 100, timeoutMs: 120_000, onStatus: (s) => seen.push(s.state) });
  expect(done.state, done.status).toBe('SUCCESS');
  expect(done.exit_code).toBe(0);
  expect(typeof done.elapsed_time).toBe('number');
  expect((await client.jobs()).map((j) => j.job_id)).toContain(sub.job_id);

  const sources = await client.sources(sub.job_id);
  if (!sources.ready) throw new Error(sources.status);
  const islands = sources.value.sources as { x0: number; y0: number; islands: Record<string, unknown>[] }[];
  expect(islands.length).toBeGreaterThan(3);
  expect(Object.keys(islands[0]!.islands[0]!)).toEqual(expect.arrayContaining(['Stot', 'Smax', 'vertices', 'xmin', 'npix', 'fit_info']));
  // the three brightest simulated sources are found within 1.5 px (truth x/y are 0-based, as CAESAR's x0/y0)
  for (const t of [...truth].sort((a, b) => b.peak - a.peak).slice(0, 3)) {
    const best = Math.min(...islands.map((s) => Math.hypot(s.x0 - t.x, s.y0 - t.y)));
    expect(best).toBeLessThan(1.5);
  }
  const comps = await client.components(sub.job_id);
  if (!comps.ready) throw new Error(comps.status);
  expect(comps.value.components.length).toBeGreaterThanOrEqual(islands.length);
  expect(comps.value.components[0]).toMatchObject({ componentId: 1 });

  const preview = await client.preview(sub.job_id);
  if (!preview.ready) throw new Error(preview.status);
  expect(preview.value.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const islandsDat = join(dir, `islands-${sub.job_id}.dat`);
  expect((await client.asciiCatalogue(sub.job_id, 'sources', islandsDat)).ready).toBe(true);
  expect(readFileSync(islandsDat, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).length).toBe(islands.length);

  const tarball = join(dir, `job-${sub.job_id}.tar.gz`);
  const out = await client.output(sub.job_id, tarball);
  expect(out.ready).toBe(true);
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  expect(listing).toContain(`job_${sub.job_id}/catalogue.json`);

  await client.delete(up.uuid);
  expect((await client.fileIds()).map((f) => f.fileid)).not.toContain(up.uuid);
  await expect(client.download(up.uuid, copy)).rejects.toMatchObject({ code: 'notFound' });
  return { client, fileid: up.uuid, jobid: sub.job_id };
}

describe('cirasa serve with our client', () => {
  it('whole cycle with token auth', async () => {
    await fullCycle(secured, TOKEN_A);
  }, 150_000);

  it('whole cycle without auth (anonymous namespace)', async () => {
    await fullCycle(open);
  }, 150_000);

  it('a second user sees none of the first user\'s files or jobs', async () => {
    const a = new CaesarRestClient({ baseUrl: secured.url, token: TOKEN_A });
    const b = new CaesarRestClient({ baseUrl: secured.url, token: TOKEN_B });
    const up = await a.upload(image);
    const job = await a.submit({ app: 'sleeper', jobInputs: { delay: 1 }, dataInputs: up.uuid });
    expect(await b.fileIds()).toEqual([]);
    expect(await b.jobs()).toEqual([]);
    await expect(b.download(up.uuid, join(dir, 'x.fits'))).rejects.toMatchObject({ code: 'notFound' });
    await expect(b.delete(up.uuid)).rejects.toMatchObject({ code: 'notFound' });
    await expect(b.status(job.job_id)).rejects.toMatchObject({ code: 'notFound' });
    await expect(b.cancel(job.job_id)).rejects.toMatchObject({ code: 'notFound' });
    await expect(b.submit({ app: 'builtin', jobInputs: { seedSigma: 5 }, dataInputs: up.uuid })).rejects.toMatchObject({ code: 'validation' });
    // unfinished: output routes answer 202; then A cancels
    expect((await a.sources(job.job_id)).ready).toBe(false);
    const out = await a.output(job.job_id, join(dir, 'never.tar.gz'));
    expect(out).toMatchObject({ ready: false, status: `Job ${job.job_id} not yet completed (state=${(await a.status(job.job_id)).state}), output not available` });
    expect(await a.cancel(job.job_id)).toBe('Job canceled and status updated in DB');
    expect((await a.status(job.job_id)).state).toBe('CANCELED');
    expect((await a.fileIds()).map((f) => f.fileid)).toContain(up.uuid);
  }, 30_000);
});

describe('cirasa serve security and errors', () => {
  const raw = (path: string, init: RequestInit = {}, token: string | null = TOKEN_A) =>
    fetch(`${secured.url}${PREFIX}/${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });

  it('missing or invalid token: 401 with caesar-rest\'s JSON-in-HTML body; the client says jobs.authFailed', async () => {
    for (const token of [null, 'not-a-known-token']) {
      const r = await raw('fileids', {}, token);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(JSON.parse(await r.text())).toEqual({ error: 'invalid_token', error_description: 'Token required but invalid' });
    }
    await expect(new CaesarRestClient({ baseUrl: secured.url, token: 'wrong-token-123' }).apps()).rejects.toMatchObject({ code: 'jobs.authFailed' });
    expect((await fetch(`${secured.url}/health`)).status).toBe(200);
  });

  it('traversal in ids and file names: 404 for ids, names sanitized into the uploader\'s folder', async () => {
    for (const p of ['download/..%2F..%2Fcirasa.sqlite', 'download/../../etc/passwd', 'delete/..%2Fbob', 'job/..%2F..%2Fjobs/status', 'job/..%2Fx/sources']) {
      const r = await raw(p);
      expect(r.status, p).toBe(404);
    }
    const client = new CaesarRestClient({ baseUrl: secured.url, token: TOKEN_B });
    const up = await client.upload(image, { filename: '../../../evil name.fits' });
    expect(up.filename_orig).toBe('evil_name.fits');
    const stored = await readdir(join(dir, 'secured', 'data', 'bob'));
    expect(stored).toContain(`${up.uuid}.fits`);
    expect(existsSync(join(dir, 'evil_name.fits')) || existsSync(join(dir, 'secured', 'evil name.fits'))).toBe(false);
  });

  it('upload over the size limit: 413 HTML; the client says jobs.uploadTooLarge; a .fit name is 415', async () => {
    const big = join(dir, 'big.fits');
    await writeFile(big, Buffer.alloc(2 * 1024 * 1024));
    const client = new CaesarRestClient({ baseUrl: secured.url, token: TOKEN_A });
    await expect(client.upload(big)).rejects.toMatchObject({ code: 'jobs.uploadTooLarge' });
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(2 * 1024 * 1024)]), 'big.fits');
    const r = await raw('upload', { method: 'POST', body: form });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const small = new FormData();
    small.append('file', new Blob([Buffer.alloc(10)]), 'x.fit');
    const r415 = await raw('upload', { method: 'POST', body: small });
    expect(r415.status).toBe(415);
    expect(await r415.json()).toMatchObject({ uuid: '', size: '', status: 'File format not allowed, allowed file types are: {png|jpg|jpeg|gif|fits}' });
  });

  it('malformed JSON, wrong content type, missing fields and an unknown app: 400 with caesar-rest\'s bodies', async () => {
    const post = (body: string, type = 'application/json') => raw('job', { method: 'POST', body, headers: { 'Content-Type': type } });
    const bad = await post('{"app": "builtin", ');
    expect(bad.status).toBe(400);
    // keys sorted, as Flask's jsonify
    expect(await bad.text()).toBe('{"app":"","job_id":"","state":"ABORTED","status":"Invalid request data!","submit_date":""}');
    expect((await post('{"app":"builtin"}', 'text/plain')).status).toBe(400);
    const empty = await post(JSON.stringify({ app: 'builtin', job_inputs: {}, data_inputs: 'x' }));
    expect(((await empty.json()) as { status: string }).status).toBe('No job inputs field found in request!');
    const unknown = await post(JSON.stringify({ app: 'nosuchapp', job_inputs: { a: 1 }, data_inputs: '0'.repeat(32) }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ app: 'nosuchapp', state: 'ABORTED', status: 'App nosuchapp not known or supported' });
    const describeUnknown = await raw('app/nosuchapp/describe');
    expect(describeUnknown.status).toBe(400);
    expect(await describeUnknown.json()).toEqual({ status: 'Unknown app nosuchapp!' });
    const client = new CaesarRestClient({ baseUrl: secured.url, token: TOKEN_A });
    const up = await client.upload(image);
    const flag = await post(JSON.stringify({ app: 'builtin', job_inputs: { seedSigma: 'high' }, data_inputs: up.uuid }));
    expect(await flag.json()).toMatchObject({ status: "Failed to cast option seedSigma to type <class 'float'> !" });
    const r404 = await raw('nosuchroute');
    expect(r404.status).toBe(404);
    expect(r404.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await raw('apps', { method: 'DELETE' })).status).toBe(405);
  });

  it('an unreachable host is jobs.backendUnreachable', async () => {
    await expect(new CaesarRestClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }).apps()).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
  });
});
