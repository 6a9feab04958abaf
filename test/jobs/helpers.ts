import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal, type JobBackend, type JobStatus } from '../../src/main/jobs/types';
import type { JobsTestEnv } from './env';

/** Poll a job until `done` holds (default: a terminal state); every 200 ms, like a fast monitor. */
export async function waitForJob(
  backend: JobBackend,
  id: string,
  done: (s: JobStatus) => boolean = (s) => isTerminal(s.state),
  timeoutMs = 30_000,
): Promise<JobStatus> {
  const until = Date.now() + timeoutMs;
  let last: JobStatus | undefined;
  while (Date.now() < until) {
    last = await backend.status(id);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${id} still ${JSON.stringify(last)} after ${timeoutMs} ms`);
}

let counter = 0;

/** A fresh job directory in the shared scratch, owned by the Slurm test user (jobs run as that user). */
export function userWorkdir(env: JobsTestEnv, label: string): string {
  const dir = join(env.scratchDir, `${label}-${process.pid}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  chownSync(dir, env.uid, env.gid);
  return dir;
}

/** Job ids the test user has in slurmctld right now (any state), via squeue as root. */
export function knownJobIds(env: JobsTestEnv): string[] {
  const out = execFileSync('squeue', ['-h', '-t', 'all', '-u', env.user, '-o', '%i'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '');
}

export const TRIVIAL = '#!/bin/bash\necho "hello $FOO from $(hostname -s)"\necho done > result.txt\n';
export const FAILING = '#!/bin/bash\necho about to fail\necho "bad input: $BAD" >&2\nexit 3\n';
export const SLEEPING = '#!/bin/bash\necho started\nsleep 120\n';
