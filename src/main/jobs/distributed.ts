/**
 * Distributed finding on Slurm: a job array of N part tasks, then a merge job with `afterok` on the array.
 * DistributedBackend wraps a Slurm backend so the JobService sees ONE job: the native id is `<arrayId>+<mergeId>`,
 * the state is the array's aggregate until the merge runs and the merge's after, cancel cancels both, and the logs
 * hold every task's and the merge's.
 */
import { AppError } from '../../shared/contract/errors';
import { expandSlurmPattern, logPatterns } from './script';
import { isTerminal, type JobBackend, type JobLogs, type JobRef, type JobSpec, type JobStatus, type TaskStatus, type TransferOptions } from './types';

export interface DistributedId {
  /** The job every part waits for (e.g. the shared background map), when there is one. */
  prepareId?: string;
  arrayId: string;
  mergeId: string;
}

/** `<arrayId>+<mergeId>`, or `<prepareId>+<arrayId>+<mergeId>` with a preparation job. */
export function parseDistributedId(nativeId: string): DistributedId {
  const m = /^(\d+)\+(\d+)(?:\+(\d+))?$/.exec(nativeId);
  if (!m) throw new AppError('validation', `Not a distributed job id ([<prepareId>+]<arrayId>+<mergeId>): ${JSON.stringify(nativeId)}`);
  return m[3] !== undefined ? { prepareId: m[1]!, arrayId: m[2]!, mergeId: m[3] } : { arrayId: m[1]!, mergeId: m[2]! };
}

/** Failure states in the order the aggregate reports them (the most telling first). */
const FAILED_ORDER = ['FAILURE', 'TIMED-OUT', 'ABORTED', 'CANCELED'] as const;

/**
 * One status for a job array: a failed task fails the array (the merge can never run), else RUNNING while any task
 * runs, PENDING while all wait, SUCCESS when every task of `count` has completed.
 */
export function aggregateTasks(tasks: readonly TaskStatus[], count: number): JobStatus {
  const by = (pred: (t: TaskStatus) => boolean) => tasks.filter(pred);
  const ids = (ts: readonly TaskStatus[]) => ts.flatMap((t) => t.taskIds);
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.native, (counts.get(t.native) ?? 0) + Math.max(1, t.taskIds.length));
  const native = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const startTimes = tasks.map((t) => t.startTime).filter((t): t is number => t !== undefined);
  const times = {
    ...(tasks[0]?.submitTime !== undefined ? { submitTime: Math.min(...tasks.map((t) => t.submitTime ?? Infinity)) } : {}),
    ...(startTimes.length > 0 ? { startTime: Math.min(...startTimes) } : {}),
  };
  for (const state of FAILED_ORDER) {
    const failed = by((t) => t.state === state);
    if (failed.length > 0) {
      const first = failed[0]!;
      const reason = `part ${ids(failed).join(', ')} of ${count} ended ${first.native}${first.reason ? ` (${first.reason})` : ''}`;
      return {
        state, native, reason, ...times,
        ...(first.exitCode !== undefined ? { exitCode: first.exitCode } : {}), ...(first.signal !== undefined ? { signal: first.signal } : {}),
        ...(first.endTime !== undefined ? { endTime: first.endTime } : {}),
      };
    }
  }
  if (tasks.some((t) => t.state === 'RUNNING' || t.state === 'STARTED')) return { state: 'RUNNING', native, ...times };
  if (tasks.some((t) => !isTerminal(t.state))) return { state: 'PENDING', native, ...times };
  const done = new Set(ids(by((t) => t.state === 'SUCCESS')));
  // a task Slurm no longer lists (not yet split off, or purged) is not proof of success
  if (done.size < count) return { state: 'PENDING', native: `${native} (${done.size} of ${count} parts listed)`, ...times };
  return { state: 'SUCCESS', native, ...times };
}

/** Completed parts of `count` (for progress), from the array's task records. */
export function partsDone(tasks: readonly TaskStatus[]): number {
  return tasks.filter((t) => t.state === 'SUCCESS').reduce((n, t) => n + t.taskIds.length, 0);
}

export class DistributedBackend implements JobBackend {
  readonly kind;

  constructor(private readonly inner: JobBackend) {
    if (!inner.arrayStatus) throw new AppError('validation', `The ${inner.kind} backend cannot run job arrays (distributed runs need Slurm)`);
    this.kind = inner.kind;
  }

  /**
   * Submit the preparation job if any, the part array (afterok on it), then the merge (afterok on the array). On a failure, what was already queued is cancelled: nothing stays half-way.
   */
  async submit(spec: JobSpec, signal?: AbortSignal): Promise<string> {
    // the first job submitted carries the inputs (the caller puts them on prepare, else on parts)
    const { parts, prepare, inputs: _i, ...merge } = spec;
    if (!parts?.arrayTasks) throw new AppError('internal', `Distributed job "${spec.name}" has no part array`);
    const queued: string[] = [];
    try {
      if (prepare) queued.push(await this.inner.submit(prepare, signal));
      const first = queued[0];
      queued.push(await this.inner.submit(first ? { ...parts, dependency: `afterok:${first}` } : parts, signal));
      queued.push(await this.inner.submit({ ...merge, dependency: `afterok:${queued.at(-1)}` }, signal));
      return queued.join('+');
    } catch (err) {
      for (const id of queued.reverse()) await this.inner.cancel(id).catch(() => undefined);
      throw err;
    }
  }

  async status(nativeId: string, signal?: AbortSignal): Promise<JobStatus> {
    const { prepareId, arrayId, mergeId } = parseDistributedId(nativeId);
    const merge = await this.inner.status(mergeId, signal);
    if (merge.state !== 'PENDING') return merge;
    if (prepareId) {
      const prep = await this.inner.status(prepareId, signal);
      if (isTerminal(prep.state) && prep.state !== 'SUCCESS') {
        await this.cancelAll([mergeId, arrayId], signal);
        return { ...prep, reason: `preparation ended ${prep.native}${prep.reason ? ` (${prep.reason})` : ''}; parts and merge not run` };
      }
      if (prep.state !== 'SUCCESS') return { ...prep, native: `preparing: ${prep.native}`, ...(prep.state === 'RUNNING' ? { progress: { fraction: 0, text: 'preparing' } } : {}) };
    }
    const tasks = await this.inner.arrayStatus!(arrayId, signal);
    // ids are 0..N-1 and Slurm lists every task (pending ones as a range) while it knows the array
    const total = Math.max(0, ...tasks.flatMap((t) => t.taskIds)) + 1;
    const agg = aggregateTasks(tasks, total);
    if (agg.state === 'SUCCESS') return { ...agg, state: 'RUNNING', native: `parts done; merge ${merge.native}`, progress: { fraction: 1, text: `${total} parts done; merging` } };
    const done = partsDone(tasks);
    const progress = { fraction: done / total, text: `${done} of ${total} parts done` };
    if (isTerminal(agg.state)) {
      // afterok can never be satisfied: without kill_invalid_depend the merge would wait forever
      await this.cancelAll([mergeId], signal);
      return { ...agg, reason: `${agg.reason ?? agg.native}; merge not run` };
    }
    // with a preparation job, the waiting parts already count as started
    return { ...agg, ...(prepareId && agg.state === 'PENDING' ? { state: 'RUNNING' as const } : {}), progress };
  }

  private async cancelAll(ids: readonly string[], signal?: AbortSignal): Promise<void> {
    for (const id of ids) await this.inner.cancel(id, signal).catch(() => undefined);
  }

  async cancel(nativeId: string, signal?: AbortSignal): Promise<void> {
    const { prepareId, arrayId, mergeId } = parseDistributedId(nativeId);
    await this.inner.cancel(mergeId, signal);
    await this.inner.cancel(arrayId, signal);
    if (prepareId) await this.inner.cancel(prepareId, signal);
  }

  /** The preparation's, each part's and the merge's logs, each after a `== ... ==` line. */
  async fetchLogs(job: JobRef, signal?: AbortSignal): Promise<JobLogs> {
    const { prepareId, arrayId, mergeId } = parseDistributedId(job.nativeId);
    const parts = job.spec.parts;
    const out: JobLogs = { stdout: '', stderr: '' };
    if (prepareId && job.spec.prepare) {
      const l = await this.inner.fetchLogs({ nativeId: prepareId, spec: job.spec.prepare }, signal);
      out.stdout += `== prepare ==\n${l.stdout}${l.stdout.endsWith('\n') || l.stdout === '' ? '' : '\n'}`;
      if (l.stderr !== '') out.stderr += `== prepare ==\n${l.stderr}${l.stderr.endsWith('\n') ? '' : '\n'}`;
    }
    if (parts?.arrayTasks) {
      const p = logPatterns(parts);
      for (let k = 0; k < parts.arrayTasks; k++) {
        // one read per task: the inner backend reads the spec's patterns, so give it the task's expanded paths
        const task = { arrayId, taskId: k };
        const l = await this.inner.fetchLogs({
          nativeId: arrayId,
          spec: { ...parts, stdoutPath: expandSlurmPattern(p.stdout, arrayId, parts.name, task), stderrPath: expandSlurmPattern(p.stderr, arrayId, parts.name, task) },
        }, signal);
        out.stdout += `== part ${k} of ${parts.arrayTasks} ==\n${l.stdout}${l.stdout.endsWith('\n') || l.stdout === '' ? '' : '\n'}`;
        if (l.stderr !== '') out.stderr += `== part ${k} of ${parts.arrayTasks} ==\n${l.stderr}${l.stderr.endsWith('\n') ? '' : '\n'}`;
      }
    }
    const m = await this.inner.fetchLogs({ nativeId: mergeId, spec: job.spec }, signal);
    out.stdout += `== merge ==\n${m.stdout}`;
    if (m.stderr !== '') out.stderr += `== merge ==\n${m.stderr}`;
    return out;
  }

  fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]> {
    return this.inner.fetchOutputs({ nativeId: parseDistributedId(job.nativeId).mergeId, spec: job.spec }, localDir, options);
  }

  arrayStatus(arrayId: string, signal?: AbortSignal): Promise<TaskStatus[]> {
    return this.inner.arrayStatus!(arrayId, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
