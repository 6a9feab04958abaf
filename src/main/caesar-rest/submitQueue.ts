/**
 * Job submission off the request path, as caesar-rest does with Celery (api §6.1: POST /job answers 202 PENDING
 * at once; a worker starts the job). POST /job records the job in the caller's namespace with its submission
 * (`queued`) and answers; this queue hands it to the JobService (which spawns or sbatches: the slow part) a few at a
 * time. The record on disk is the queue: a restarted service resubmits every job still `queued`, so a shutdown
 * between the answer and the submission loses none. A failed submission leaves the job ABORTED with the reason.
 */
import type { AppError } from '../../shared/contract/errors';
import type { JobRecord } from '../jobs/jobsRepo';
import type { JobService } from '../jobs/jobService';
import type { BackendProfile } from '../jobs/profiles';
import type { JobOwnership, Namespaces } from './namespaces';

export interface QueuedSubmission {
  app: string;
  /** Options after caesar-rest's casting (validated before the 202). */
  options: Record<string, unknown>;
  /** Server path of the uploaded input. */
  input: string;
}

export class SubmitQueue {
  private readonly waiting: { user: string; jobId: string }[] = [];
  private running = 0;
  private idle: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly spaces: Namespaces,
    private readonly jobs: JobService,
    private readonly profile: BackendProfile,
    private readonly log: (e: Record<string, unknown> & { msg: string }) => void,
    private readonly concurrency = 4,
  ) {}

  /** Queue every job a previous run recorded but never submitted. */
  async resume(): Promise<number> {
    let n = 0;
    for (const user of await this.spaces.users()) {
      for (const own of await this.spaces.listJobs(user)) {
        if (own.queued && !own.service_id && !own.submit_error && !own.canceled) {
          this.enqueue(user, own.job_id);
          n++;
        }
      }
    }
    return n;
  }

  enqueue(user: string, jobId: string): void {
    if (this.closed) return;
    this.waiting.push({ user, jobId });
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency && this.waiting.length) {
      const next = this.waiting.shift()!;
      this.running++;
      if (this.running === 1) this.idle = new Promise((r) => (this.wake = r));
      // after the I/O ready now (a burst of requests answers first): submissions spawn processes on this thread
      void new Promise<void>((r) => setImmediate(r)).then(() => this.submitOne(next.user, next.jobId)).finally(() => {
        this.running--;
        if (this.running === 0) this.wake?.();
        this.pump();
      });
    }
  }

  private async submitOne(user: string, jobId: string): Promise<void> {
    const own = await this.spaces.job(user, jobId);
    if (!own?.queued || own.service_id || own.canceled) return;
    const q = own.queued;
    try {
      const job = await this.jobs.submit({ app: q.app, options: q.options, inputs: [q.input], profile: this.profile, ...(own.tag ? { tag: own.tag } : {}) });
      // under the record's lock, so a concurrent cancel either sees service_id or leaves `canceled` for us; a job
      // cancelled while being submitted is cancelled before the record names it (no RUNNING flash)
      await this.spaces.mutateJob(user, jobId, async (now) => {
        if (now.canceled) await this.jobs.cancel(job.id).catch(() => undefined);
        return { ...now, service_id: job.id, queued: undefined };
      });
    } catch (err) {
      const why = (err as AppError).message ?? String(err);
      this.log({ msg: 'submission failed', level: 'error', job_id: jobId, user, error: why });
      await this.spaces.mutateJob(user, jobId, (now) => ({ ...now, submit_error: why }));
    }
  }

  /** Stop taking jobs and wait for submissions in flight; jobs still waiting stay `queued` on disk. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    if (this.running) await this.idle;
  }
}

/** The JobService's record of an owned job, or a stand-in while it waits, was refused, or was cancelled before it ran. */
export function jobOf(jobs: JobService, own: JobOwnership): JobRecord | undefined {
  const real = jobs.jobs.get(own.service_id ?? own.job_id);
  if (real) return real;
  if (!own.queued) return undefined;
  const state = own.canceled ? 'CANCELED' : own.submit_error ? 'ABORTED' : 'PENDING';
  return {
    id: own.job_id, app: own.app, options: own.queued.options, inputs: [own.queued.input], backend: 'local', profile: { type: 'local' }, state,
    submittedAt: new Date().toISOString(), messages: own.submit_error ? [own.submit_error] : [], outputDir: '', spec: { name: own.job_id, workdir: '' },
  };
}
