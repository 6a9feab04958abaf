import { describe, expect, it } from 'vitest';
import { buildSubmitBody, looksLikeAuthFailure, numberField, offeredVersions, readErrors, readJob, readSubmittedJobId } from './shapes';

const META = { plugin: { type: 'openapi/v0.0.38', name: 'Slurm OpenAPI v0.0.38' }, Slurm: { release: '22.05.8' } };

describe('v0.0.36–38 responses (captured from Debian slurmrestd 22.05.8)', () => {
  it('reads a failed job: state, decoded raw exit status, reason, times', () => {
    const body = {
      meta: META,
      errors: [],
      jobs: [
        { job_id: 6, name: 'smoke', job_state: 'FAILED', state_reason: 'NonZeroExitCode', state_description: '', exit_code: 768,
          submit_time: 1795556180, start_time: 1795556181, end_time: 1795556181, standard_output: '/tmp/x/slurm-%j.out',
          current_working_directory: '/tmp/x' },
      ],
    };
    expect(readJob(body, '6')).toEqual({
      jobId: '6', name: 'smoke', state: 'FAILURE', native: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode',
      submitTime: 1795556180, startTime: 1795556181, endTime: 1795556181, stdout: '/tmp/x/slurm-%j.out', workdir: '/tmp/x',
    });
  });

  it('reads a cancelled running job (signal 15) and a pending one (no start time)', () => {
    const cancelled = readJob({ jobs: [{ job_id: 5, job_state: 'CANCELLED', state_reason: 'None', exit_code: 15, start_time: 5, end_time: 9 }] }, '5');
    expect(cancelled).toMatchObject({ state: 'CANCELED', exitCode: 0, signal: 15 });
    expect(cancelled.reason).toBeUndefined();
    const pending = readJob({ jobs: [{ job_id: 7, job_state: 'PENDING', state_reason: 'Resources', exit_code: 0, start_time: 0, end_time: 0 }] }, '7');
    expect(pending).toMatchObject({ state: 'PENDING', reason: 'Resources' });
    expect(pending.startTime).toBeUndefined();
  });

  it('reads the submit answer and the error shapes', () => {
    expect(readSubmittedJobId({ meta: META, errors: [], job_id: 1, step_id: 'BATCH', job_submit_user_msg: '' })).toBe('1');
    expect(() => readSubmittedJobId({ errors: [] })).toThrow(expect.objectContaining({ code: 'jobs.badResponse' }));
    const unknownJob = readErrors({ errors: [{ description: 'Unable to find JobId=9999', error_number: 2017, error: 'Invalid job id specified', source: 'slurm_load_job' }] });
    expect(unknownJob).toEqual([{ number: 2017, error: 'Invalid job id specified', description: 'Unable to find JobId=9999', source: 'slurm_load_job' }]);
    expect(looksLikeAuthFailure(unknownJob)).toBe(false);
    // what a bad or expired token produces on ping / submit / job query (HTTP 500 each)
    expect(looksLikeAuthFailure(readErrors({ errors: [{ description: 'slurmctld config is unable to load', error_number: -1, error: 'Unspecified error', source: 'slurm_load_ctl_conf' }] }))).toBe(true);
    expect(looksLikeAuthFailure(readErrors({ errors: [{ error_code: 5005, error: 'Zero Bytes were transmitted or received' }] }))).toBe(true);
    expect(looksLikeAuthFailure(readErrors({ errors: [{ description: 'Unable to find JobId=5', error_number: -1, error: 'Unspecified error', source: 'slurm_load_job' }] }))).toBe(true);
  });

  it('builds the submit body with environment as a dictionary and plain numbers', () => {
    const spec = { name: 'n', workdir: '/w', env: { FOO: 'bar' }, resources: { cpus: 2, memoryMb: 512, timeMinutes: 5, partition: 'debug' } };
    expect(buildSubmitBody(spec, '#!/bin/sh\n', { stdout: '/w/o-%j', stderr: '/w/e-%j' }, 'v0.0.38')).toEqual({
      script: '#!/bin/sh\n',
      job: { name: 'n', current_working_directory: '/w', standard_output: '/w/o-%j', standard_error: '/w/e-%j',
        environment: { PATH: '/usr/local/bin:/usr/bin:/bin', FOO: 'bar' }, tasks: 1, partition: 'debug', cpus_per_task: 2,
        memory_per_node: 512, time_limit: 5 },
    });
  });

  it('finds the offered versions in the OpenAPI document', () => {
    const doc = { paths: { '/slurm/v0.0.38/diag': {}, '/slurm/v0.0.38/ping': {}, '/slurm/v0.0.37/ping': {}, '/slurm/v0.0.36/ping': {}, '/openapi': {} } };
    expect(offeredVersions(doc).sort()).toEqual(['v0.0.36', 'v0.0.37', 'v0.0.38']);
    expect(offeredVersions('nonsense')).toEqual([]);
  });
});

describe('v0.0.39+ shapes (documented, not verified against a live server here)', () => {
  it('reads state arrays, exit_code objects and {set,number} times', () => {
    const job = readJob({ jobs: [{ job_id: { set: true, infinite: false, number: 9 }, job_state: ['FAILED'],
      exit_code: { status: ['EXITED'], return_code: { set: true, infinite: false, number: 2 }, signal: { id: { set: false, number: 0 }, name: '' } },
      start_time: { set: true, infinite: false, number: 100 }, end_time: { set: true, number: 200 } }] }, '9');
    expect(job).toMatchObject({ state: 'FAILURE', native: 'FAILED', exitCode: 2, startTime: 100, endTime: 200 });
    expect(job.signal).toBeUndefined();
    const signalled = readJob({ jobs: [{ job_id: 9, job_state: ['CANCELLED'], exit_code: { status: 'SIGNALED', return_code: 0, signal: { id: 9, name: 'KILL' } } }] }, '9');
    expect(signalled).toMatchObject({ state: 'CANCELED', exitCode: 0, signal: 9 });
    expect(readJob({ jobs: [{ job_id: 1, job_state: ['SOMETHING_NEW'] }] }, '1').reason).toContain('unknown Slurm state SOMETHING_NEW');
  });

  it('sends environment as K=V strings and numbers as {set,number}; v0.0.41 puts the script in job', () => {
    const spec = { name: 'n', workdir: '/w', resources: { timeMinutes: 5 } };
    const b40 = buildSubmitBody(spec, '#!/bin/sh\n', { stdout: 'o', stderr: 'e' }, 'v0.0.40') as { script: string; job: Record<string, unknown> };
    expect(b40.script).toBe('#!/bin/sh\n');
    expect(b40.job.environment).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin']);
    expect(b40.job.time_limit).toEqual({ set: true, infinite: false, number: 5 });
    const b41 = buildSubmitBody(spec, '#!/bin/sh\n', { stdout: 'o', stderr: 'e' }, 'v0.0.41') as { job: Record<string, unknown> };
    expect(b41.job.script).toBe('#!/bin/sh\n');
    expect(numberField({ set: false, number: 3 })).toBeUndefined();
    expect(numberField({ set: true, infinite: true, number: 0 })).toBeUndefined();
  });
});
