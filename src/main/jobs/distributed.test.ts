import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { DistributedBackend, aggregateTasks, parseDistributedId } from './distributed';
import { buildSubmitBody, readArrayTasks } from './slurm-rest/shapes';
import { parseScontrolShowJob, tasksFromSacct, tasksFromScontrol } from './slurm-ssh/parsers';
import { parseTaskIds } from './slurmState';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TaskStatus } from './types';

// `scontrol show job 230` of a 4-task array on Slurm 22.05.8 (test cluster), two running, tasks 2-3 pending (trimmed)
const SCONTROL_ARRAY = `JobId=230 ArrayJobId=230 ArrayTaskId=2-3 JobName=arr.sh
   JobState=PENDING Reason=Resources Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
   SubmitTime=2026-11-24T23:05:40 EligibleTime=2026-11-24T23:05:40
   StartTime=2027-11-24T23:05:40 EndTime=Unknown Deadline=N/A
   StdOut=/tmp/s2x/part-4294967294.out


JobId=232 ArrayJobId=230 ArrayTaskId=1 JobName=arr.sh
   JobState=RUNNING Reason=None Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
   SubmitTime=2026-11-24T23:05:40 EligibleTime=2026-11-24T23:05:40
   StartTime=2026-11-24T23:05:40 EndTime=2027-11-24T23:05:40 Deadline=N/A
   StdOut=/tmp/s2x/part-1.out


JobId=231 ArrayJobId=230 ArrayTaskId=0 JobName=arr.sh
   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=2:0
   SubmitTime=2026-11-24T23:05:40 EligibleTime=2026-11-24T23:05:40
   StartTime=2026-11-24T23:05:40 EndTime=2026-11-24T23:05:43 Deadline=N/A
   StdOut=/tmp/s2x/part-0.out
`;

// GET /slurm/v0.0.38/job/225 (fields we read, as slurmrestd 22.05 answers them) once every task completed
const REST_ARRAY = {
  jobs: [3, 2, 1, 0].map((k) => ({
    job_id: k === 3 ? 225 : 226 + k, array_job_id: 225, array_task_id: k, array_task_string: '', job_state: 'COMPLETED', exit_code: 0,
    start_time: 1795561370, end_time: 1795561377, state_reason: 'None',
  })),
  errors: [],
};

const task = (state: JobStatus['state'], native: string, taskIds: number[], extra: Partial<TaskStatus> = {}): TaskStatus => ({ state, native, taskIds, ...extra });

describe('Slurm job arrays', () => {
  it('reads task ids as Slurm prints them', () => {
    expect(parseTaskIds('2-3')).toEqual([2, 3]);
    expect(parseTaskIds('0,2,5-7')).toEqual([0, 2, 5, 6, 7]);
    expect(parseTaskIds('0-15:5%4')).toEqual([0, 5, 10, 15]);
    expect(parseTaskIds('1')).toEqual([1]);
  });

  it('reads every task of an array from scontrol, sacct and slurmrestd', () => {
    const sc = tasksFromScontrol(parseScontrolShowJob(SCONTROL_ARRAY), '230');
    expect(sc.map((t) => [t.taskIds, t.state])).toEqual([[[2, 3], 'PENDING'], [[1], 'RUNNING'], [[0], 'FAILURE']]);
    expect(sc[2]!.exitCode).toBe(2);
    expect(tasksFromScontrol(parseScontrolShowJob(SCONTROL_ARRAY), '231')).toEqual([]);
    const sacct = tasksFromSacct('230_0|COMPLETED|0:0|None|2026-11-24T23:05:40|2026-11-24T23:05:40|2026-11-24T23:05:43\n' +
      '230_1|FAILED|1:0|NonZeroExitCode|2026-11-24T23:05:40|2026-11-24T23:05:40|2026-11-24T23:05:43\n230_[2-3]|PENDING|0:0|Resources|2026-11-24T23:05:40|Unknown|Unknown\n' +
      '2300|COMPLETED|0:0|None|2026-11-24T23:05:40|2026-11-24T23:05:40|2026-11-24T23:05:43\n', '230');
    expect(sacct.map((t) => [t.taskIds, t.state])).toEqual([[[0], 'SUCCESS'], [[1], 'FAILURE'], [[2, 3], 'PENDING']]);
    const rest = readArrayTasks(REST_ARRAY, '225');
    expect(rest.map((t) => t.taskIds[0]).sort()).toEqual([0, 1, 2, 3]);
    expect(rest.every((t) => t.state === 'SUCCESS' && t.native === 'COMPLETED')).toBe(true);
  });

  it('submits arrays and dependencies through slurmrestd', () => {
    const spec: JobSpec = { name: 'p', workdir: '/w', arrayTasks: 4, dependency: 'afterok:9' };
    expect(buildSubmitBody(spec, '#!/bin/sh\n', { stdout: '/w/o', stderr: '/w/e' }, 'v0.0.38').job).toMatchObject({ array: '0-3', dependency: 'afterok:9' });
  });

  it('aggregates: a failed part fails the array, else running, pending, and success only with every part done', () => {
    expect(aggregateTasks([task('PENDING', 'PENDING', [2, 3]), task('RUNNING', 'RUNNING', [1]), task('FAILURE', 'FAILED', [0], { exitCode: 2 })], 4))
      .toMatchObject({ state: 'FAILURE', exitCode: 2, reason: 'part 0 of 4 ended FAILED' });
    expect(aggregateTasks([task('PENDING', 'PENDING', [2, 3]), task('RUNNING', 'RUNNING', [0, 1])], 4)).toMatchObject({ state: 'RUNNING', native: '2 PENDING, 2 RUNNING' });
    expect(aggregateTasks([task('PENDING', 'PENDING', [0, 1, 2, 3])], 4).state).toBe('PENDING');
    expect(aggregateTasks([task('SUCCESS', 'COMPLETED', [0]), task('SUCCESS', 'COMPLETED', [1])], 3).state).toBe('PENDING');
    expect(aggregateTasks([0, 1, 2].map((k) => task('SUCCESS', 'COMPLETED', [k], { startTime: 10 + k })), 3)).toMatchObject({ state: 'SUCCESS', startTime: 10 });
    expect(aggregateTasks([task('SUCCESS', 'COMPLETED', [0]), task('CANCELED', 'CANCELLED', [1])], 2).state).toBe('CANCELED');
  });
});

/** A Slurm-like backend driven by the test: ids count up, statuses and task lists are set by hand. */
class ScriptedSlurm implements JobBackend {
  readonly kind = 'slurm-rest' as const;
  next = 100;
  submitted: JobSpec[] = [];
  cancelled: string[] = [];
  statuses = new Map<string, JobStatus>();
  tasks: TaskStatus[] = [];
  failSubmitNo: number | undefined;
  logsRead: string[] = [];

  async submit(spec: JobSpec): Promise<string> {
    if (this.submitted.length === this.failSubmitNo) throw new AppError('jobs.submitFailed', 'refused');
    this.submitted.push(spec);
    return String(this.next++);
  }
  async status(id: string): Promise<JobStatus> {
    return this.statuses.get(id) ?? { state: 'PENDING', native: 'PENDING' };
  }
  async arrayStatus(): Promise<TaskStatus[]> {
    return this.tasks;
  }
  async cancel(id: string): Promise<void> {
    this.cancelled.push(id);
  }
  async fetchLogs(job: JobRef): Promise<JobLogs> {
    this.logsRead.push(job.spec.stdoutPath!);
    return { stdout: `out of ${job.spec.stdoutPath}\n`, stderr: job.spec.stderrPath === '/w/part-1.err' ? 'boom\n' : '' };
  }
  async fetchOutputs(): Promise<string[]> {
    return [];
  }
  async close(): Promise<void> {}
}

const SPEC: JobSpec = {
  name: 'merge', workdir: '/w', command: ['merge'], stdoutPath: 'stdout.log', stderrPath: 'stderr.log',
  parts: { name: 'part', workdir: '/w', command: ['part'], arrayTasks: 2, stdoutPath: 'part-%a.out', stderrPath: 'part-%a.err', inputs: [{ localPath: '/i.fits', remoteName: 'i.fits' }] },
};

describe('DistributedBackend', () => {
  it('submits the part array with the inputs, then the merge afterok on it; one id for both', async () => {
    const inner = new ScriptedSlurm();
    const id = await new DistributedBackend(inner).submit(SPEC);
    expect(id).toBe('100+101');
    expect(parseDistributedId(id)).toEqual({ arrayId: '100', mergeId: '101' });
    expect(inner.submitted[0]).toMatchObject({ name: 'part', arrayTasks: 2, inputs: SPEC.parts!.inputs });
    expect(inner.submitted[1]).toMatchObject({ name: 'merge', dependency: 'afterok:100' });
    expect(inner.submitted[1]!.parts).toBeUndefined();
    expect(inner.submitted[1]!.inputs).toBeUndefined();
  });

  it('cancels the array when the merge cannot be submitted (nothing left queued)', async () => {
    const inner = new ScriptedSlurm();
    inner.failSubmitNo = 1;
    await expect(new DistributedBackend(inner).submit(SPEC)).rejects.toMatchObject({ code: 'jobs.submitFailed' });
    expect(inner.cancelled).toEqual(['100']);
  });

  it('reports the array until the merge runs, then the merge; a failed part fails the job and cancels the merge', async () => {
    const inner = new ScriptedSlurm();
    const b = new DistributedBackend(inner);
    inner.tasks = [task('RUNNING', 'RUNNING', [0]), task('PENDING', 'PENDING', [1])];
    expect(await b.status('100+101')).toMatchObject({ state: 'RUNNING', progress: { fraction: 0, text: '0 of 2 parts done' } });
    inner.tasks = [task('SUCCESS', 'COMPLETED', [0]), task('RUNNING', 'RUNNING', [1])];
    expect(await b.status('100+101')).toMatchObject({ state: 'RUNNING', progress: { fraction: 0.5, text: '1 of 2 parts done' } });
    inner.tasks = [task('SUCCESS', 'COMPLETED', [0]), task('SUCCESS', 'COMPLETED', [1])];
    expect(await b.status('100+101')).toMatchObject({ state: 'RUNNING', native: 'parts done; merge PENDING' });
    inner.statuses.set('101', { state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 });
    expect(await b.status('100+101')).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED' });
    inner.statuses.clear();
    inner.tasks = [task('SUCCESS', 'COMPLETED', [0]), task('FAILURE', 'FAILED', [1], { exitCode: 1 })];
    expect(await b.status('100+101')).toMatchObject({ state: 'FAILURE', exitCode: 1, reason: 'part 1 of 2 ended FAILED; merge not run' });
    expect(inner.cancelled).toEqual(['101']);
  });

  it('cancels both jobs and reads every part log and the merge log', async () => {
    const inner = new ScriptedSlurm();
    const b = new DistributedBackend(inner);
    await b.cancel('100+101');
    expect(inner.cancelled).toEqual(['101', '100']);
    const logs = await b.fetchLogs({ nativeId: '100+101', spec: SPEC });
    expect(inner.logsRead).toEqual(['/w/part-0.out', '/w/part-1.out', 'stdout.log']);
    expect(logs.stdout).toBe('== part 0 of 2 ==\nout of /w/part-0.out\n== part 1 of 2 ==\nout of /w/part-1.out\n== merge ==\nout of stdout.log\n');
    expect(logs.stderr).toBe('== part 1 of 2 ==\nboom\n');
  });

  it('refuses a backend without job arrays', () => {
    const { arrayStatus: _a, ...plain } = new ScriptedSlurm();
    expect(() => new DistributedBackend({ ...plain, kind: 'local', submit: async () => '1' } as unknown as JobBackend)).toThrow(/job arrays/);
  });

  it('with a preparation job: it runs first (with the inputs), the parts wait for it, and its end decides', async () => {
    const inner = new ScriptedSlurm();
    const b = new DistributedBackend(inner);
    const { inputs, ...parts } = SPEC.parts!;
    const spec: JobSpec = { ...SPEC, parts, prepare: { name: 'bkg', workdir: '/w', command: ['bkg'], stdoutPath: 'prepare.out', stderrPath: 'prepare.err', inputs } };
    const id = await b.submit(spec);
    expect(id).toBe('100+101+102');
    expect(parseDistributedId(id)).toEqual({ prepareId: '100', arrayId: '101', mergeId: '102' });
    expect(inner.submitted.map((x) => [x.name, x.dependency, x.inputs?.length])).toEqual([['bkg', undefined, 1], ['part', 'afterok:100', undefined], ['merge', 'afterok:101', undefined]]);
    inner.statuses.set('100', { state: 'RUNNING', native: 'RUNNING' });
    expect(await b.status(id)).toMatchObject({ state: 'RUNNING', native: 'preparing: RUNNING', progress: { text: 'preparing' } });
    inner.statuses.set('100', { state: 'SUCCESS', native: 'COMPLETED' });
    inner.tasks = [task('PENDING', 'PENDING', [0, 1])];
    expect(await b.status(id)).toMatchObject({ state: 'RUNNING', progress: { text: '0 of 2 parts done' } });
    inner.statuses.set('100', { state: 'FAILURE', native: 'FAILED', exitCode: 1, reason: 'NonZeroExitCode' });
    expect(await b.status(id)).toMatchObject({ state: 'FAILURE', reason: 'preparation ended FAILED (NonZeroExitCode); parts and merge not run' });
    expect(inner.cancelled).toEqual(['102', '101']);
    inner.cancelled = [];
    await b.cancel(id);
    expect(inner.cancelled).toEqual(['102', '101', '100']);
    const logs = await b.fetchLogs({ nativeId: id, spec });
    expect(logs.stdout.startsWith('== prepare ==\nout of prepare.out\n== part 0 of 2 ==')).toBe(true);
  });

  it('cancels everything already queued when a later submission fails', async () => {
    const inner = new ScriptedSlurm();
    inner.failSubmitNo = 2;
    const spec: JobSpec = { ...SPEC, prepare: { name: 'bkg', workdir: '/w', command: ['bkg'] } };
    await expect(new DistributedBackend(inner).submit(spec)).rejects.toMatchObject({ code: 'jobs.submitFailed' });
    expect(inner.cancelled).toEqual(['101', '100']);
  });
});
