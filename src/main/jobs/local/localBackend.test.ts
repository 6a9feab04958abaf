import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec, JobStatus } from '../types';
import { LocalBackend } from './localBackend';
import { isAlive } from './processProbe';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-backend-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function spec(command: string[], extra: Partial<JobSpec> = {}): JobSpec {
  return { name: 't', command, workdir: join(root, `job${++n}`), ...extra };
}

async function waitFinal(b: LocalBackend, id: string, timeoutMs = 10000): Promise<JobStatus> {
  const t0 = Date.now();
  for (;;) {
    const s = await b.status(id);
    if (!['PENDING', 'STARTED', 'RUNNING'].includes(s.state)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`still ${s.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('LocalBackend', () => {
  it('runs a command in its directory with linked inputs; SUCCESS with stdout in the logs', async () => {
    const b = new LocalBackend();
    const input = join(root, 'in.txt');
    await writeFile(input, 'hello input\n');
    const s = spec(['sh', '-c', 'cat data.txt; echo $OMP_NUM_THREADS; pwd'], { inputs: [{ localPath: input, remoteName: 'data.txt' }], resources: { cpus: 3 } });
    const id = await b.submit(s);
    const st = await waitFinal(b, id);
    expect(st).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 });
    expect(st.endTime).toBeGreaterThanOrEqual(st.startTime!);
    const logs = await b.fetchLogs({ nativeId: id, spec: s });
    expect(logs.stdout).toBe(`hello input\n3\n${s.workdir}\n`);
    const files = await b.fetchOutputs({ nativeId: id, spec: s }, s.workdir);
    expect(files).toContain(join(s.workdir, 'stdout.log'));
    expect(files).not.toContain(join(s.workdir, 'data.txt')); // the linked input is not an output
  });

  it('a failing command is FAILURE with its exit code and stderr', async () => {
    const b = new LocalBackend();
    const s = spec(['sh', '-c', 'echo "no such image: x.fits" >&2; exit 3']);
    const id = await b.submit(s);
    expect(await waitFinal(b, id)).toMatchObject({ state: 'FAILURE', exitCode: 3, reason: 'exit code 3' });
    expect((await b.fetchLogs({ nativeId: id, spec: s })).stderr).toBe('no such image: x.fits\n');
  });

  it('cancel ends the whole process group (SIGTERM, then SIGKILL for one that ignores it): CANCELED', async () => {
    const b = new LocalBackend({ killGraceMs: 300 });
    // a grandchild that ignores SIGTERM: only SIGKILL to the group ends it
    const s = spec(['sh', '-c', "sh -c 'trap \"\" TERM; echo $$ > grandchild.pid; sleep 30' & wait"]);
    const id = await b.submit(s);
    const t0 = Date.now();
    while (!(await import('node:fs')).existsSync(join(s.workdir, 'grandchild.pid'))) {
      if (Date.now() - t0 > 5000) throw new Error('job did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await b.status(id)).state).toBe('RUNNING');
    await b.cancel(id);
    expect(await waitFinal(b, id)).toMatchObject({ state: 'CANCELED' });
    const gpid = Number((await (await import('node:fs/promises')).readFile(join(s.workdir, 'grandchild.pid'), 'utf8')).trim());
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive({ pid: gpid })).toBe(false); // gone or a zombie awaiting its reaper
    await b.cancel(id); // idempotent
  });

  it.each(['prlimit', 'ulimit'] as const)('memory limit through %s caps the address space', async (memoryLimiter) => {
    const b = new LocalBackend({ memoryLimiter });
    const s = spec(['sh', '-c', 'ulimit -v'], { resources: { memoryMb: 300 } });
    const id = await b.submit(s);
    expect((await waitFinal(b, id)).state).toBe('SUCCESS');
    expect((await b.fetchLogs({ nativeId: id, spec: s })).stdout.trim()).toBe(String(300 * 1024));
  });

  it('a new backend instance (app restarted) sees a job that ended while nobody watched, and one still running', async () => {
    const s1 = spec(['true']);
    const s2 = spec(['sleep', '30']);
    const first = new LocalBackend();
    const done = await first.submit(s1);
    const running = await first.submit(s2);
    await new Promise((r) => setTimeout(r, 300));
    const second = new LocalBackend({ killGraceMs: 200 });
    expect((await second.status(done)).state).toBe('SUCCESS');
    expect((await second.status(running)).state).toBe('RUNNING');
    await second.cancel(running);
    expect((await waitFinal(second, running)).state).toBe('CANCELED');
  });

  it('a job whose process vanished without a status is FAILURE with the reason; a removed directory is notFound', async () => {
    const b = new LocalBackend();
    const s = spec(['sleep', '30']);
    const id = await b.submit(s);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(-Number(id.split('@')[0]), 'SIGKILL'); // as a reboot would
    expect(await waitFinal(b, id)).toMatchObject({ state: 'FAILURE', native: 'LOST' });
    await rm(s.workdir, { recursive: true });
    await expect(b.status(id)).rejects.toMatchObject({ code: 'notFound' });
  });
});
