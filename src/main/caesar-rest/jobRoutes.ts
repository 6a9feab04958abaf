/** Apps, describe, submit, list, status, cancel and outputs (api §3.5–3.11), in the caller's namespace. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { isTerminal } from '../jobs/types';
import { componentCatalogueJson, islandCatalogueJson } from './caesarJson';
import type { RouteCall, ServiceContext } from './context';
import { castJobInputs, describeApp, JobInputError } from './describe';
import { jobListEntry, statusBody } from './jobView';
import { jobOf } from './submitQueue';
import { validateOptions } from '../apps/optionsSchema';
import { localIsoNow, readBody, sendJson } from './wire';

const run = promisify(execFile);
const building = new Map<string, Promise<void>>();
const SUBMIT_BODY_LIMIT = 1024 * 1024;

export function apps(ctx: ServiceContext, call: RouteCall): void {
  sendJson(call.res, 200, { apps: ctx.apps.ids() });
}

export function describe(ctx: ServiceContext, call: RouteCall, name: string): void {
  if (!ctx.apps.ids().includes(name)) return sendJson(call.res, 400, { status: `Unknown app ${name}!` });
  sendJson(call.res, 200, describeApp(ctx.apps.get(name)));
}

export async function submit(ctx: ServiceContext, call: RouteCall): Promise<void> {
  let app = '';
  const fail = (status: number, message: string, state = 'ABORTED') => sendJson(call.res, status, { app, job_id: '', submit_date: '', state, status: message });
  const raw = await readBody(call.req, SUBMIT_BODY_LIMIT).catch(() => undefined);
  let body: Record<string, unknown>;
  try {
    if (!raw || !/^application\/json\b/i.test(call.req.headers['content-type'] ?? '')) throw new Error('not JSON');
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return fail(400, 'Invalid request data!');
  }
  // upstream answers a MISSING app/job_inputs key with a 500 HTML page (unhandled KeyError); we say 400 with its message
  if (typeof body.app !== 'string' || body.app === '') return fail(400, 'No app name found in request!');
  app = body.app;
  const jobInputs = body.job_inputs;
  if (!jobInputs || typeof jobInputs !== 'object' || Array.isArray(jobInputs) || Object.keys(jobInputs).length === 0) return fail(400, 'No job inputs field found in request!');
  if (typeof body.data_inputs !== 'string' || body.data_inputs === '') return fail(400, 'No data inputs field found in request!');
  const dataInputs = body.data_inputs;
  if (!ctx.apps.ids().includes(app)) return fail(400, `App ${app} not known or supported`);
  const file = await ctx.spaces.file(call.user, dataInputs);
  if (!file) return fail(400, 'Cannot find file corresponding to given data input uid!');
  const tag = typeof body.tag === 'string' ? body.tag : '';
  let options: Record<string, unknown>;
  try {
    options = castJobInputs(ctx.apps.get(app), jobInputs as Record<string, unknown>);
  } catch (err) {
    if (err instanceof JobInputError) return fail(400, err.message);
    throw err;
  }
  try {
    // our validator before the 202 (ranges, types): a bad value is the client's 400, not a later ABORTED
    const a = ctx.apps.get(app);
    validateOptions(a.id, a.optionsSchema, options);
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation') return fail(400, err.message);
    throw err;
  }
  const jobId = randomUUID();
  const submitDate = localIsoNow();
  try {
    await ctx.spaces.addJob(call.user, {
      job_id: jobId, submit_date: submitDate, app, job_inputs: jobInputs as Record<string, unknown>, data_inputs: dataInputs, tag, queued: { app, options, input: file.path },
    });
  } catch {
    return fail(500, 'Job failed to be submitted!');
  }
  ctx.queue.enqueue(call.user, jobId);
  sendJson(call.res, 202, {
    job_id: jobId, submit_date: submitDate, app, job_inputs: jobInputs, data_inputs: dataInputs, tag, state: 'PENDING', status: 'Job submitted and registered with success',
  });
}

export async function list(ctx: ServiceContext, call: RouteCall): Promise<void> {
  const owned = await ctx.spaces.listJobs(call.user);
  sendJson(call.res, 200, owned.map((o) => jobListEntry(jobOf(ctx.jobs, o), o)));
}

const jobNotFound = (id: string, user: string) => `Job ${id} not found for user ${user}!`;

async function owned(ctx: ServiceContext, call: RouteCall, id: string) {
  const own = await ctx.spaces.job(call.user, id);
  const job = own ? jobOf(ctx.jobs, own) : undefined;
  return own && job ? { own, job } : undefined;
}

export async function status(ctx: ServiceContext, call: RouteCall, id: string): Promise<void> {
  const o = await owned(ctx, call, id);
  if (!o) return sendJson(call.res, 404, { job_id: '', pid: '', state: '', status: jobNotFound(id, call.user), exit_code: '', elapsed_time: '', tag: '' });
  sendJson(call.res, 200, statusBody(o.job, o.own));
}

export async function cancel(ctx: ServiceContext, call: RouteCall, id: string): Promise<void> {
  const o = await owned(ctx, call, id);
  if (!o) return sendJson(call.res, 404, { status: jobNotFound(id, call.user) });
  if (['SUCCESS', 'FAILURE', 'TIMED-OUT'].includes(o.job.state)) {
    return sendJson(call.res, 200, { status: `Job ${id} already completed with state ${o.job.state}, nothing to be canceled.` });
  }
  try {
    // not submitted yet: mark it, and the queue skips it (or cancels it right after, if it is being submitted now)
    const rec = await ctx.spaces.mutateJob(call.user, id, (r) => (r.service_id || !r.queued ? undefined : { ...r, canceled: true }));
    if (rec && (rec.service_id || !rec.queued)) await ctx.jobs.cancel(rec.service_id ?? id);
  } catch (err) {
    return sendJson(call.res, 500, { status: `Failed to cancel job ${id} (err=${err instanceof Error ? err.message : String(err)})!` });
  }
  sendJson(call.res, 200, { status: 'Job canceled and status updated in DB' });
}

const UNFINISHED = ['PENDING', 'STARTED', 'RUNNING', 'ABORTED'];

/** The common gate of every output route: 404 unknown, 202 unfinished; answers the job when outputs may exist. */
export async function finishedJob(ctx: ServiceContext, call: RouteCall, id: string) {
  const o = await owned(ctx, call, id);
  if (!o) {
    sendJson(call.res, 404, { job_id: id, status: jobNotFound(id, call.user) });
    return undefined;
  }
  if (UNFINISHED.includes(o.job.state) || !isTerminal(o.job.state)) {
    sendJson(call.res, 202, { job_id: id, status: `Job ${id} not yet completed (state=${o.job.state}), output not available` });
    return undefined;
  }
  return o.job;
}

export const missing = (call: RouteCall, id: string) => sendJson(call.res, 500, { job_id: id, status: `Cannot find desired output for job ${id}!` });

/** `/output`: the job directory as `job_<id>.tar.gz` (top folder `job_<id>/`), built once with GNU tar. */
export async function output(ctx: ServiceContext, call: RouteCall, id: string): Promise<void> {
  const job = await finishedJob(ctx, call, id);
  if (!job) return;
  if (!job.outputDir || !existsSync(job.outputDir)) return missing(call, id);
  const dir = join(ctx.jobDir, 'tarballs');
  const path = join(dir, `job_${id}.tar.gz`);
  if (!existsSync(path)) {
    // concurrent requests for one job share one build (a shared temp name would interleave two tar runs)
    let build = building.get(path);
    if (!build) {
      build = (async () => {
        await mkdir(dir, { recursive: true });
        const tmp = `${path}.${randomUUID()}.tmp`;
        await run('tar', ['-czf', tmp, '-C', job.outputDir!, '--transform', `s,^\\.,job_${id},`, '.']);
        await rename(tmp, path);
      })().finally(() => building.delete(path));
      building.set(path, build);
    }
    await build;
  }
  call.res.writeHead(200, {
    'Content-Type': 'application/x-tar', 'Content-Length': (await stat(path)).size, 'Content-Disposition': `attachment; filename=job_${id}.tar.gz`,
  });
  createReadStream(path).pipe(call.res);
}

/** `/sources` and `/source-components`: our imported catalogue in CAESAR's JSON formats. */
export async function catalogue(ctx: ServiceContext, call: RouteCall, id: string, kind: 'sources' | 'components'): Promise<void> {
  const job = await finishedJob(ctx, call, id);
  if (!job) return;
  if (job.catalogueId === undefined || !ctx.store.catalogues.get(job.catalogueId)) return missing(call, id);
  const cat = ctx.store.catalogues.load(job.catalogueId);
  if (cat.sources.length === 0) return missing(call, id);
  if (kind === 'sources') return sendJson(call.res, 200, islandCatalogueJson(cat));
  const doc = componentCatalogueJson(cat);
  if (doc.components.length === 0) return missing(call, id);
  sendJson(call.res, 200, doc);
}
