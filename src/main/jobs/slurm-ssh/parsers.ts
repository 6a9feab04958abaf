import { AppError } from '../../../shared/contract/errors';
import { isKnownSlurmState, mapSlurmState, parseSlurmExitCode, parseTaskIds } from '../slurmState';
import type { JobStatus, TaskStatus } from '../types';

/**
 * Parsers for Slurm command output as seen over SSH (formats verified on Slurm 22.05.8; tolerant of the warning
 * lines site wrappers and sbatch itself print, of CRLF, and of values with spaces in scontrol output).
 */

/** sbatch: `Submitted batch job 123`, or with --parsable `123` / `123;cluster`. */
export function parseSbatch(stdout: string): string {
  const human = /Submitted batch job (\d+)/.exec(stdout);
  if (human?.[1]) return human[1];
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d+)(?:;[\w.-]+)?$/.exec(lines[i]!);
    if (m?.[1]) return m[1];
  }
  throw new AppError('jobs.badResponse', `sbatch printed no job id: ${JSON.stringify(stdout.slice(0, 300))}`);
}

/** Split `-P`/`--parsable2` output or a `|`-separated squeue format into records keyed by `fields`. */
export function parseDelimited(stdout: string, fields: readonly string[], sep = '|'): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') continue;
    const cells = line.split(sep);
    if (cells.length !== fields.length) continue; // warnings, headers of another shape
    if (cells[0] === fields[0]) continue; // a header line (sacct without -n)
    rows.push(Object.fromEntries(fields.map((f, i) => [f, cells[i]!.trim()])));
  }
  return rows;
}

/** `squeue -h -t all -o` format for parseSqueue: id, state, reason, name last (names may contain `|`). */
export const SQUEUE_FORMAT = '%i|%T|%r|%j';

export interface SqueueRow {
  jobId: string;
  native: string;
  state: JobStatus['state'];
  reason?: string;
  name: string;
}

/** Rows of `squeue -h -t all -o '%i|%T|%r|%j'` (warning lines and malformed rows skipped). */
export function parseSqueue(stdout: string): SqueueRow[] {
  const rows: SqueueRow[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const cells = raw.trim().split('|');
    if (cells.length < 4 || !/^\d+(_\d+|_\[[^\]]*\])?$/.test(cells[0]!)) continue;
    const [jobId, native, reason] = cells as [string, string, string];
    rows.push({
      jobId,
      native,
      state: mapSlurmState(native),
      ...(reason !== 'None' && reason !== '' ? { reason } : {}),
      name: cells.slice(3).join('|'),
    });
  }
  return rows;
}

/**
 * `scontrol show job` (multi-line or -o one-line) → one record per job. Values may contain spaces
 * (`JobName=long name`): a token that does not start a `Key=` continues the previous value.
 */
export function parseScontrolShowJob(stdout: string): Record<string, string>[] {
  const jobs: Record<string, string>[] = [];
  for (const block of stdout.split(/\r?\n\s*\r?\n/)) {
    const rec: Record<string, string> = {};
    let last: string | undefined;
    for (const token of block.split(/\s+/)) {
      if (token === '') continue;
      const m = /^([A-Za-z][\w:/.]*)=(.*)$/.exec(token);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        last = m[1];
        rec[last] = m[2];
      } else if (last !== undefined) {
        rec[last] = `${rec[last]} ${token}`;
      }
    }
    if (rec.JobId !== undefined) jobs.push(rec);
  }
  return jobs;
}

/** Slurm's local timestamps `2026-11-24T21:32:07` → Unix seconds ('Unknown', 'None', 'N/A' → undefined). */
export function parseSlurmTime(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return undefined;
  const t = Date.parse(text); // no zone: the cluster's local time, read as ours (same machine in tests)
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

function statusFrom(native: string, exit: string | undefined, reason: string | undefined, start?: string, end?: string, submit?: string): JobStatus {
  const s: JobStatus = { state: mapSlurmState(native), native };
  const decoded = exit !== undefined ? parseSlurmExitCode(exit) : undefined;
  if (decoded) Object.assign(s, decoded);
  const why = [reason && reason !== 'None' && reason !== '(null)' ? reason : undefined, isKnownSlurmState(native) ? undefined : `unknown Slurm state ${native}`]
    .filter(Boolean)
    .join('; ');
  if (why !== '') s.reason = why;
  const times = { submitTime: parseSlurmTime(submit), startTime: parseSlurmTime(start), endTime: parseSlurmTime(end) };
  for (const [k, v] of Object.entries(times)) if (v !== undefined) s[k as 'startTime'] = v;
  return s;
}

/** Status from `scontrol show job ID`. */
export function statusFromScontrol(rec: Record<string, string>): JobStatus {
  const native = rec.JobState ?? '';
  if (native === '') throw new AppError('jobs.badResponse', `scontrol gave job ${rec.JobId ?? '?'} no JobState`);
  return statusFrom(native, rec.ExitCode, rec.Reason, rec.StartTime, rec.EndTime, rec.SubmitTime);
}

export const SACCT_FIELDS = ['JobID', 'State', 'ExitCode', 'Reason', 'Submit', 'Start', 'End'] as const;

/**
 * Status from `sacct -X -n -P -o JobID,State,ExitCode,Reason,Submit,Start,End -j ID` (or `sacct -c`, whose jobcomp
 * file may leave State empty: then we cannot tell and answer undefined).
 */
export function statusFromSacct(stdout: string, jobId: string): JobStatus | undefined {
  const rows = parseDelimited(stdout, SACCT_FIELDS).filter((r) => r.JobID === jobId);
  const row = rows[rows.length - 1]; // a requeued job appears more than once: the last is current
  if (!row || row.State === '') return undefined;
  return statusFrom(row.State!, row.ExitCode, row.Reason, row.Start, row.End, row.Submit);
}

/** Task records of job array `arrayId` from `scontrol show job` (pending tasks share one record: `ArrayTaskId=2-3`). */
export function tasksFromScontrol(recs: readonly Record<string, string>[], arrayId: string): TaskStatus[] {
  return recs.filter((r) => r.ArrayJobId === arrayId && r.ArrayTaskId !== undefined)
    .map((r) => ({ ...statusFromScontrol(r), taskIds: parseTaskIds(r.ArrayTaskId!) }));
}

/** Task rows `<arrayId>_<task>` (or `<arrayId>_[2-3]` while pending) of sacct -X -P output. */
export function tasksFromSacct(stdout: string, arrayId: string): TaskStatus[] {
  const latest = new Map<string, Record<string, string>>();
  for (const row of parseDelimited(stdout, SACCT_FIELDS)) {
    if (row.JobID?.startsWith(`${arrayId}_`) && row.State !== '') latest.set(row.JobID, row); // requeued: the last row is current
  }
  return [...latest].map(([jobId, row]) => ({
    ...statusFrom(row.State!, row.ExitCode, row.Reason, row.Start, row.End, row.Submit),
    taskIds: parseTaskIds(jobId.slice(arrayId.length + 1).replace(/^\[|\]$/g, '')),
  }));
}

/** stderr of scontrol / squeue / scancel / sacct for an id Slurm does not know. */
export function isInvalidJobId(stderr: string): boolean {
  return /Invalid job id specified/i.test(stderr);
}
