/** Our job records in caesar-rest's shapes (api §3.8, §3.9, §6). */
import type { JobRecord } from '../jobs/jobsRepo';
import type { JobOwnership } from './namespaces';

const STATUS_TEXT: Record<string, string> = {
  PENDING: 'Job submitted',
  STARTED: 'Task started in background',
  RUNNING: 'Task running in background',
  SUCCESS: 'Process terminated with success',
  CANCELED: 'Job canceled by user',
  'TIMED-OUT': 'Task exceeded time limits',
};

export function statusText(job: JobRecord): string {
  if (job.state === 'FAILURE') {
    return job.exitCode !== undefined && job.exitCode !== 0 ? `Process terminated with return code ${job.exitCode}` : `Job failed (err=${job.messages.at(-1) ?? 'unknown'})`;
  }
  if (job.state === 'ABORTED') return `Job failed to be submitted!${job.messages.length ? ` (err=${job.messages.at(-1)})` : ''}`;
  return STATUS_TEXT[job.state] ?? `Job currently in unknown state (raw state=${job.state})`;
}

/** `"0"` until the job started (as caesar-rest at submission), then seconds as a number. */
export function elapsedTime(job: JobRecord, now = Date.now()): string | number {
  if (!job.startedAt) return '0';
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
}

export function statusBody(job: JobRecord, own: JobOwnership) {
  return {
    job_id: own.job_id, pid: job.nativeId ?? '', state: job.state, status: statusText(job),
    exit_code: job.exitCode ?? -1, elapsed_time: elapsedTime(job), tag: own.tag,
  };
}

export function jobListEntry(job: JobRecord | undefined, own: JobOwnership) {
  // our bookkeeping fields stay on the server
  const { service_id: _s, queued: _q, submit_error: _e, canceled: _c, ...pub } = own;
  const base = { ...pub, scheduler: job?.backend ?? '', job_top_dir: '', metadata: '' };
  if (!job) return { ...base, state: 'UNKNOWN', status: 'Job record missing', pid: '', elapsed_time: '0', exit_code: -1 };
  const s = statusBody(job, own);
  return { ...base, state: s.state, status: s.status, pid: s.pid, elapsed_time: s.elapsed_time, exit_code: s.exit_code };
}
