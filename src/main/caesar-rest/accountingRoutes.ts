/**
 * `/accounting` (the caller's usage) and `/appstats` (service-wide), api §3.12, computed on request instead of
 * by a periodic accounter (so never the upstream "not yet computed" 404). Sizes in KiB as `du -B K` reports them
 * (each file rounded up to whole KiB); runtimes in seconds.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobRecord } from '../jobs/jobsRepo';
import type { RouteCall, ServiceContext } from './context';
import { elapsedTime } from './jobView';
import { jobOf } from './submitQueue';
import { sendJson, type Usage } from './wire';

async function sizeKiB(path: string | undefined): Promise<number> {
  if (!path || !existsSync(path)) return 0;
  const s = await stat(path);
  if (!s.isDirectory()) return Math.ceil(s.size / 1024);
  let total = 4; // the directory entry itself, as du counts it
  for (const e of await readdir(path)) total += await sizeKiB(join(path, e));
  return total;
}

async function usage(ctx: ServiceContext, user: string): Promise<Usage> {
  const owned = await ctx.spaces.listJobs(user);
  const jobs = owned.map((o) => jobOf(ctx.jobs, o)).filter((j): j is JobRecord => j !== undefined);
  const count = (...states: string[]) => jobs.filter((j) => states.includes(j.state)).length;
  const seconds = (j: JobRecord) => {
    const e = elapsedTime(j);
    return typeof e === 'number' ? e : 0;
  };
  let jobsize = 0;
  for (const j of jobs) jobsize += await sizeKiB(j.outputDir);
  const completed = jobs.filter((j) => j.state === 'SUCCESS');
  return {
    datasize: await sizeKiB(ctx.spaces.dataDirOf(user)),
    jobsize,
    njobs: jobs.length,
    njobs_completed: completed.length,
    njobs_failed: count('FAILURE'),
    njobs_aborted: count('ABORTED'),
    njobs_pending: count('PENDING'),
    njobs_running: count('RUNNING', 'STARTED'),
    // anything else, CANCELED and TIMED-OUT included (as the upstream accounter)
    njobs_unknown: jobs.length - completed.length - count('FAILURE', 'ABORTED', 'PENDING', 'RUNNING', 'STARTED'),
    job_runtime: jobs.reduce((t, j) => t + seconds(j), 0),
    job_completed_runtime: completed.reduce((t, j) => t + seconds(j), 0),
  };
}

/** Flask renders a UTC datetime as an HTTP date. */
const httpDate = () => new Date().toUTCString();

export async function accounting(ctx: ServiceContext, call: RouteCall): Promise<void> {
  sendJson(call.res, 200, { timestamp: httpDate(), ...(await usage(ctx, call.user)) });
}

export async function appstats(ctx: ServiceContext, call: RouteCall): Promise<void> {
  const users = await ctx.spaces.users();
  const sum: Usage = { datasize: 0, jobsize: 0, njobs: 0, njobs_completed: 0, njobs_failed: 0, njobs_aborted: 0, njobs_pending: 0, njobs_running: 0, njobs_unknown: 0, job_runtime: 0, job_completed_runtime: 0 };
  for (const u of users) {
    const one = await usage(ctx, u);
    for (const k of Object.keys(sum) as (keyof Usage)[]) sum[k] += one[k];
  }
  sendJson(call.res, 200, {
    timestamp: httpDate(), nusers: users.length, ...sum, totsize: sum.datasize + sum.jobsize,
    avg_completed_job_runtime: sum.njobs_completed ? sum.job_completed_runtime / sum.njobs_completed : 0,
  });
}
