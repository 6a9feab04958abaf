import { describe, expect, it } from 'vitest';
import { buildRunArgs, jobArgv, PODMAN_ULIMITS, type RunSettings } from './runArgs';
import type { JobSpec } from '../../types';

const settings: RunSettings = { name: 'cirasa-job-1', image: 'localhost/busybox:test', ulimits: PODMAN_ULIMITS, network: 'none' };

/** Value following each occurrence of `flag`. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

describe('buildRunArgs', () => {
  const spec: JobSpec = {
    name: 'sex run',
    command: ['source-extractor', 'img.fits', '-c', 'a b.sex'],
    workdir: '/scratch/job1/',
    env: { OMP_NUM_THREADS: '2' },
    resources: { cpus: 2, memoryMb: 1500, timeMinutes: 1.5 },
    inputs: [{ localPath: '/data/survey/img.fits', remoteName: 'img.fits' }],
  };

  it('detached, named, no network, limits, labels, workdir rw at the same path, inputs ro, image then argv', () => {
    const a = buildRunArgs(spec, { ...settings, runtime: 'runc', pull: 'never' });
    expect(a.slice(0, 4)).toEqual(['run', '-d', '--name', 'cirasa-job-1']);
    expect(values(a, '--network')).toEqual(['none']);
    expect(values(a, '--runtime')).toEqual(['runc']);
    expect(a).toContain('--pull=never');
    expect(values(a, '--ulimit')).toEqual(['nofile=1024:1024', 'nproc=4096:4096']);
    expect(values(a, '--cpus')).toEqual(['2']);
    expect(values(a, '--memory')).toEqual(['1500m']);
    expect(values(a, '--memory-swap')).toEqual(['1500m']);
    expect(values(a, '--label')).toEqual(['cirasa.job=sex run', 'cirasa.workdir=/scratch/job1', 'cirasa.timeLimitS=90', 'cirasa.memoryMb=1500']);
    expect(values(a, '-e')).toEqual(['OMP_NUM_THREADS=2']);
    expect(values(a, '-v')).toEqual(['/scratch/job1:/scratch/job1:rw', '/data/survey/img.fits:/scratch/job1/img.fits:ro']);
    expect(values(a, '-w')).toEqual(['/scratch/job1']);
    expect(a.slice(-5)).toEqual(['localhost/busybox:test', 'source-extractor', 'img.fits', '-c', 'a b.sex']);
  });

  it('leaves optional flags out', () => {
    const a = buildRunArgs({ name: 'x', command: ['true'], workdir: '/w' }, { ...settings, ulimits: [] });
    expect(a).toEqual(['run', '-d', '--name', 'cirasa-job-1', '--network', 'none', '--label', 'cirasa.job=x', '--label', 'cirasa.workdir=/w',
      '-v', '/w:/w:rw', '-w', '/w', 'localhost/busybox:test', 'true']);
  });

  it('refuses what would mount something else or escape the job directory', () => {
    const base = { name: 'x', command: ['true'], workdir: '/w' };
    expect(() => buildRunArgs({ ...base, workdir: 'rel/dir' }, settings)).toThrow(/absolute/);
    expect(() => buildRunArgs({ ...base, workdir: '/a:b' }, settings)).toThrow(/':'/);
    expect(() => buildRunArgs({ ...base, inputs: [{ localPath: '/x', remoteName: '../etc/passwd' }] }, settings)).toThrow(/relative/);
    expect(() => buildRunArgs({ ...base, inputs: [{ localPath: '/x', remoteName: '/abs' }] }, settings)).toThrow(/relative/);
    expect(() => buildRunArgs({ ...base, env: { 'A-B': '1' } }, settings)).toThrow(/environment variable/);
    expect(() => buildRunArgs({ name: 'x', workdir: '/w' }, settings)).toThrow(/neither a script nor a command/);
  });
});

describe('jobArgv', () => {
  it('runs a script through its #! interpreter, with the one optional argument', () => {
    const script = '#!/bin/sh\necho hi\n';
    expect(jobArgv({ name: 'x', workdir: '/w', script })).toEqual(['/bin/sh', '-c', script]);
    const env = '#!/usr/bin/env bash\necho hi\n';
    expect(jobArgv({ name: 'x', workdir: '/w', script: env })).toEqual(['/usr/bin/env', 'bash', '-c', env]);
    expect(() => jobArgv({ name: 'x', workdir: '/w', script: 'echo hi' })).toThrow(/#!/);
  });
});
