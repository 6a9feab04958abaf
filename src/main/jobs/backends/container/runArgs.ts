import { isAbsolute, posix, resolve } from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import type { JobSpec } from '../../types';

/** Labels on every job container: they find our containers again after an app restart and carry what status needs. */
export const LABEL = {
  /** Marks a CIRASA job container (value: the spec's name). */
  job: 'cirasa.job',
  workdir: 'cirasa.workdir',
  /** Wall-clock limit in seconds, enforced by the backend when it polls (engines have no portable run timeout). */
  timeLimitS: 'cirasa.timeLimitS',
  memoryMb: 'cirasa.memoryMb',
} as const;

export interface RunSettings {
  /** Container name (`cirasa-job-<id>`). */
  name: string;
  image: string;
  /** OCI runtime (`runc` on hosts where crun cannot handle hybrid cgroups). */
  runtime?: string;
  /** `--ulimit` values; podman's root defaults fail without CAP_SYS_RESOURCE (test-infrastructure.md §3). */
  ulimits: readonly string[];
  /** Default `none`: a finder needs no network, and an image cannot phone home with survey data. */
  network: string;
  pull?: 'always' | 'missing' | 'never';
  user?: string;
  extraArgs?: readonly string[];
}

/** Podman as root on a host without CAP_SYS_RESOURCE: below the hard limits (nofile ≤ 20000, nproc ≤ 32768 there). */
export const PODMAN_ULIMITS = ['nofile=1024:1024', 'nproc=4096:4096'] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** argv of the job's process: the command as given, or the script through the interpreter its `#!` line names. */
export function jobArgv(spec: JobSpec): string[] {
  if (spec.script !== undefined) {
    const first = spec.script.split('\n', 1)[0]!;
    if (!first.startsWith('#!')) throw new AppError('validation', `Job script of "${spec.name}" must start with #!`);
    // Linux passes everything after the interpreter as ONE argument (`#!/usr/bin/env bash` → env, "bash")
    const m = /^#!\s*(\S+)(?:\s+(.*?))?\s*$/.exec(first);
    if (!m) throw new AppError('validation', `Job script of "${spec.name}" has an empty #! line`);
    return [m[1]!, ...(m[2] ? [m[2]] : []), '-c', spec.script];
  }
  if (!spec.command || spec.command.length === 0) {
    throw new AppError('validation', `Job "${spec.name}" has neither a script nor a command`);
  }
  return [...spec.command];
}

function checkMountPath(path: string, what: string): void {
  // `-v a:b:ro` has no escaping: a colon or comma would silently mount something else
  if (/[:,\n]/.test(path)) throw new AppError('validation', `${what} ${JSON.stringify(path)} contains ':' or ',' and cannot be bind-mounted`);
}

/**
 * `run` arguments for one job. The host working directory is mounted read-write at the SAME path and is the
 * container's working directory, so commands and absolute paths built for the local backend work unchanged;
 * each input is mounted read-only at `<workdir>/<remoteName>` (no copy of a 4 GB image).
 */
export function buildRunArgs(spec: JobSpec, s: RunSettings): string[] {
  if (!isAbsolute(spec.workdir)) throw new AppError('validation', `Job workdir must be absolute: ${JSON.stringify(spec.workdir)}`);
  const workdir = resolve(spec.workdir);
  checkMountPath(workdir, 'Job workdir');
  const args = ['run', '-d', '--name', s.name, '--network', s.network];
  if (s.pull) args.push(`--pull=${s.pull}`);
  if (s.runtime) args.push('--runtime', s.runtime);
  for (const u of s.ulimits) args.push('--ulimit', u);
  if (s.user) args.push('--user', s.user);

  const r = spec.resources ?? {};
  if (r.cpus !== undefined) args.push('--cpus', String(r.cpus));
  if (r.memoryMb !== undefined) {
    // swap equal to memory: the limit really caps the job instead of letting it swap the machine to a halt
    args.push('--memory', `${Math.ceil(r.memoryMb)}m`, '--memory-swap', `${Math.ceil(r.memoryMb)}m`);
  }
  args.push('--label', `${LABEL.job}=${spec.name}`, '--label', `${LABEL.workdir}=${workdir}`);
  if (r.timeMinutes !== undefined) args.push('--label', `${LABEL.timeLimitS}=${Math.round(r.timeMinutes * 60)}`);
  if (r.memoryMb !== undefined) args.push('--label', `${LABEL.memoryMb}=${Math.ceil(r.memoryMb)}`);

  for (const [k, v] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new AppError('validation', `Not an environment variable name: ${JSON.stringify(k)}`);
    args.push('-e', `${k}=${v}`);
  }

  args.push('-v', `${workdir}:${workdir}:rw`, '-w', workdir);
  for (const input of spec.inputs ?? []) {
    const name = posix.normalize(input.remoteName);
    if (name.startsWith('/') || name === '..' || name.startsWith('../') || name === '.') {
      throw new AppError('validation', `Input name must be relative to the job directory: ${JSON.stringify(input.remoteName)}`);
    }
    const source = resolve(input.localPath);
    checkMountPath(source, 'Input');
    args.push('-v', `${source}:${posix.join(workdir, name)}:ro`);
  }
  args.push(...(s.extraArgs ?? []), s.image, ...jobArgv(spec));
  return args;
}
