import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/paths';
import { AppError } from '../../shared/contract/errors';
import { AppRegistry, containerAppFromSpec } from '../apps';
import { openStore, type Store } from '../store';
import { JobService } from './jobService';
import type { JobBackend, JobStatus } from './types';

/** A backend whose answers the test scripts; fetchOutputs copies the CAESAR fixture as the output. */
class ScriptedBackend implements JobBackend {
  readonly kind = 'slurm-rest' as const;
  answers: (JobStatus | AppError)[] = [];
  cancelled: string[] = [];
  async submit(): Promise<string> {
    return '4242';
  }
  async status(): Promise<JobStatus> {
    const a = this.answers.length > 1 ? this.answers.shift()! : this.answers[0]!;
    if (a instanceof AppError) throw a;
    return a;
  }
  async cancel(id: string): Promise<void> {
    this.cancelled.push(id);
  }
  async fetchLogs() {
    return { stdout: '', stderr: 'segfault in fit\n' };
  }
  async fetchOutputs(_job: unknown, localDir: string): Promise<string[]> {
    await copyFile(join(REPO_ROOT, 'test/fixtures/catalogue/caesar/catalog-field.json'), join(localDir, 'out.json'));
    return [join(localDir, 'out.json')];
  }
  async close(): Promise<void> {}
}

const app = containerAppFromSpec({ id: 'fake', image: 'x', command: ['run', '{input}'], options: {}, outputs: ['out.json'], format: 'caesar-json' });
const profile = { type: 'slurm-rest' as const, baseUrl: 'http://127.0.0.1:1', user: 'u', keyFile: '/k', workRoot: '/scratch', pathMappings: [{ remotePrefix: '/scratch', localPrefix: '/scratch' }] };

let dir: string;
let store: Store;
let image: string;
let service: JobService | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobservice-unit-'));
  image = join(dir, 'field.fits');
  await copyFile(join(REPO_ROOT, 'test/fixtures/catalogue/sextractor/rot30.fits'), image);
  store = openStore(':memory:');
});
afterEach(async () => {
  await service?.dispose();
  service = undefined;
});
afterAll(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

function make(backend: JobBackend): JobService {
  service = new JobService({ store, apps: new AppRegistry([app]), dataDir: dir, autoStart: false, backends: { 'slurm-rest': () => backend } });
  return service;
}

const running: JobStatus = { state: 'RUNNING', native: 'RUNNING', startTime: 1_700_000_000 };

describe('JobService monitor', () => {
  it('an unreachable backend keeps the last state (one message), then the job recovers and its outputs are imported', async () => {
    const b = new ScriptedBackend();
    const s = make(b);
    const job = await s.submit({ app: 'fake', inputs: [image], profile });
    expect(job.spec.workdir).toBe(`/scratch/${job.id}`);
    b.answers = [running];
    await s.tick();
    expect(s.get(job.id)).toMatchObject({ state: 'RUNNING', startedAt: new Date(1_700_000_000_000).toISOString() });
    const down = new AppError('jobs.backendUnreachable', 'slurmrestd at http://127.0.0.1:1 did not answer');
    b.answers = [down, down];
    await s.tick();
    await s.tick();
    const during = s.get(job.id);
    expect(during.state).toBe('RUNNING');
    expect(during.messages.filter((m) => m.includes('did not answer'))).toHaveLength(1);
    b.answers = [{ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0, startTime: 1_700_000_000, endTime: 1_700_000_060 }];
    await s.tick();
    const done = s.get(job.id);
    expect(done, done.messages.join('\n')).toMatchObject({ state: 'SUCCESS', exitCode: 0, finishedAt: new Date(1_700_000_060_000).toISOString() });
    expect(store.catalogues.get(done.catalogueId!)).toMatchObject({ sourceCount: 4, runId: job.id });
  });

  it('FAILURE carries the reason and the stderr tail; a job the backend forgot is FAILURE', async () => {
    const b = new ScriptedBackend();
    const s = make(b);
    const a = await s.submit({ app: 'fake', inputs: [image], profile });
    b.answers = [{ state: 'FAILURE', native: 'FAILED', exitCode: 139, reason: 'NonZeroExitCode' }];
    await s.tick();
    expect(s.get(a.id).messages.slice(-2)).toEqual(['NonZeroExitCode', 'stderr: segfault in fit']);
    const c = await s.submit({ app: 'fake', inputs: [image], profile });
    b.answers = [new AppError('notFound', 'job 4242 unknown')];
    await s.tick();
    expect(s.get(c.id)).toMatchObject({ state: 'FAILURE' });
  });

  it('timeout cancels on the backend and ends TIMED-OUT; a cancel is not overwritten by a late poll', async () => {
    const b = new ScriptedBackend();
    const s = make(b);
    const job = await s.submit({ app: 'fake', inputs: [image], profile, timeoutMs: 1 });
    b.answers = [running];
    await new Promise((r) => setTimeout(r, 5));
    await s.tick();
    expect(s.get(job.id).state).toBe('TIMED-OUT');
    expect(b.cancelled).toEqual(['4242']);
    const j2 = await s.submit({ app: 'fake', inputs: [image], profile });
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    b.status = async () => {
      await slow;
      return running;
    };
    const pass = s.tick();
    await s.cancel(j2.id);
    release();
    await pass;
    expect(s.get(j2.id).state).toBe('CANCELED');
  });

  it('a job of an app this service does not know keeps its state with a note (another process may finish it)', async () => {
    const b = new ScriptedBackend();
    const job = await make(b).submit({ app: 'fake', inputs: [image], profile });
    await service!.dispose();
    service = new JobService({ store, apps: new AppRegistry([]), dataDir: dir, autoStart: false, backends: { 'slurm-rest': () => b } });
    await service.tick();
    await service.tick();
    const j = service.get(job.id);
    expect(j.state).toBe('PENDING');
    expect(j.messages.filter((m) => m.startsWith("cannot monitor here: Unknown finder app 'fake'"))).toHaveLength(1);
  });

  it('a profile type without a backend factory is a validation error and stores nothing', async () => {
    const s = make(new ScriptedBackend());
    const n = s.list().length;
    await expect(s.submit({ app: 'fake', inputs: [image], profile: { type: 'container' } })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining("No backend for profile type 'container'") });
    expect(s.list().length).toBe(n);
  });

  it('refuses a distributed run the app or the profile cannot do, storing nothing', async () => {
    const s = make(new ScriptedBackend());
    const n = s.list().length;
    await expect(s.submit({ app: 'fake', inputs: [image], profile, parts: 4 })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('fake cannot run distributed') });
    await expect(s.submit({ app: 'fake', inputs: [image], profile: { type: 'local' }, parts: 2 })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('needs a Slurm profile') });
    await expect(s.submit({ app: 'fake', inputs: [image], profile, parts: 0 })).rejects.toMatchObject({ code: 'validation' });
    expect(s.list().length).toBe(n);
  });

  it('reports progress from the app reading the stderr of a running job, in events and the list, until it ends', async () => {
    const b = new ScriptedBackend();
    let stderr = '';
    b.fetchLogs = async () => ({ stdout: '', stderr });
    const progressApp = { ...app, id: 'progressing', parseProgress: (text: string) => (/(\d+)\/(\d+)\s*$/.exec(text) ? { text: text.trim().split('\r').at(-1)!.trim(), fraction: 0.5 } : undefined) };
    const seen: (string | undefined)[] = [];
    service = new JobService({
      store, apps: new AppRegistry([progressApp]), dataDir: dir, autoStart: false, backends: { 'slurm-rest': () => b },
      onEvent: (e) => void seen.push(e.job.progress?.text),
    });
    const job = await service.submit({ app: 'progressing', inputs: [image], profile });
    b.answers = [running];
    stderr = '\rdetect 3/16   ';
    await service.tick();
    expect(service.get(job.id).progress).toEqual({ text: 'detect 3/16', fraction: 0.5 });
    await service.tick(); // unchanged: no new event
    stderr += '\rdetect 8/16   ';
    await service.tick();
    expect(service.list().find((j) => j.id === job.id)!.progress!.text).toBe('detect 8/16');
    b.answers = [{ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 }];
    await service.tick();
    expect(service.get(job.id).state).toBe('SUCCESS');
    expect(service.get(job.id).progress).toBeUndefined();
    expect(seen).toEqual([undefined, 'detect 3/16', 'detect 8/16', undefined]);
  });
});
