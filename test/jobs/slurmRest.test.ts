import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MappedFiles } from '../../src/main/jobs/remoteFiles';
import { KeyFileTokenSource, StaticTokenSource, signSlurmJwt, type TokenSource } from '../../src/main/jobs/slurm-rest/jwt';
import { SlurmRestBackend } from '../../src/main/jobs/slurm-rest/slurmRestBackend';
import { sftpStaging } from '../../src/main/jobs/slurm-ssh/sshConnector';
import { runInfra } from './env';
import { FAILING, SLEEPING, TRIVIAL, knownJobIds, userWorkdir, waitForJob } from './helpers';

const env = inject('jobsEnv');
const files = new MappedFiles([{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }]);

function backend(tokens?: TokenSource, extra: { version?: string; timeoutMs?: number } = {}): SlurmRestBackend {
  return new SlurmRestBackend({
    baseUrl: env.restUrl,
    user: env.user,
    tokens: tokens ?? new KeyFileTokenSource({ keyFile: env.jwtKeyFile, user: env.user }),
    files,
    ...extra,
  });
}

const running: { b: SlurmRestBackend; id: string }[] = [];
afterAll(async () => {
  for (const { b, id } of running) await b.cancel(id).catch(() => undefined);
});

describe('slurm-rest against a real slurmrestd 22.05', () => {
  it('discovers the newest verified API version the server offers', async () => {
    expect(await backend().client.version()).toBe('v0.0.38');
  });

  it.each(['v0.0.36', 'v0.0.37', 'v0.0.38'])('runs a trivial script to SUCCESS through %s and reads its output', async (version) => {
    const b = backend(undefined, { version });
    const workdir = userWorkdir(env, `ok-${version}`);
    const spec = { name: `ok-${version}`, script: TRIVIAL, workdir, env: { FOO: 'bar baz' }, resources: { cpus: 1, memoryMb: 100, timeMinutes: 2, partition: 'debug' } };
    const id = await b.submit(spec);
    expect(id).toMatch(/^\d+$/);
    const s = await waitForJob(b, id);
    expect(s).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 });
    expect(s.endTime).toBeGreaterThanOrEqual(s.startTime!);
    const logs = await b.fetchLogs({ nativeId: id, spec });
    expect(logs.stdout).toBe(`hello bar baz from ${execFileSync('hostname', ['-s'], { encoding: 'utf8' }).trim()}\n`);
    expect(logs.stderr).toBe('');
    const out = mkdtempSync(join(tmpdir(), 'rest-out-'));
    const fetched = await b.fetchOutputs({ nativeId: id, spec }, out);
    expect(fetched.map((f) => f.slice(out.length + 1)).sort()).toEqual(['result.txt', `slurm-${id}.err`, `slurm-${id}.out`]);
    expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('done\n');
    rmSync(out, { recursive: true });
  });

  it('reports a failing job as FAILURE with the decoded exit code and readable stderr', async () => {
    const b = backend();
    const spec = { name: 'failing', script: FAILING, workdir: userWorkdir(env, 'fail'), env: { BAD: 'x.fits' } };
    const id = await b.submit(spec);
    const s = await waitForJob(b, id);
    expect(s).toMatchObject({ state: 'FAILURE', native: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode' });
    expect(s.signal).toBeUndefined();
    expect(await b.fetchLogs({ nativeId: id, spec })).toEqual({ stdout: 'about to fail\n', stderr: 'bad input: x.fits\n' });
  });

  it('cancels a running job (CANCELED), and cancelling again is harmless', async () => {
    const b = backend();
    const id = await b.submit({ name: 'sleeper', script: SLEEPING, workdir: userWorkdir(env, 'cancel') });
    running.push({ b, id });
    await waitForJob(b, id, (s) => s.state === 'RUNNING');
    await b.cancel(id);
    const s = await waitForJob(b, id);
    expect(s).toMatchObject({ state: 'CANCELED', native: 'CANCELLED' });
    await b.cancel(id);
  });

  it('answers notFound for a job id slurmctld does not know', async () => {
    await expect(backend().status('987654')).rejects.toMatchObject({ code: 'notFound' });
  });

  it('renews a token that expires between requests, and one the server rejects as expired', async () => {
    const short = new KeyFileTokenSource({ keyFile: env.jwtKeyFile, user: env.user, lifetimeSeconds: 3, renewBeforeSeconds: 1 });
    const b = backend(short);
    await b.client.ping();
    expect(short.signedCount).toBe(1);
    await new Promise((r) => setTimeout(r, 2_200)); // < 1 s left: renewed before use
    await b.client.ping();
    expect(short.signedCount).toBe(2);

    // a clock 2 h behind signs tokens slurmctld sees as long expired: the first request is rejected, the client
    // renews the token and retries once with a fresh one
    let skewed = true;
    const stale = new KeyFileTokenSource({
      keyFile: env.jwtKeyFile,
      user: env.user,
      now: () => Math.floor(Date.now() / 1000) - (skewed ? 7200 : 0),
    });
    const original = stale.invalidate.bind(stale);
    stale.invalidate = () => {
      skewed = false;
      return original();
    };
    const id = await backend(stale).submit({ name: 'after-renewal', script: TRIVIAL, workdir: userWorkdir(env, 'renew') });
    expect(stale.signedCount).toBe(2);
    expect((await waitForJob(backend(), id)).state).toBe('SUCCESS');
  });

  it('uses a pasted token from scontrol token; refuses an expired one and a wrong key clearly', async () => {
    const line = execFileSync('scontrol', ['token', `username=${env.user}`, 'lifespan=120'], { encoding: 'utf8' });
    const pasted = line.trim().replace(/^SLURM_JWT=/, '');
    await expect(backend(new StaticTokenSource(pasted)).client.ping()).resolves.toBeTruthy();

    const expired = signSlurmJwt(readFileSync(env.jwtKeyFile), env.user, Math.floor(Date.now() / 1000) - 600, 60);
    await expect(backend(new StaticTokenSource(expired)).submit({ name: 'x', script: TRIVIAL, workdir: env.scratchDir })).rejects.toMatchObject({
      code: 'jobs.authFailed',
      message: expect.stringContaining('expired'),
    });
    // a token signed with the wrong key reaches the server: its 500 is reported as an auth failure
    const dir = mkdtempSync(join(tmpdir(), 'badkey-'));
    execFileSync('dd', ['if=/dev/urandom', `of=${join(dir, 'k')}`, 'bs=32', 'count=1', 'status=none']);
    const before = knownJobIds(env).length;
    const err = await backend(new KeyFileTokenSource({ keyFile: join(dir, 'k'), user: env.user }))
      .submit({ name: 'x', script: TRIVIAL, workdir: env.scratchDir })
      .then(() => ({ code: 'none', message: 'submitted' }), (e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'jobs.authFailed' });
    expect(err.message).not.toMatch(/eyJ/); // never a token in a message
    expect(knownJobIds(env).length).toBe(before);
    rmSync(dir, { recursive: true });
  });

  it('stages inputs, logs and outputs over SFTP when there is no shared file system', async () => {
    const staging = sftpStaging({
      host: env.sshHost,
      port: env.sshPort,
      username: env.user,
      privateKeyPath: join(env.sshDir, 'client_ed25519'),
      knownHostsPath: join(env.sshDir, 'known_hosts'),
    });
    const b = new SlurmRestBackend({ baseUrl: env.restUrl, user: env.user, tokens: new KeyFileTokenSource({ keyFile: env.jwtKeyFile, user: env.user }), files: staging });
    const local = mkdtempSync(join(tmpdir(), 'rest-sftp-'));
    try {
      writeFileSync(join(local, 'image.txt'), 'pixels\n');
      const spec = {
        name: 'staged',
        script: '#!/bin/bash\ntr a-z A-Z < image.txt > catalogue.txt\n',
        workdir: `${env.sshWorkBase}/rest-staged-${process.pid}`,
        inputs: [{ localPath: join(local, 'image.txt'), remoteName: 'image.txt' }],
      };
      const id = await b.submit(spec);
      expect(await waitForJob(b, id)).toMatchObject({ state: 'SUCCESS' });
      await b.fetchOutputs({ nativeId: id, spec }, join(local, 'out'));
      expect(readFileSync(join(local, 'out', 'catalogue.txt'), 'utf8')).toBe('PIXELS\n');
      expect(await b.fetchLogs({ nativeId: id, spec })).toEqual({ stdout: '', stderr: '' });
    } finally {
      await b.close();
      rmSync(local, { recursive: true });
    }
  });

  it('reports outputs missing when the job directory is gone', async () => {
    const b = backend();
    const workdir = userWorkdir(env, 'gone');
    const spec = { name: 'gone', script: TRIVIAL, workdir };
    const id = await b.submit(spec);
    await waitForJob(b, id);
    rmSync(workdir, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'gone-'));
    await expect(b.fetchOutputs({ nativeId: id, spec }, out)).rejects.toMatchObject({
      code: 'jobs.outputsMissing',
      message: expect.stringContaining(workdir),
    });
    rmSync(out, { recursive: true });
  });

  describe('slurmrestd down', () => {
    const restart = (): string => runInfra('slurm-up.sh', { RUNDIR: env.slurmRundir, REST_PORT: String(env.restPort), TEST_USER: env.user });
    const stopRest = (): string => runInfra('slurm-down.sh', { RUNDIR: env.slurmRundir, ONLY: 'slurmrestd' });
    afterAll(() => restart());

    it('at submit: jobs.backendUnreachable, and nothing was queued', async () => {
      const b = backend(undefined, { timeoutMs: 3_000 });
      await b.client.version(); // discovered while up: the failure is the submit itself
      stopRest();
      const before = knownJobIds(env);
      const err = await b
        .submit({ name: 'never', script: TRIVIAL, workdir: userWorkdir(env, 'down') })
        .then(() => ({ code: 'none', message: 'submitted' }), (e: unknown) => e as { code: string; message: string });
      expect(err).toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining(`127.0.0.1:${env.restPort}`) });
      expect(err.message).toContain('ECONNREFUSED');
      expect(knownJobIds(env)).toEqual(before);
      restart();
    });

    it('during monitoring: status fails with backendUnreachable while down, then reports the real final state', async () => {
      const b = backend(undefined, { timeoutMs: 3_000 });
      const spec = { name: 'monitored', script: '#!/bin/bash\nsleep 2\necho finished\n', workdir: userWorkdir(env, 'monitor') };
      const id = await b.submit(spec);
      await waitForJob(b, id, (s) => s.state === 'RUNNING');
      stopRest();
      await expect(b.status(id)).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
      await new Promise((r) => setTimeout(r, 2_500)); // the job ends while nobody can ask
      restart();
      expect(await waitForJob(b, id)).toMatchObject({ state: 'SUCCESS', exitCode: 0 });
      expect((await b.fetchLogs({ nativeId: id, spec })).stdout).toBe('finished\n');
    });
  });
});
