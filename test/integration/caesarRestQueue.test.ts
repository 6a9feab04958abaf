/**
 * POST /job answers before the job is started (as caesar-rest with Celery); the submission waits in a queue kept
 * on disk. A job accepted but not yet submitted when the service stopped is submitted by the next start; a
 * submission the backend refuses leaves the job ABORTED with the reason; a job cancelled while queued never runs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp, containerAppFromSpec } from '../../src/main/apps';
import { CaesarRestClient } from '../../src/main/caesar-rest/client';
import { serve } from '../../src/main/caesar-rest/service';
import { CIRASA_FROM_SOURCES, runCirasa } from './helpers/jobs';

let dir: string;
let image: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-queue-'));
  image = join(dir, 'q.fits');
  expect((await runCirasa(['simulate', '--size', '128', '--count', '5', '--seed', '5', '--out', image])).code).toBe(0);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const sleeper = containerAppFromSpec({ id: 'sleeper', image: 'none', command: ['sh', '-c', 'sleep 60'], options: { delay: { type: 'number', default: 0 } }, outputs: ['out.json'], format: 'caesar-json' });

const start = (name: string, profile: Parameters<typeof serve>[0]['profile'] = { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }) =>
  serve({ host: '127.0.0.1', port: 0, auth: { mode: 'none' }, dataDir: join(dir, name, 'data'), jobDir: join(dir, name, 'jobs'), apps: [builtinApp, sleeper], profile, monitorPeriodMs: 100, log: () => {} });

describe('cirasa serve submission queue', () => {
  it('a job recorded but not submitted before a stop is submitted by the next start and runs to SUCCESS', async () => {
    const first = await start('resume');
    const client = new CaesarRestClient({ baseUrl: first.url });
    const up = await client.upload(image);
    await first.close(1000);
    // what POST /job leaves on disk before the queue submits: the ownership record with its submission
    const jobId = '11111111-2222-4333-8444-555555555555';
    await mkdir(join(dir, 'resume', 'jobs', 'anonymous'), { recursive: true });
    await writeFile(join(dir, 'resume', 'jobs', 'anonymous', `job_${jobId}.json`), JSON.stringify({
      job_id: jobId, submit_date: '2026-11-24T23:00:00.000000', app: 'builtin', job_inputs: { seedSigma: 5 }, data_inputs: up.uuid, tag: '',
      queued: { app: 'builtin', options: { seedSigma: 5 }, input: join(dir, 'resume', 'data', 'anonymous', `${up.uuid}.fits`) },
    }));
    const second = await start('resume');
    try {
      const c2 = new CaesarRestClient({ baseUrl: second.url });
      const done = await c2.waitForJob(jobId, { intervalMs: 100, timeoutMs: 60_000 });
      expect(done.state, done.status).toBe('SUCCESS');
      const s = await c2.sources(jobId);
      expect(s.ready && s.value.sources.length).toBeGreaterThan(0);
    } finally {
      await second.close(1000);
    }
  }, 90_000);

  it('a submission the backend refuses: 202 first, then ABORTED with the reason; outputs stay 202 as the spec says', async () => {
    const srv = await start('refused', { type: 'caesar-rest', url: 'http://127.0.0.1:9', timeoutMs: 500 });
    try {
      const client = new CaesarRestClient({ baseUrl: srv.url });
      const up = await client.upload(image);
      const sub = await client.submit({ app: 'builtin', jobInputs: { seedSigma: 5 }, dataInputs: up.uuid });
      expect(sub.state).toBe('PENDING');
      const done = await client.waitForJob(sub.job_id, { intervalMs: 50, timeoutMs: 20_000 });
      expect(done.state).toBe('ABORTED');
      expect(done.status).toMatch(/^Job failed to be submitted! \(err=.*127\.0\.0\.1:9/);
      expect((await client.sources(sub.job_id)).ready).toBe(false);
      expect((await client.jobs()).find((j) => j.job_id === sub.job_id)).not.toHaveProperty('queued');
    } finally {
      await srv.close(1000);
    }
  }, 30_000);

  it('an option our validator refuses is still a 400 at POST /job (not a later ABORTED)', async () => {
    const srv = await start('invalid');
    try {
      const client = new CaesarRestClient({ baseUrl: srv.url });
      const up = await client.upload(image);
      await expect(client.submit({ app: 'builtin', jobInputs: { seedSigma: -5 }, dataInputs: up.uuid })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('seedSigma') });
      expect(await client.jobs()).toEqual([]);
    } finally {
      await srv.close(1000);
    }
  }, 30_000);

  it('a job cancelled while still queued is never submitted and reads CANCELED', async () => {
    const first = await start('canceled');
    const up = await new CaesarRestClient({ baseUrl: first.url }).upload(image);
    await first.close(1000);
    const jobId = '66666666-7777-4888-8999-000000000000';
    await mkdir(join(dir, 'canceled', 'jobs', 'anonymous'), { recursive: true });
    await writeFile(join(dir, 'canceled', 'jobs', 'anonymous', `job_${jobId}.json`), JSON.stringify({
      job_id: jobId, submit_date: '2026-11-24T23:00:00.000000', app: 'builtin', job_inputs: {}, data_inputs: up.uuid, tag: '', canceled: true,
      queued: { app: 'builtin', options: {}, input: join(dir, 'canceled', 'data', 'anonymous', `${up.uuid}.fits`) },
    }));
    const srv = await start('canceled');
    try {
      const client = new CaesarRestClient({ baseUrl: srv.url });
      await new Promise((r) => setTimeout(r, 500));
      expect((await client.status(jobId)).state).toBe('CANCELED');
      // no job directory was made: nothing ran
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dir, 'canceled', 'jobs', 'jobs'))).toBe(false);
      // cancelling again is answered, as caesar-rest does for CANCELED
      expect(await client.cancel(jobId)).toBe('Job canceled and status updated in DB');
    } finally {
      await srv.close(1000);
    }
  }, 30_000);

  it('submit and cancel at once, 20 jobs in parallel: every one ends CANCELED and stays so once the queue drained', async () => {
    const srv = await start('race');
    try {
      const client = new CaesarRestClient({ baseUrl: srv.url });
      const up = await client.upload(image);
      const ids = await Promise.all(Array.from({ length: 20 }, async () => {
        const sub = await client.submit({ app: 'sleeper', jobInputs: { delay: 1 }, dataInputs: up.uuid });
        expect(await client.cancel(sub.job_id)).toBe('Job canceled and status updated in DB');
        return sub.job_id;
      }));
      // let the queue submit (and cancel) whatever it had picked up, and the monitor pass
      await new Promise((r) => setTimeout(r, 1500));
      const states = await Promise.all(ids.map(async (id) => (await client.status(id)).state));
      expect(states).toEqual(ids.map(() => 'CANCELED'));
    } finally {
      await srv.close(1000);
    }
  }, 60_000);
});
