import type { JobInfo, JobState } from '../../../shared/contract/jobs';

/** State colours: queued grey-blue, running amber, done green, failed red, stopped by the user/clock muted. */
export const STATE_COLOURS: Record<JobState, string> = {
  PENDING: '#90a4ae',
  STARTED: '#ffd600',
  RUNNING: '#ffab00',
  SUCCESS: '#4caf50',
  FAILURE: '#f44336',
  ABORTED: '#f44336',
  CANCELED: '#9e9e9e',
  'TIMED-OUT': '#ff7043',
};

/** Wall-clock time since start (or submission while queued) to the end or now: "42 s", "3 min 5 s", "2 h 07 min". */
export function elapsedText(job: JobInfo, nowMs: number): string {
  const from = Date.parse(job.startedAt ?? job.submittedAt);
  const to = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  const s = Math.max(0, Math.round((to - from) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
