import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SlurmSshBackend, type SlurmSshBackendOptions } from '../../src/main/jobs/slurm-ssh/slurmSshBackend';
import { SshSession } from '../../src/main/jobs/slurm-ssh/sshSession';
import type { TransferProgress } from '../../src/main/jobs/types';
import { FAILING, SLEEPING, TRIVIAL, waitForJob } from './helpers';

const env = inject('jobsEnv');
const local = mkdtempSync(join(tmpdir(), 'ssh-test-'));
const base: SlurmSshBackendOptions = {
  host: env.sshHost,
  port: env.sshPort,
  username: env.user,
  privateKeyPath: join(env.sshDir, 'client_ed25519'),
  knownHostsPath: join(env.sshDir, 'known_hosts'),
};
/** The fingerprint OpenSSH itself computes for the server's host key (independent reference). */
const hostFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(env.sshDir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(/\s+/)[1]!;

const backends: SlurmSshBackend[] = [];
function backend(extra: Partial<SlurmSshBackendOptions> = {}): SlurmSshBackend {
  const b = new SlurmSshBackend({ ...base, ...extra });
  backends.push(b);
  return b;
}
let n = 0;
const workdir = (label: string): string => `${env.sshWorkBase}/${label}-${process.pid}-${++n}`;

afterAll(async () => {
  for (const b of backends) await b.close();
  rmSync(local, { recursive: true, force: true });
});

describe('slurm-ssh against a real sshd + Slurm 22.05', () => {
  it('uploads inputs, runs a trivial script to SUCCESS and downloads its outputs with progress', async () => {
    const b = backend();
    const input = join(local, 'input.txt');
    writeFileSync(input, 'x'.repeat(100_000));
    const spec = {
      name: 'ssh ok', // a space in the name: scontrol prints it unquoted
      script: `${TRIVIAL}wc -c < in/input.txt > size.txt\n`,
      workdir: workdir('ok'),
      env: { FOO: "it's bar" },
      inputs: [{ localPath: input, remoteName: 'in/input.txt' }],
      resources: { cpus: 1, memoryMb: 100, timeMinutes: 2, partition: 'debug' },
    };
    const id = await b.submit(spec);
    const s = await waitForJob(b, id);
    expect(s).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 });
    const logs = await b.fetchLogs({ nativeId: id, spec });
    expect(logs.stdout).toMatch(/^hello it's bar from \S+\n$/);
    expect(logs.stderr).toBe('');
    const progress: TransferProgress[] = [];
    const out = join(local, 'out-ok');
    const files = await b.fetchOutputs({ nativeId: id, spec }, out, { onProgress: (p) => progress.push(p) });
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['in/input.txt', 'result.txt', 'size.txt', `slurm-${id}.err`, `slurm-${id}.out`]);
    expect(readFileSync(join(out, 'size.txt'), 'utf8').trim()).toBe('100000');
    expect(readFileSync(join(out, 'in', 'input.txt'))).toEqual(readFileSync(input));
    const last = progress.filter((p) => p.file.endsWith('in/input.txt')).at(-1);
    expect(last).toEqual({ file: `${spec.workdir}/in/input.txt`, transferredBytes: 100_000, totalBytes: 100_000 });
  });

  it('reports a failing job as FAILURE with exit code 3 and readable stderr', async () => {
    const b = backend();
    const spec = { name: 'ssh-fail', script: FAILING, workdir: workdir('fail'), env: { BAD: 'x.fits' } };
    const id = await b.submit(spec);
    expect(await waitForJob(b, id)).toMatchObject({ state: 'FAILURE', native: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode' });
    expect(await b.fetchLogs({ nativeId: id, spec })).toEqual({ stdout: 'about to fail\n', stderr: 'bad input: x.fits\n' });
  });

  it('cancels a running job (CANCELED); cancelling again or an unknown id is harmless', async () => {
    const b = backend();
    const id = await b.submit({ name: 'ssh-sleep', script: SLEEPING, workdir: workdir('cancel') });
    try {
      await waitForJob(b, id, (s) => s.state === 'RUNNING');
      await b.cancel(id);
      expect(await waitForJob(b, id)).toMatchObject({ state: 'CANCELED', native: 'CANCELLED' });
      await b.cancel(id);
      await b.cancel('987654');
    } finally {
      await b.cancel(id);
    }
  });

  it('refuses sbatch errors as jobs.submitFailed with Slurm’s message', async () => {
    await expect(
      backend().submit({ name: 'bad', script: TRIVIAL, workdir: workdir('bad'), resources: { partition: 'nosuch' } }),
    ).rejects.toMatchObject({ code: 'jobs.submitFailed', message: expect.stringContaining('Invalid partition name specified') });
  });

  it('answers notFound for an id Slurm never had', async () => {
    await expect(backend().status('987654')).rejects.toMatchObject({ code: 'notFound' });
  });

  it('reports outputs missing when the job directory is gone', async () => {
    const b = backend();
    const spec = { name: 'gone', script: TRIVIAL, workdir: workdir('gone') };
    const id = await b.submit(spec);
    await waitForJob(b, id);
    execFileSync('rm', ['-rf', spec.workdir]);
    await expect(b.fetchOutputs({ nativeId: id, spec }, join(local, 'gone'))).rejects.toMatchObject({ code: 'jobs.outputsMissing' });
  });
});

describe('SSH host keys and credentials', () => {
  it('refuses a CHANGED host key with a clear message, even when its fingerprint is offered for acceptance', async () => {
    const dir = mkdtempSync(join(local, 'changed-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
    const other = readFileSync(join(dir, 'other.pub'), 'utf8').split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[${env.sshHost}]:${env.sshPort} ${other}\n`);
    for (const acceptFingerprint of [undefined, hostFingerprint]) {
      const err = await SshSession.connect({ ...base, knownHostsPath: join(dir, 'known_hosts'), ...(acceptFingerprint ? { acceptFingerprint } : {}) }).then(
        (s) => {
          s.close();
          return undefined;
        },
        (e: unknown) => e as { code: string; message: string; details: { fingerprint: string } },
      );
      expect(err?.code).toBe('jobs.hostKeyChanged');
      expect(err?.message).toContain('CHANGED');
      expect(err?.message).toContain(hostFingerprint);
      expect(err?.details.fingerprint).toBe(hostFingerprint);
    }
    expect(readFileSync(join(dir, 'known_hosts'), 'utf8')).toBe(`[${env.sshHost}]:${env.sshPort} ${other}\n`);
  });

  it('stops at an unknown host with its SHA256 fingerprint; accepting that fingerprint connects and remembers it', async () => {
    const kh = join(local, 'empty_known_hosts');
    await expect(SshSession.connect({ ...base, knownHostsPath: kh })).rejects.toMatchObject({
      code: 'jobs.hostKeyUnknown',
      details: { fingerprint: hostFingerprint },
    });
    await expect(SshSession.connect({ ...base, knownHostsPath: kh, acceptFingerprint: 'SHA256:somethingElse' })).rejects.toMatchObject({ code: 'jobs.hostKeyUnknown' });
    const s = await SshSession.connect({ ...base, knownHostsPath: kh, acceptFingerprint: hostFingerprint });
    expect((await s.exec('whoami')).stdout.trim()).toBe(env.user);
    s.close();
    // remembered in a form OpenSSH reads: ssh-keygen finds it, and the next connection needs no acceptance
    expect(execFileSync('ssh-keygen', ['-F', `[${env.sshHost}]:${env.sshPort}`, '-f', kh], { encoding: 'utf8' })).toContain('ssh-ed25519');
    const again = await SshSession.connect({ ...base, knownHostsPath: kh });
    again.close();
  });

  it('verifies against a hashed known_hosts (ssh-keygen -H)', async () => {
    const kh = join(local, 'hashed_known_hosts');
    copyFileSync(base.knownHostsPath, kh);
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const s = await SshSession.connect({ ...base, knownHostsPath: kh });
    expect((await s.exec('echo $((6*7))')).stdout).toBe('42\n');
    s.close();
  });

  it('reports a key the server does not accept as jobs.authFailed, a closed port as jobs.backendUnreachable', async () => {
    const dir = mkdtempSync(join(local, 'wrongkey-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
    await expect(SshSession.connect({ ...base, privateKeyPath: join(dir, 'k') })).rejects.toMatchObject({ code: 'jobs.authFailed' });
    await expect(backend({ port: 1 }).status('1')).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('authenticates through ssh-agent', async () => {
    const sock = join(local, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', ['-q', base.privateKeyPath!], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const { privateKeyPath: _k, ...withoutKey } = base;
      const s = await SshSession.connect({ ...withoutKey, agent: sock });
      expect((await s.exec('whoami')).stdout.trim()).toBe(env.user);
      s.close();
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('stops a remote command that exceeds its timeout', async () => {
    const s = await SshSession.connect(base);
    try {
      const t0 = Date.now();
      await expect(s.exec('sleep 2', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('300 ms') });
      expect(Date.now() - t0).toBeLessThan(1_500);
      expect((await s.exec('echo still usable')).stdout).toBe('still usable\n');
    } finally {
      s.close();
    }
  });

  it('reconnects after the connection drops', async () => {
    const b = backend();
    const first = await b.connect();
    first.close();
    await expect(b.status('987654')).rejects.toMatchObject({ code: 'notFound' });
    expect(await b.connect()).not.toBe(first);
  });
});
