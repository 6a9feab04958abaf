/**
 * Golden tests of `cirasa serve` against ../shared/docs/caesar-rest-api.md: for every route, the status code and
 * the body shape (keys and JSON types) the spec states, error cases included, with raw HTTP (no client of ours),
 * so an existing caesar-rest client works unchanged. Shapes are copied from the spec's tables (§3, §7.3, §7.4).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp, containerAppFromSpec } from '../../src/main/apps';
import type { RunningCaesarRest } from '../../src/main/caesar-rest/server';
import { serve } from '../../src/main/caesar-rest/service';
import { readCatalogue } from '../../src/main/catalogue/registry';
import { CIRASA_FROM_SOURCES, runCirasa } from './helpers/jobs';

const P = '/caesar/api/v1.0';
const TOKEN = 'golden-token-0123456789';
const sleeper = containerAppFromSpec({ id: 'sleeper', image: 'none', command: ['sh', '-c', 'sleep 60'], options: { delay: { type: 'number', default: 0 } }, outputs: ['out.json'], format: 'caesar-json' });

let dir: string;
let image: string;
let srv: RunningCaesarRest;
let fileid: string;
let jobid: string;
let pendingJob: string;

type Shape = Record<string, string>;
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const shape = (o: Record<string, unknown>): Shape => Object.fromEntries(Object.keys(o).sort().map((k) => [k, typeOf(o[k])]));

const get = (path: string, init: RequestInit = {}, token: string | null = TOKEN) =>
  fetch(`${srv.url}${P}/${path}`, { redirect: 'manual', ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });
const postJson = (path: string, body: unknown) => get(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

async function waitState(id: string, states: string[]): Promise<Record<string, unknown>> {
  for (let i = 0; i < 1200; i++) {
    const s = (await (await get(`job/${id}/status`)).json()) as Record<string, unknown>;
    if (states.includes(s.state as string)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} never reached ${states}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-golden-'));
  image = join(dir, 'g.fits');
  expect((await runCirasa(['simulate', '--size', '256', '--count', '10', '--seed', '3', '--out', image])).code).toBe(0);
  srv = await serve({
    host: '127.0.0.1', port: 0, auth: { mode: 'token', tokens: new Map([[TOKEN, 'jane.doe@inaf.it']]) }, dataDir: join(dir, 'data'), jobDir: join(dir, 'jobs'),
    maxUploadBytes: 2 * 1024 * 1024, profile: { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }, apps: [builtinApp, sleeper], monitorPeriodMs: 100, log: () => {},
  });
  const form = new FormData();
  form.append('file', new Blob([readFileSync(image)]), 'g.fits');
  form.append('tag', 'golden');
  fileid = ((await (await get('upload', { method: 'POST', body: form })).json()) as { uuid: string }).uuid;
  const sub = (await (await postJson('job', { app: 'builtin', job_inputs: { seedSigma: 5 }, data_inputs: fileid, tag: 't' })).json()) as { job_id: string };
  jobid = sub.job_id;
  pendingJob = ((await (await postJson('job', { app: 'sleeper', job_inputs: { delay: 1 }, data_inputs: fileid })).json()) as { job_id: string }).job_id;
  await waitState(jobid, ['SUCCESS', 'FAILURE']);
}, 180_000);

afterAll(async () => {
  await srv?.close(1000);
  await rm(dir, { recursive: true, force: true });
});

const UPLOAD: Shape = { date: 'string', filename_orig: 'string', format: 'string', size: 'number', status: 'string', tag: 'string', uuid: 'string' };
const SUBMIT_ERR: Shape = { app: 'string', job_id: 'string', state: 'string', status: 'string', submit_date: 'string' };
const STATUS: Shape = { elapsed_time: 'number', exit_code: 'number', job_id: 'string', pid: 'string', state: 'string', status: 'string', tag: 'string' };
const USAGE = ['datasize', 'jobsize', 'njobs', 'njobs_completed', 'njobs_failed', 'njobs_aborted', 'njobs_pending', 'njobs_running', 'njobs_unknown', 'job_runtime', 'job_completed_runtime'];

describe('golden: files (api §3.1–3.4)', () => {
  it('POST /upload: 200 all keys; 400 and 415 keep the keys with "" values', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(2880)]), 'x.FITS');
    const ok = await get('upload', { method: 'POST', body: form });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(shape(body)).toEqual(UPLOAD);
    expect(body).toMatchObject({ format: 'FITS', status: 'File uploaded with success', tag: '' });
    expect(body.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const bad = new FormData();
    bad.append('file', new Blob([Buffer.alloc(10)]), 'x.fits.gz');
    const r415 = await get('upload', { method: 'POST', body: bad });
    expect(r415.status).toBe(415);
    expect(shape((await r415.json()) as Record<string, unknown>)).toEqual({ ...UPLOAD, size: 'string' });
    const none = new FormData();
    none.append('tag', 'no file');
    const r400 = await get('upload', { method: 'POST', body: none });
    expect(r400.status).toBe(400);
    expect(((await r400.json()) as { status: string }).status).toBe('Missing file field in request!');
  });

  it('GET /fileids: an array of file records', async () => {
    const r = await get('fileids');
    expect(r.status).toBe(200);
    const list = (await r.json()) as Record<string, unknown>[];
    expect(Array.isArray(list)).toBe(true);
    expect(shape(list.find((f) => f.fileid === fileid)!)).toEqual({ filedate: 'string', fileext: 'string', fileid: 'string', filename_orig: 'string', filesize: 'number', metadata: 'string', tag: 'string' });
  });

  it('download: attachment named after the stored file; 404 JSON; the /download?uuid= helper redirects (302)', async () => {
    const r = await get(`download/${fileid}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=${fileid}.fits`);
    expect(r.headers.get('content-type')).toBe('image/fits');
    expect(Buffer.from(await r.arrayBuffer()).equals(readFileSync(image))).toBe(true);
    const missing = '0'.repeat(32);
    const r404 = await get(`download/${missing}`);
    expect(r404.status).toBe(404);
    expect(await r404.json()).toEqual({ status: `File with uuid ${missing} not found on the system!` });
    const redirect = await get(`download?uuid=${fileid}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`${P}/download/${fileid}`);
  });

  it('delete: 200 then 404, both JSON {status}', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(2880)]), 'del.fits');
    const id = ((await (await get('upload', { method: 'POST', body: form })).json()) as { uuid: string }).uuid;
    const r = await get(`delete/${id}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'File deleted and removed from DB' });
    const again = await get(`delete/${id}`, { method: 'POST' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ status: `File with uuid ${id} not found on the system!` });
  });
});

describe('golden: apps and jobs (api §3.5–3.10)', () => {
  it('/apps and /app/{app}/describe: the three option shapes; unknown app 400', async () => {
    expect(await (await get('apps')).json()).toEqual({ apps: ['builtin', 'sleeper'] });
    const d = (await (await get('app/builtin/describe')).json()) as Record<string, Record<string, unknown>>;
    const base = { advanced: 'number', category: 'string', description: 'string', enum: 'boolean', mandatory: 'boolean', subcategory: 'string', type: 'string' };
    for (const [name, o] of Object.entries(d)) {
      if (o.type === 'none') expect(shape(o), name).toEqual(base);
      else if (o.enum) expect(shape(o), name).toEqual({ ...base, allowed_values: 'array', default: 'string' });
      else expect(Object.keys(o).sort(), name).toEqual([...Object.keys(base), 'default', 'max', 'min'].sort());
      expect(o.mandatory).toBe(false);
    }
    const u = await get('app/nosuch/describe');
    expect(u.status).toBe(400);
    expect(await u.json()).toEqual({ status: 'Unknown app nosuch!' });
  });

  it('POST /job: 202 with the echo; errors 400 {app, job_id, submit_date, state, status}', async () => {
    const r = await postJson('job', { app: 'sleeper', job_inputs: { delay: '2' }, data_inputs: fileid, tag: 'echo' });
    expect(r.status).toBe(202);
    const b = (await r.json()) as Record<string, unknown>;
    expect(shape(b)).toEqual({ app: 'string', data_inputs: 'string', job_id: 'string', job_inputs: 'object', state: 'string', status: 'string', submit_date: 'string', tag: 'string' });
    expect(b).toMatchObject({ job_inputs: { delay: '2' }, state: 'PENDING', status: 'Job submitted and registered with success', tag: 'echo' });
    await get(`job/${b.job_id as string}/cancel`);
    for (const [body, status] of [
      [{ app: '', job_inputs: { a: 1 }, data_inputs: fileid }, 'No app name found in request!'],
      [{ app: 'builtin', job_inputs: { seedSigma: 5 } }, 'No data inputs field found in request!'],
      [{ app: 'builtin', job_inputs: { seedSigma: 5 }, data_inputs: 'f'.repeat(32) }, 'Cannot find file corresponding to given data input uid!'],
      [{ app: 'nosuch', job_inputs: { a: 1 }, data_inputs: fileid }, 'App nosuch not known or supported'],
    ] as const) {
      const e = await postJson('job', body);
      expect(e.status).toBe(400);
      const eb = (await e.json()) as Record<string, unknown>;
      expect(shape(eb)).toEqual(SUBMIT_ERR);
      expect(eb).toMatchObject({ state: 'ABORTED', status, job_id: '' });
    }
  });

  it('GET /jobs: array of job records with every §3.8 key', async () => {
    const list = (await (await get('jobs')).json()) as Record<string, unknown>[];
    const j = list.find((x) => x.job_id === jobid)!;
    expect(Object.keys(j).sort()).toEqual(['app', 'data_inputs', 'elapsed_time', 'exit_code', 'job_id', 'job_inputs', 'job_top_dir', 'metadata', 'pid', 'scheduler', 'state', 'status', 'submit_date', 'tag'].sort());
    expect(typeof j.exit_code).toBe('number');
  });

  it('status: §3.9 keys (exit_code, not exit_status); 404 keeps the keys', async () => {
    const r = await get(`job/${jobid}/status`);
    const b = (await r.json()) as Record<string, unknown>;
    expect(shape(b)).toEqual(STATUS);
    expect(b).toMatchObject({ state: 'SUCCESS', exit_code: 0, status: 'Process terminated with success' });
    const id = '00000000-0000-0000-0000-000000000000';
    const n = await get(`job/${id}/status`);
    expect(n.status).toBe(404);
    const nb = (await n.json()) as Record<string, unknown>;
    expect(Object.keys(nb).sort()).toEqual(Object.keys(STATUS).sort());
    expect(nb.status).toBe(`Job ${id} not found for user jane_doe_inaf_it!`);
  });

  it('cancel: finished job "nothing to be canceled" 200; unknown 404', async () => {
    const r = await get(`job/${jobid}/cancel`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: `Job ${jobid} already completed with state SUCCESS, nothing to be canceled.` });
    expect((await get('job/00000000-0000-0000-0000-000000000000/cancel')).status).toBe(404);
  });
});

describe('golden: outputs (api §3.11, §7.3, §7.4)', () => {
  const routes = ['output', 'sources', 'output-sources', 'source-components', 'output-components', 'preview', 'output-plot'];

  it('every output route: 202 {job_id, status} while unfinished, 404 {job_id, status} for an unknown job', async () => {
    for (const route of routes) {
      const r = await get(`job/${pendingJob}/${route}`);
      expect(r.status, route).toBe(202);
      const b = (await r.json()) as Record<string, string>;
      expect(shape(b), route).toEqual({ job_id: 'string', status: 'string' });
      expect(b.status).toMatch(new RegExp(`^Job ${pendingJob} not yet completed \\(state=(PENDING|STARTED|RUNNING)\\), output not available$`));
      const n = await get(`job/00000000-0000-0000-0000-000000000000/${route}`);
      expect(n.status, route).toBe(404);
    }
  });

  it('/output-sources: the 33-column island table, tab-separated, as many rows as /sources has islands; our CAESAR reader reads it', async () => {
    const r = await get(`job/${jobid}/output-sources`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=catalog-${fileid}.dat`);
    const text = await r.text();
    const header = text.split('\n').filter((l) => l.startsWith('# ') && l.includes('\t')).at(-1)!;
    expect(header.slice(2).split('\t').filter(Boolean)).toEqual([
      'name', 'iauName', 'npix', 'nComponents', 'nNestedSources', 'x', 'y', 'x_w', 'y_w', 'x_wcs(deg)', 'y_wcs(deg)', 'x_w_wcs(deg)', 'y_w_wcs(deg)',
      'xmin', 'xmax', 'ymin', 'ymax', 'xmin_wcs(deg)', 'xmax_wcs(deg)', 'ymin_wcs(deg)', 'ymax_wcs(deg)', 'nu(GHz)', 'Stot(Jy/beam)', 'Smax(Jy/beam)',
      'S(Jy)', 'Serr(Jy)', 'beamArea', 'bkgSum(Jy/beam)', 'rmsSum(Jy/beam)', 'morphId', 'sourcenessId', 'isGoodSource', 'sourceNestedLevel',
    ]);
    const rows = text.split('\n').filter((l) => l && !l.startsWith('#'));
    const sources = ((await (await get(`job/${jobid}/sources`)).json()) as { sources: { name: string; x0: number; y0: number }[] }).sources;
    expect(rows.length).toBe(sources.length);
    for (const row of rows) expect(row.split('\t').length).toBe(34); // 33 values and the trailing tab
    const path = join(dir, 'islands.dat');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, text);
    const cat = await readCatalogue(path, { format: 'caesar-ascii' });
    expect(cat.sources.map((s) => s.name)).toEqual(sources.map((s) => s.name));
    cat.sources.forEach((s, i) => expect(Math.hypot(s.x - sources[i]!.x0, s.y - sources[i]!.y0)).toBeLessThan(1e-3));
  });

  it('/output-components: 48 columns, one row per /source-components component', async () => {
    const r = await get(`job/${jobid}/output-components`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=catalog_fitcomp-${fileid}.dat`);
    const text = await r.text();
    const header = text.split('\n').filter((l) => l.startsWith('# ') && l.includes('\t')).at(-1)!;
    const names = header.slice(2).split('\t').filter(Boolean);
    expect(names.length).toBe(48);
    expect(names.slice(0, 6)).toEqual(['name', 'npix', 'componentId', 'iauName', 'x', 'y']);
    expect(names.slice(-3)).toEqual(['fitQuality', 'sourcenessId', 'morphId']);
    const comps = ((await (await get(`job/${jobid}/source-components`)).json()) as { components: unknown[] }).components;
    expect(text.split('\n').filter((l) => l && !l.startsWith('#')).length).toBe(comps.length);
  });

  it('/preview: {"status": "", "image": base64 PNG}; /output-plot: the PNG as image/png', async () => {
    const r = await get(`job/${jobid}/preview`);
    expect(r.status).toBe(200);
    const b = (await r.json()) as Record<string, string>;
    expect(shape(b)).toEqual({ image: 'string', status: 'string' });
    expect(b.status).toBe('');
    const png = Buffer.from(b.image!, 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([256, 256]);
    const p = await get(`job/${jobid}/output-plot`);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await p.arrayBuffer()).equals(png)).toBe(true);
  });

  it('/output: a gzip tarball with the job_<id>/ top folder, sent as application/x-tar', async () => {
    const r = await get(`job/${jobid}/output`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-tar');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=job_${jobid}.tar.gz`);
    expect(Buffer.from(await r.arrayBuffer()).subarray(0, 2).toString('hex')).toBe('1f8b');
  });
});

describe('golden: accounting, auth, unknown routes (api §1.1, §2, §3.12, §4)', () => {
  it('/accounting: HTTP-date timestamp, KiB sizes and counts consistent with /jobs; /appstats adds nusers, totsize, average runtime', async () => {
    const a = (await (await get('accounting')).json()) as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(['timestamp', ...USAGE].sort());
    expect(a.timestamp).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    for (const k of USAGE) expect(typeof a[k], k).toBe('number');
    const jobs = (await (await get('jobs')).json()) as { state: string }[];
    expect(a.njobs).toBe(jobs.length);
    expect(a.njobs_completed).toBe(jobs.filter((j) => j.state === 'SUCCESS').length);
    expect(a.datasize as number).toBeGreaterThanOrEqual(Math.ceil(readFileSync(image).length / 1024));
    const s = (await (await get('appstats')).json()) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual(['timestamp', 'nusers', 'totsize', 'avg_completed_job_runtime', ...USAGE].sort());
    expect(s.nusers).toBe(1);
    expect(s.totsize).toBe((s.datasize as number) + (s.jobsize as number));
  });

  it('every API route without a token: 401, WWW-Authenticate: Bearer, JSON text in text/html', async () => {
    const paths = ['upload', 'fileids', `download/${fileid}`, 'download', `delete/${fileid}`, 'apps', 'app/builtin/describe', 'job', 'jobs', `job/${jobid}/status`, `job/${jobid}/cancel`,
      ...['output', 'sources', 'output-sources', 'source-components', 'output-components', 'preview', 'output-plot'].map((r) => `job/${jobid}/${r}`), 'accounting', 'appstats'];
    for (const p of paths) {
      const r = await get(p, {}, null);
      expect(r.status, p).toBe(401);
      expect(r.headers.get('www-authenticate'), p).toBe('Bearer');
      expect(r.headers.get('content-type'), p).toMatch(/^text\/html/);
      expect(JSON.parse(await r.text()), p).toEqual({ error: 'invalid_token', error_description: 'Token required but invalid' });
    }
    // the query-parameter transport works too
    expect((await get(`apps?access_token=${TOKEN}`, {}, null)).status).toBe(200);
  });

  it('unknown path 404 HTML, wrong method 405 HTML; the root test page and /login, /logout', async () => {
    const n = await get('nosuch');
    expect(n.status).toBe(404);
    expect(n.headers.get('content-type')).toMatch(/^text\/html/);
    const m = await get('apps', { method: 'POST' });
    expect(m.status).toBe(405);
    expect(m.headers.get('content-type')).toMatch(/^text\/html/);
    const root = await fetch(`${srv.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain(`action="${P}/upload"`);
    expect((await fetch(`${srv.url}/logout`, { redirect: 'manual' })).status).toBe(302);
  });
});
