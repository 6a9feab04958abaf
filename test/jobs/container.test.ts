// ContainerBackend against a real podman (runc, fixed ulimits, local busybox image: shared/docs/test-infrastructure.md §3),
// set up by scripts/test-infra/container-setup.sh. Skipped only outside CI when podman is not installed; in CI
// (CI=true) a missing podman fails the run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBackend, type ContainerBackendOptions } from '../../src/main/jobs/backends/container/containerBackend';
import { findOnPath } from '../../src/main/jobs/backends/container/engine';
import type { JobSpec } from '../../src/main/jobs/types';
import { realImage } from '../helpers/paths';
import { runInfra } from './env';
import { waitForJob } from './helpers';

const IMAGE = 'localhost/busybox:test';
const SEX_IMAGE = 'localhost/sextractor:test';
const inCi = process.env.CI === 'true';
const havePodman = findOnPath('podman') !== undefined;
const OPTIONS: ContainerBackendOptions = { engine: 'podman', runtime: 'runc', pull: 'never', image: IMAGE };

describe.skipIf(!inCi && !havePodman)('container backend on a real podman', () => {
  let dir = '';
  let backend: ContainerBackend;
  const started: string[] = [];
  let n = 0;
  const spec = (over: Partial<JobSpec>): JobSpec => ({ name: `t${++n}`, workdir: join(dir, `job${n}`), ...over });
  const submit = async (s: JobSpec, b = backend): Promise<string> => {
    const id = await b.submit(s);
    started.push(id);
    return id;
  };

  beforeAll(() => {
    const t0 = Date.now();
    // installs podman in CI when missing (then it must be there); the Debian+source-extractor image takes ~20 s once
    runInfra('container-setup.sh', { IMAGE, WITH_SEX_IMAGE: '1' });
    if (!findOnPath('podman')) throw new Error('podman is missing after container-setup.sh');
    console.log(`container-setup.sh ${Date.now() - t0} ms`);
    dir = mkdtempSync(join(tmpdir(), 'cirasa-container-it-'));
    backend = new ContainerBackend(OPTIONS);
  });

  afterAll(async () => {
    for (const id of started) await backend.remove(id);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a job reads its read-only input and writes to its directory → SUCCESS, output present, logs', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'survey pixels\n');
    const s = spec({
      command: ['sh', '-c', 'cat image.txt > copy.txt; echo "$GREETING"; echo to-stderr >&2; if echo x > image.txt; then echo WRITABLE; fi'],
      env: { GREETING: 'hello from the container' },
      inputs: [{ localPath: input, remoteName: 'image.txt' }],
      resources: { cpus: 1, memoryMb: 64 },
    });
    const id = await submit(s);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const st = await waitForJob(backend, id);
    expect(st).toMatchObject({ state: 'SUCCESS', exitCode: 0, native: expect.stringMatching(/^(exited|stopped)$/) });
    expect(st.endTime! - st.startTime!).toBeLessThan(10);
    expect(readFileSync(join(s.workdir, 'copy.txt'), 'utf8')).toBe('survey pixels\n');
    expect(readFileSync(input, 'utf8')).toBe('survey pixels\n');
    const logs = await backend.fetchLogs({ nativeId: id, spec: s });
    expect(logs.stdout).toBe('hello from the container\n');
    expect(logs.stderr).toMatch(/^to-stderr\n.*image\.txt: Read-only file system/s);
    const local = join(dir, 'fetched');
    expect(await backend.fetchOutputs({ nativeId: id, spec: s }, local)).toEqual([join(local, 'copy.txt')]);
  });

  it('a failing command → FAILURE with its exit code and stderr', async () => {
    const s = spec({ command: ['sh', '-c', 'echo "bad input: $BAD" >&2; exit 3'], env: { BAD: 'NaN' } });
    const id = await submit(s);
    const st = await waitForJob(backend, id);
    expect(st).toMatchObject({ state: 'FAILURE', exitCode: 3, reason: 'Exited with code 3' });
    expect((await backend.fetchLogs({ nativeId: id, spec: s })).stderr).toBe('bad input: NaN\n');
  });

  it('a command missing from the image → jobs.submitFailed with podman stderr, and no container left', async () => {
    const before = execFileSync('podman', ['ps', '-a', '-q'], { encoding: 'utf8' });
    await expect(backend.submit(spec({ command: ['no-such-finder'] }))).rejects.toMatchObject({
      code: 'jobs.submitFailed',
      message: expect.stringContaining('executable file not found'),
    });
    expect(execFileSync('podman', ['ps', '-a', '-q'], { encoding: 'utf8' })).toBe(before);
  });

  it('cancel stops a sleeping container → CANCELED; cancelling again is fine', async () => {
    const s = spec({ command: ['sh', '-c', 'echo started; sleep 120'] });
    const id = await submit(s);
    await waitForJob(backend, id, (x) => x.state === 'RUNNING');
    const t0 = Date.now();
    await backend.cancel(id);
    expect(Date.now() - t0).toBeLessThan(8000); // stop -t 5: the shell as PID 1 ignores SIGTERM, SIGKILL follows
    const st = await backend.status(id);
    expect(st).toMatchObject({ state: 'CANCELED', exitCode: 137, signal: 9 });
    await backend.cancel(id);
    expect((await new ContainerBackend(OPTIONS).status(id)).state).toBe('CANCELED');
    expect(await backend.fetchOutputs({ nativeId: id, spec: s }, s.workdir)).toEqual([]);
  });

  it('--network none: the container sees only lo and cannot open a connection', async () => {
    // busybox-static's wget segfaults in a container, its nc does not
    const s = spec({ command: ['sh', '-c', 'ls /sys/class/net > ifaces.txt; ip route > routes.txt; echo | nc -w 3 1.1.1.1 80 2> nc.txt; echo $? > nc-exit.txt'] });
    const id = await submit(s);
    expect((await waitForJob(backend, id)).state).toBe('SUCCESS');
    expect(readFileSync(join(s.workdir, 'ifaces.txt'), 'utf8')).toBe('lo\n');
    expect(readFileSync(join(s.workdir, 'routes.txt'), 'utf8')).toBe('');
    expect(readFileSync(join(s.workdir, 'nc-exit.txt'), 'utf8').trim()).toBe('1');
    expect(readFileSync(join(s.workdir, 'nc.txt'), 'utf8')).toContain('Network is unreachable');
  });

  it('a NEW backend instance (app restart) finds the job by its native id and sees it finish; list() finds it too', async () => {
    const s = spec({ command: ['sh', '-c', 'sleep 2; echo done > result.txt'] });
    const id = await submit(s);
    const restarted = new ContainerBackend(OPTIONS);
    expect((await restarted.status(id)).state).toMatch(/PENDING|RUNNING/);
    const listed = (await restarted.list()).find((j) => j.nativeId === id);
    expect(listed).toMatchObject({ jobName: s.name, workdir: s.workdir, containerName: expect.stringMatching(/^cirasa-job-/) });
    expect((await waitForJob(restarted, id)).state).toBe('SUCCESS');
    expect(existsSync(join(s.workdir, 'result.txt'))).toBe(true);
  });

  it('a job above its memory limit is killed → FAILURE naming the limit', async () => {
    const s = spec({ command: ['sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived'], resources: { memoryMb: 16 } });
    const id = await submit(s);
    const st = await waitForJob(backend, id);
    expect(st).toMatchObject({ state: 'FAILURE', exitCode: 137 });
    expect(st.reason).toMatch(/memory limit of 16 MiB|Out of memory/);
    expect((await backend.fetchLogs({ nativeId: id, spec: s })).stdout).not.toContain('survived');
  });

  it('SExtractor in its Debian image on a real radio image (read-only input) gives the same catalogue as on the host', async () => {
    const image = realImage('aegean_1904-66_SIN.fits');
    const s = spec({
      image: SEX_IMAGE,
      script: '#!/bin/sh\nprintf "NUMBER\\nX_IMAGE\\nY_IMAGE\\nFLUX_AUTO\\n" > cat.param\n' +
        'exec source-extractor img.fits -CATALOG_NAME cat.txt -CATALOG_TYPE ASCII_HEAD -PARAMETERS_NAME cat.param -FILTER N\n',
      inputs: [{ localPath: image, remoteName: 'img.fits' }],
      resources: { cpus: 1, memoryMb: 512 },
    });
    const id = await submit(s);
    expect((await waitForJob(backend, id)).state).toBe('SUCCESS');
    expect((await backend.fetchLogs({ nativeId: id, spec: s })).stderr).toContain('All done');
    const catalogue = readFileSync(join(s.workdir, 'cat.txt'), 'utf8');
    const rows = catalogue.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) {
      const [, x, y] = r.trim().split(/\s+/).map(Number);
      expect(x! >= 0.5 && x! <= 192.5 && y! >= 0.5 && y! <= 192.5).toBe(true); // FITS pixels of the 192² image
    }
    if (findOnPath('source-extractor')) {
      const host = join(dir, 'host');
      execFileSync('sh', ['-c', `mkdir -p ${host} && cd ${host} && cp ${join(s.workdir, 'cat.param')} . && ` +
        `source-extractor '${image}' -CATALOG_NAME cat.txt -CATALOG_TYPE ASCII_HEAD -PARAMETERS_NAME cat.param -FILTER N 2>/dev/null`]);
      expect(catalogue).toBe(readFileSync(join(host, 'cat.txt'), 'utf8'));
    }
  });

  it('a job past its time limit is stopped by the polling backend → TIMED-OUT', async () => {
    const quick = new ContainerBackend({ ...OPTIONS, stopTimeoutS: 1 });
    const s = spec({ command: ['sleep', '60'], resources: { timeMinutes: 1 / 60 } });
    const id = await submit(s, quick);
    await new Promise((r) => setTimeout(r, 2200));
    const st = await waitForJob(quick, id, undefined, 10_000);
    expect(st).toMatchObject({ state: 'TIMED-OUT', reason: 'Stopped after its time limit of 1 s' });
  });
});
