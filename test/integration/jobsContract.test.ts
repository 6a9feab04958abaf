import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import { bindContract, type Dispatch } from '../../src/main/transport/bindContract';
import type { JobInfo } from '../../src/shared/contract/jobs';
import { TERMINAL_JOB_STATES } from '../../src/shared/contract/jobs';
import type { Result } from '../../src/shared/contract/errors';
import { CIRASA_FROM_SOURCES, runCirasa } from './helpers/jobs';

// The jobs.* contract through the one binding over the real services (createServices: store, JobService,
// local backend, builtin app running `cirasa find` from the sources) on a simulated 256² image.

let dir: string;
let image: string;
let services: Services;
let dispatch: Dispatch;
const events: JobInfo[] = [];

async function call<T>(name: string, input: unknown): Promise<Result<T>> {
  return (await dispatch(name, input, { transport: 'test' })) as Result<T>;
}
async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await call<T>(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobs-contract-'));
  image = join(dir, 'sim.fits');
  const r = await runCirasa(['simulate', '--size', '256', '--out', image, '--count', '15', '--seed', '11']);
  expect(r.code, r.stderr).toBe(0);
  const dataDir = join(dir, 'data');
  await mkdir(join(dataDir, 'profiles'), { recursive: true });
  // the local profile, pointed at this checkout's sources (no build needed)
  await writeFile(join(dataDir, 'profiles', 'local.json'), JSON.stringify({ type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }));
  // a profile naming a secret file: listed by name, the file's path and content never reach the client
  await writeFile(join(dataDir, 'profiles', 'cluster.json'), JSON.stringify({
    type: 'slurm-ssh', name: 'Cluster', host: 'hpc.example.org', user: 'astro', keyFile: join(dir, 'id_secret_key'),
    knownHostsFile: join(dir, 'known_hosts'), workRoot: '/scratch/astro',
  }));
  await writeFile(join(dataDir, 'profiles', 'broken.json'), '{"type":"local","token":"s3cr3t"}');
  services = await createServices({ mode: 'web', dataDir, noSample: true });
  services.events.subscribe((name, payload) => {
    if (name === 'job.statusChanged') events.push((payload as { job: JobInfo }).job);
  });
  dispatch = bindContract(services.handlers);
}, 60_000);

afterAll(async () => {
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function waitDone(id: string, timeoutMs = 120_000): Promise<JobInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await ok<JobInfo[]>('jobs.list', {})).find((j) => j.id === id);
    if (job && TERMINAL_JOB_STATES.includes(job.state)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job?.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('jobs.* contract over the real services', () => {
  it('lists the finder apps with their option schemas', async () => {
    const apps = await ok<{ id: string; optionsSchema: { properties: Record<string, { default?: unknown }> } }[]>('jobs.apps', {});
    const builtin = apps.find((a) => a.id === 'builtin');
    expect(builtin).toBeDefined();
    expect(builtin!.optionsSchema.properties.seedSigma?.default).toBeTypeOf('number');
    expect(apps.map((a) => a.id)).toEqual(expect.arrayContaining(['builtin', 'sextractor', 'caesar']));
  });

  it('lists local and the valid profile files, without secrets; a bad file is left out', async () => {
    const profiles = await ok<{ name: string; type: string; description: string }[]>('jobs.profiles', {});
    expect(profiles.map((p) => p.name)).toEqual(['local', 'cluster']);
    expect(profiles[1]!.type).toBe('slurm-ssh');
    const wire = JSON.stringify(profiles);
    expect(wire).not.toContain('id_secret_key');
    expect(wire).not.toContain('s3cr3t');
  });

  it('submits the builtin finder with the local profile: SUCCESS, and openResult gives a catalogue with sources', async () => {
    const jobs = await ok<JobInfo[]>('jobs.submit', { app: 'builtin', options: {}, imagePaths: [image], profile: 'local', tag: 'contract' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.tag).toBe('contract');
    const done = await waitDone(jobs[0]!.id);
    expect(done.state, done.messages.join(' | ')).toBe('SUCCESS');
    const { catalogueId } = await ok<{ catalogueId: number }>('jobs.openResult', { jobId: done.id });
    expect(done.catalogueId).toBe(catalogueId);
    const cats = await ok<{ catalogueId: number; sourceCount: number }[]>('catalogue.list', {});
    const cat = cats.find((c) => c.catalogueId === catalogueId);
    expect(cat?.sourceCount).toBeGreaterThan(5);
    // events carried the job to SUCCESS with its catalogue
    expect(events.filter((e) => e.id === done.id).at(-1)).toMatchObject({ state: 'SUCCESS', catalogueId });
    const logs = await ok<{ stdout: string; stderr: string }>('jobs.logs', { jobId: done.id });
    expect(typeof logs.stderr).toBe('string');
    // cancel of a finished job answers it as it is
    expect((await ok<JobInfo>('jobs.cancel', { jobId: done.id })).state).toBe('SUCCESS');
  }, 150_000);

  it('an invalid option is a validation error naming the option, and submits nothing', async () => {
    const before = (await ok<JobInfo[]>('jobs.list', {})).length;
    const r = await call('jobs.submit', { app: 'builtin', options: { seedSigma: 'lots' }, imagePaths: [image], profile: 'local' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation');
      expect(r.error.message).toContain('seedSigma');
    }
    expect((await ok<JobInfo[]>('jobs.list', {})).length).toBe(before);
  });

  it('unknown profile and unknown job are clear errors', async () => {
    const p = await call('jobs.submit', { app: 'builtin', options: {}, imagePaths: [image], profile: 'nowhere' });
    expect(!p.ok && p.error.code === 'validation' && p.error.message.includes('nowhere')).toBe(true);
    const o = await call('jobs.openResult', { jobId: 'no-such-job' });
    expect(!o.ok && o.error.code).toBe('notFound');
  });
});
