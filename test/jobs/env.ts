import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/** What globalSetup started, handed to the test files through vitest's provide/inject. */
export interface JobsTestEnv {
  restUrl: string;
  restPort: number;
  slurmRundir: string;
  jwtKeyFile: string;
  user: string;
  uid: number;
  gid: number;
  /** Local scratch (shared file system for slurm-rest: the job runs on this machine), owned by `user`. */
  scratchDir: string;
  sshHost: string;
  sshPort: number;
  sshDir: string;
  /** Remote base directory for slurm-ssh jobs (in the user's home). */
  sshWorkBase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    jobsEnv: JobsTestEnv;
  }
}

export const INFRA_DIR = join(REPO_ROOT, 'scripts', 'test-infra');

/** Run one of scripts/test-infra with extra environment; output is returned (and shown on failure). */
export function runInfra(script: string, env: Record<string, string> = {}, args: string[] = []): string {
  return execFileSync('bash', [join(INFRA_DIR, script), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
