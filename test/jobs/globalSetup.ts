// Starts the real daemons for test:jobs (one-node Slurm with slurmrestd + JWT, and a key-only sshd on loopback)
// through the project's scripts/test-infra, and stops them by PID afterwards. Daemons that were already running in
// the same RUNDIR (a developer ran slurm-up.sh by hand) are reused and left running.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runInfra, type JobsTestEnv } from './env';

function pidAlive(file: string): boolean {
  if (!existsSync(file)) return false;
  const pid = readFileSync(file, 'utf8').trim();
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) {
    throw new Error('test:jobs starts Slurm and sshd daemons and must run as root (CI machine or container)');
  }
  const t0 = Date.now();
  const user = process.env.TEST_USER ?? 'astro';
  const restPort = Number(process.env.REST_PORT ?? 6820);
  const sshPort = Number(process.env.SSH_PORT ?? 2222);
  const slurmRundir = process.env.RUNDIR ?? '/run/cirasa-test-slurm';
  const slurmEnv = { RUNDIR: slurmRundir, REST_PORT: String(restPort), TEST_USER: user };

  runInfra('install-deps.sh');
  const daemons = ['munged', 'slurmctld', 'slurmd', 'slurmrestd'];
  const reused = daemons.every((d) => pidAlive(join(slurmRundir, `${d}.pid`)));
  runInfra('slurm-up.sh', slurmEnv);

  const sshDir = mkdtempSync('/tmp/cirasa-sshd-');
  let sshUp = false;
  const scratchDir = mkdtempSync('/tmp/cirasa-jobs-');
  const stop = async (): Promise<void> => {
    if (sshUp) runInfra('sshd-down.sh', { REMOVE: '1' }, [sshDir]);
    else rmSync(sshDir, { recursive: true, force: true });
    if (!reused) runInfra('slurm-down.sh', slurmEnv);
    rmSync(scratchDir, { recursive: true, force: true });
    execFileSync('rm', ['-rf', `/home/${user}/cirasa-jobs-test`]);
  };
  try {
    runInfra('sshd-up.sh', { SSH_DIR: sshDir, SSH_PORT: String(sshPort), SSH_USER: user });
    sshUp = true;
  } catch (err) {
    await stop();
    throw err;
  }
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
  chownSync(scratchDir, uid, gid);

  const env: JobsTestEnv = {
    restUrl: `http://127.0.0.1:${restPort}`,
    restPort,
    slurmRundir,
    jwtKeyFile: '/etc/slurm/jwt_hs256.key',
    user,
    uid,
    gid,
    scratchDir,
    sshHost: '127.0.0.1',
    sshPort,
    sshDir,
    sshWorkBase: `/home/${user}/cirasa-jobs-test`,
  };
  project.provide('jobsEnv', env);
  console.log(`test:jobs daemons ready in ${Date.now() - t0} ms (slurm ${reused ? 'reused' : 'started'}, sshd on ${sshPort})`);
  return stop;
}
