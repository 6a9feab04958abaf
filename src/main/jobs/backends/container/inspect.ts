import { z } from 'zod';
import { AppError } from '../../../../shared/contract/errors';
import type { JobStatus } from '../../types';
import { LABEL } from './runArgs';

/**
 * The part of `podman|docker container inspect` we use. Both engines print an array of objects with the same
 * State fields; anything else may be missing, null or extra (podman 4 vs docker 24 differ a lot outside State).
 */
const inspectSchema = z.array(
  z.object({
    Id: z.string(),
    Name: z.string().optional(),
    Created: z.string().optional(),
    State: z.object({
      Status: z.string(),
      OOMKilled: z.boolean().optional(),
      ExitCode: z.number().int().optional(),
      Error: z.string().nullish(),
      StartedAt: z.string().nullish(),
      FinishedAt: z.string().nullish(),
    }),
    Config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
  }),
);

export interface ContainerInfo {
  id: string;
  name: string;
  /** Engine state: created, running, paused, restarting, removing, exited, stopped, dead, ... */
  status: string;
  exitCode: number | undefined;
  oomKilled: boolean;
  /** The runtime's own failure text (e.g. the command does not exist), '' when none. */
  error: string;
  labels: Record<string, string>;
  /** Unix seconds; undefined for the engines' zero time (`0001-01-01T00:00:00Z`). */
  createdAt: number | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
}

/** ISO time → Unix seconds; Go's zero time and unparsable text → undefined. */
export function unixSeconds(iso: string | null | undefined): number | undefined {
  if (!iso || iso.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** Parse `container inspect` output for one container. Throws `jobs.badResponse` naming what was wrong. */
export function parseInspect(stdout: string, ref: string): ContainerInfo {
  const c = parseInspectAll(stdout, ref)[0];
  if (!c) throw new AppError('notFound', `The container engine no longer knows container ${ref}`, { jobId: ref });
  return c;
}

/** Parse `container inspect` output for any number of containers. */
export function parseInspectAll(stdout: string, ref: string): ContainerInfo[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (err) {
    throw new AppError('jobs.badResponse', `container inspect ${ref} printed no JSON: ${(err as Error).message}; output: ${stdout.slice(0, 200)}`);
  }
  const parsed = inspectSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('jobs.badResponse', `container inspect ${ref}: unexpected JSON at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  return parsed.data.map((c) => ({
    id: c.Id,
    name: (c.Name ?? '').replace(/^\//, ''), // docker prefixes names with '/'
    status: c.State.Status.toLowerCase(),
    exitCode: c.State.ExitCode,
    oomKilled: c.State.OOMKilled === true,
    error: c.State.Error ?? '',
    labels: c.Config?.Labels ?? {},
    createdAt: unixSeconds(c.Created),
    startedAt: unixSeconds(c.State.StartedAt),
    finishedAt: unixSeconds(c.State.FinishedAt),
  }));
}

/** Why the backend ended a job itself (recorded in the job directory, since a container's labels cannot change). */
export type EndReason = 'canceled' | 'timed-out';

const SIGNALS: Record<number, string> = { 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/** The service's state for a container; `ended` says whether the backend itself canceled or timed it out. */
export function statusFromContainer(c: ContainerInfo, ended?: EndReason): JobStatus {
  const times = {
    ...(c.createdAt !== undefined ? { submitTime: c.createdAt } : {}),
    ...(c.startedAt !== undefined ? { startTime: c.startedAt } : {}),
  };
  switch (c.status) {
    case 'created':
    case 'configured':
    case 'initialized':
      return { state: 'PENDING', native: c.status, ...times };
    case 'running':
    case 'paused':
    case 'restarting':
      return { state: 'RUNNING', native: c.status, ...times };
  }
  // exited / stopped / dead / removing: final
  const end = c.finishedAt !== undefined ? { endTime: c.finishedAt } : {};
  const exit = c.exitCode !== undefined ? { exitCode: c.exitCode } : {};
  const signal = c.exitCode !== undefined && c.exitCode > 128 && c.exitCode < 160 ? c.exitCode - 128 : undefined;
  const base = { native: c.status, ...times, ...end, ...exit, ...(signal !== undefined ? { signal } : {}) };
  if (ended === 'canceled') return { state: 'CANCELED', ...base, reason: 'Canceled by the user' };
  if (ended === 'timed-out') {
    return { state: 'TIMED-OUT', ...base, reason: `Stopped after its time limit of ${c.labels[LABEL.timeLimitS] ?? '?'} s` };
  }
  const memory = c.labels[LABEL.memoryMb];
  if (c.oomKilled) {
    return { state: 'FAILURE', ...base, reason: `Out of memory: killed at its limit${memory ? ` of ${memory} MiB` : ''}` };
  }
  if (c.error !== '') return { state: 'FAILURE', ...base, reason: c.error };
  if (c.exitCode === 0) return { state: 'SUCCESS', ...base };
  if (c.exitCode === undefined) return { state: 'FAILURE', ...base, reason: `Container ${c.status} without an exit code` };
  let reason = `Exited with code ${c.exitCode}`;
  if (signal !== undefined) {
    reason = `Killed by ${SIGNALS[signal] ?? `signal ${signal}`} (exit ${c.exitCode})`;
    // cgroup v1/v2 hybrid hosts do not report OOMKilled, but the kernel's OOM killer sends SIGKILL
    if (signal === 9 && memory) reason += `; it may have exceeded its memory limit of ${memory} MiB`;
  }
  return { state: 'FAILURE', ...base, reason };
}
