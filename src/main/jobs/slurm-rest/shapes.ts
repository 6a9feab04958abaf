import { AppError } from '../../../shared/contract/errors';
import { decodeWaitStatus, isKnownSlurmState, mapSlurmState, parseTaskIds } from '../slurmState';
import type { JobSpec, JobStatus, TaskStatus } from '../types';

/**
 * Request and response shapes of slurmrestd's /slurm/v0.0.3x API. v0.0.36–v0.0.38 (Slurm 22.05) are verified
 * against a real server; v0.0.39–v0.0.41 (Slurm 23.02–24.05) differ where noted and are parsed leniently:
 * job_state becomes an array of base state + flags, exit_code an object, numbers `{set, infinite, number}`,
 * environment an array of `K=V`.
 */

/** Preference order: the verified versions first, then the newer shapes. */
export const SUPPORTED_VERSIONS = ['v0.0.38', 'v0.0.37', 'v0.0.36', 'v0.0.41', 'v0.0.40', 'v0.0.39'] as const;
export type SlurmApiVersion = (typeof SUPPORTED_VERSIONS)[number];

export function minorOf(version: string): number {
  const m = /^v0\.0\.(\d+)$/.exec(version);
  if (!m) throw new RangeError(`not a slurmrestd API version: ${version}`);
  return Number(m[1]);
}

export interface SlurmRestError {
  /** error_number (≤ v0.0.38 queries), error_code (submit), either in newer versions. */
  number?: number;
  error: string;
  description?: string;
  source?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A plain number or v0.0.39+'s `{set, infinite, number}` (unset / infinite → undefined). */
export function numberField(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (isObject(v) && v.set !== false && v.infinite !== true && typeof v.number === 'number') return v.number;
  return undefined;
}

const noVal = (n: number): Json => ({ set: true, infinite: false, number: n });

export function readErrors(body: unknown): SlurmRestError[] {
  if (!isObject(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(isObject).map((e) => {
    const n = typeof e.error_number === 'number' ? e.error_number : typeof e.error_code === 'number' ? e.error_code : undefined;
    return {
      ...(n !== undefined ? { number: n } : {}),
      error: typeof e.error === 'string' ? e.error : JSON.stringify(e),
      ...(typeof e.description === 'string' && e.description !== '' ? { description: e.description } : {}),
      ...(typeof e.source === 'string' ? { source: e.source } : {}),
    };
  });
}

export function describeErrors(errors: readonly SlurmRestError[]): string {
  return errors.map((e) => [e.description, e.error].filter(Boolean).join(': ') + (e.number !== undefined ? ` (${e.number})` : '')).join('; ');
}

/**
 * Slurm 22.05 reports a bad, expired or other-user token not as 401 but as HTTP 500 with errors that say nothing
 * about auth: slurm_load_ctl_conf / "Unspecified error" (-1) on queries, "Zero Bytes were transmitted" (5005) on
 * submit. Treat those as "maybe auth" so the client renews the token and retries once.
 */
export function looksLikeAuthFailure(errors: readonly SlurmRestError[]): boolean {
  return errors.some((e) => e.number === -1 || e.number === 5005 || e.source === 'slurm_load_ctl_conf');
}

export const INVALID_JOB_ID = 2017;

/** The JSON body of POST /slurm/{version}/job/submit. */
export function buildSubmitBody(spec: JobSpec, script: string, logs: { stdout: string; stderr: string }, version: string): Json {
  const newer = minorOf(version) >= 39;
  // Without PATH the job gets slurmrestd's environment-less default and even `#!/bin/bash` tools are not found.
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', ...spec.env };
  const r = spec.resources ?? {};
  const job: Json = {
    name: spec.name,
    current_working_directory: spec.workdir, // without it the job runs in slurmrestd's own cwd
    standard_output: logs.stdout,
    standard_error: logs.stderr,
    environment: newer ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : env,
    tasks: 1,
  };
  if (r.partition !== undefined) job.partition = r.partition;
  if (r.cpus !== undefined) job.cpus_per_task = r.cpus;
  if (r.memoryMb !== undefined) job.memory_per_node = newer ? noVal(r.memoryMb) : r.memoryMb;
  if (r.timeMinutes !== undefined) job.time_limit = newer ? noVal(r.timeMinutes) : r.timeMinutes;
  if (spec.arrayTasks !== undefined) job.array = `0-${spec.arrayTasks - 1}`;
  if (spec.dependency !== undefined) job.dependency = spec.dependency;
  if (minorOf(version) >= 41) {
    job.script = script;
    return { job };
  }
  return { script, job };
}

export function readSubmittedJobId(body: unknown): string {
  const id = isObject(body) ? numberField(body.job_id) : undefined;
  if (id === undefined) throw new AppError('jobs.badResponse', 'slurmrestd answered the submission without a job_id', { body: snippet(body) });
  return String(id);
}

/** Status of a job from GET /slurm/{version}/job/{id} (`jobs[0]`). */
export interface RestJobInfo extends JobStatus {
  jobId: string;
  name?: string;
  stdout?: string;
  stderr?: string;
  workdir?: string;
}

function jobsOf(body: unknown): Json[] | undefined {
  return isObject(body) && Array.isArray(body.jobs) ? body.jobs.filter(isObject) : undefined;
}

export function readJob(body: unknown, jobId: string): RestJobInfo {
  const jobs = jobsOf(body);
  const job = jobs?.find((j) => String(numberField(j.job_id)) === jobId) ?? jobs?.[0];
  if (!job) throw new AppError('jobs.badResponse', `slurmrestd answered no job for id ${jobId}`, { body: snippet(body) });
  return readJobRecord(job, jobId);
}

/** Every task record of job array `arrayId` from GET job/{arrayId} (pending tasks may share one record). */
export function readArrayTasks(body: unknown, arrayId: string): TaskStatus[] {
  const jobs = (jobsOf(body) ?? []).filter((j) => String(numberField(j.array_job_id)) === arrayId);
  if (jobs.length === 0) throw new AppError('jobs.badResponse', `slurmrestd answered no task of job array ${arrayId}`, { body: snippet(body) });
  return jobs.map((j) => {
    const { jobId: _i, name: _n, stdout: _o, stderr: _e, workdir: _w, ...st } = readJobRecord(j, String(numberField(j.job_id)));
    const pending = typeof j.array_task_string === 'string' && j.array_task_string !== '' ? parseTaskIds(j.array_task_string) : [];
    const one = numberField(j.array_task_id);
    return { ...st, taskIds: pending.length > 0 ? pending : one !== undefined ? [one] : [] };
  });
}

function readJobRecord(job: Json, jobId: string): RestJobInfo {
  const rawState = job.job_state;
  const states = typeof rawState === 'string' ? [rawState] : Array.isArray(rawState) ? rawState.filter((s): s is string => typeof s === 'string') : [];
  if (states.length === 0) throw new AppError('jobs.badResponse', `slurmrestd gave job ${jobId} no job_state`, { body: snippet(job) });
  const native = states.join(',');
  const status: RestJobInfo = { jobId, state: mapSlurmState(states), native };
  Object.assign(status, readExit(job.exit_code));
  const reason = typeof job.state_reason === 'string' && job.state_reason !== 'None' ? job.state_reason : undefined;
  const description = typeof job.state_description === 'string' && job.state_description !== '' ? job.state_description : undefined;
  const why = [reason, description, isKnownSlurmState(states) ? undefined : `unknown Slurm state ${native}`].filter(Boolean).join('; ');
  if (why !== '') status.reason = why;
  for (const [key, field] of [['submitTime', 'submit_time'], ['startTime', 'start_time'], ['endTime', 'end_time']] as const) {
    const t = numberField(job[field]);
    if (t !== undefined && t > 0) status[key] = t;
  }
  if (typeof job.name === 'string') status.name = job.name;
  if (typeof job.standard_output === 'string' && job.standard_output !== '') status.stdout = job.standard_output;
  if (typeof job.standard_error === 'string' && job.standard_error !== '') status.stderr = job.standard_error;
  if (typeof job.current_working_directory === 'string') status.workdir = job.current_working_directory;
  return status;
}

/** ≤ v0.0.38: raw wait status; ≥ v0.0.39: {status, return_code, signal: {id|signal_id, name}}. */
function readExit(v: unknown): { exitCode?: number; signal?: number } {
  if (typeof v === 'number') return decodeWaitStatus(v);
  if (!isObject(v)) return {};
  const out: { exitCode?: number; signal?: number } = {};
  const rc = numberField(v.return_code);
  if (rc !== undefined) out.exitCode = rc;
  const sig = isObject(v.signal) ? numberField(v.signal.id) ?? numberField(v.signal.signal_id) : undefined;
  if (sig !== undefined && sig > 0) out.signal = sig;
  return out;
}

/** Versions an OpenAPI document (GET /openapi/v3) offers, from its /slurm/{version}/ paths. */
export function offeredVersions(openapi: unknown): string[] {
  if (!isObject(openapi) || !isObject(openapi.paths)) return [];
  const found = new Set<string>();
  for (const p of Object.keys(openapi.paths)) {
    const m = /^\/slurm\/(v0\.0\.\d+)\//.exec(p);
    if (m?.[1]) found.add(m[1]);
  }
  return [...found];
}

export function snippet(body: unknown): string {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
