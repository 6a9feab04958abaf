import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRegistry, BUILTIN_APPS, containerAppFromSpec } from '../../src/main/apps';
import type { JobStatusChanged } from '../../src/main/jobs/jobService';
import { JobService } from '../../src/main/jobs/jobService';
import { LocalBackend } from '../../src/main/jobs/local/localBackend';
import type { LocalProfile } from '../../src/main/jobs/profiles';
import { isAlive } from '../../src/main/jobs/local/processProbe';
import { openStore, type Store } from '../../src/main/store';
import { REPO_ROOT } from '../helpers/paths';
import { CIRASA_FROM_SOURCES, runCirasa, waitTerminal } from './helpers/jobs';

const CAESAR_FIXTURE = join(REPO_ROOT, 'test/fixtures/catalogue/caesar/catalog-field.json');

/** A finder described by JSON: its "work" is a shell line; its output a CAESAR catalogue fixture. */
function shellApp(id: string, line: string, output = 'out.json') {
  return containerAppFromSpec({ id, image: 'none', command: ['sh', '-c', line], options: { delay: { type: 'number', default: 0, minimum: 0 } }, outputs: [output], format: 'caesar-json' });
}

const apps = () =>
  new AppRegistry([
    ...BUILTIN_APPS,
    shellApp('copy', `sleep {option:delay}; cp ${CAESAR_FIXTURE} out.json`),
    shellApp('fail', 'echo "cannot open {input}: bad header" >&2; exit 2'),
    shellApp('nothing', 'true'),
    shellApp('sleeper', 'echo $$ > sleeper.pid; sleep 60'),
  ]);

let dir: string;
let image: string;
let store: Store;
const profile: LocalProfile = { type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobservice-'));
  image = join(dir, 'sim.fits');
  const r = await runCirasa(['simulate', '--size', '512', '--out', image, '--count', '40', '--seed', '3']);
  expect(r.code, r.stderr).toBe(0);
  store = openStore(join(dir, 'cirasa.sqlite'));
});
afterAll(async () => {
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

function service(extra: Partial<ConstructorParameters<typeof JobService>[0]> = {}) {
  return new JobService({ store, apps: apps(), dataDir: join(dir, 'data'), monitorPeriodMs: 100, ...extra });
}

describe('JobService on the local backend', () => {
  it('builtin finder end to end: SUCCESS, catalogue imported with sources, events in order', async () => {
    const events: JobStatusChanged[] = [];
    const s = service({ onEvent: (e) => events.push(e) });
    try {
      const job = await s.submit({ app: 'builtin', options: { seedSigma: '5' }, inputs: [image], profile, tag: 'sim' });
      expect(job.state).toBe('PENDING');
      const done = await waitTerminal(s, job.id, 120_000);
      expect(done.state, done.messages.join('\n')).toBe('SUCCESS');
      expect(done.exitCode).toBe(0);
      const cat = store.catalogues.get(done.catalogueId!)!;
      expect(cat.runId).toBe(job.id);
      expect(cat.finder).toBe('cirasa');
      expect(cat.sourceCount).toBeGreaterThan(10);
      const states = events.filter((e) => e.job.id === job.id).map((e) => e.job.state);
      expect(states[0]).toBe('PENDING');
      expect(states.at(-1)).toBe('SUCCESS');
    } finally {
      await s.dispose();
    }
  }, 150_000);

  it('sextractor end to end: its config written into the job directory, ASCII catalogue imported', async () => {
    const s = service();
    try {
      const job = await s.submit({ app: 'sextractor', options: { backSize: 32 }, inputs: [image], profile });
      const done = await waitTerminal(s, job.id);
      expect(done.state, done.messages.join('\n')).toBe('SUCCESS');
      expect(existsSync(join(done.outputDir, 'cirasa.sex'))).toBe(true);
      const cat = store.catalogues.get(done.catalogueId!)!;
      expect(cat.sourceCount).toBeGreaterThan(10);
      expect(store.catalogues.load(done.catalogueId!).sources[0]!.ra).toBeTypeOf('number');
    } finally {
      await s.dispose();
    }
  }, 60_000);

  it('a failing job is FAILURE with its exit code and stderr in the messages; logs show it', async () => {
    const s = service();
    try {
      const job = await s.submit({ app: 'fail', inputs: [image], profile });
      const done = await waitTerminal(s, job.id);
      expect(done).toMatchObject({ state: 'FAILURE', exitCode: 2 });
      expect(done.messages.join('\n')).toContain('stderr: cannot open sim.fits: bad header');
      expect((await s.logs(job.id)).stderr).toBe('cannot open sim.fits: bad header\n');
    } finally {
      await s.dispose();
    }
  });

  it('outputs missing: the process succeeded but wrote nothing → FAILURE naming the file', async () => {
    const s = service();
    try {
      const done = await waitTerminal(s, (await s.submit({ app: 'nothing', inputs: [image], profile })).id);
      expect(done.state).toBe('FAILURE');
      expect(done.messages.at(-1)).toMatch(/outputs: .*out\.json was not written \[jobs\.outputsMissing\]/);
      expect(done.catalogueId).toBeUndefined();
    } finally {
      await s.dispose();
    }
  });

  it('cancel: CANCELED and the process is gone', async () => {
    const s = service();
    try {
      const job = await s.submit({ app: 'sleeper', inputs: [image], profile });
      const pidFile = join(job.outputDir, 'sleeper.pid');
      while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 20));
      const pid = Number((await import('node:fs')).readFileSync(pidFile, 'utf8'));
      const c = await s.cancel(job.id);
      expect(c.state).toBe('CANCELED');
      expect(isAlive({ pid })).toBe(false);
      await s.tick();
      expect(s.get(job.id).state).toBe('CANCELED');
    } finally {
      await s.dispose();
    }
  });

  it('timeout: TIMED-OUT and the process is ended', async () => {
    const s = service();
    try {
      const job = await s.submit({ app: 'sleeper', inputs: [image], profile, timeoutMs: 400 });
      const done = await waitTerminal(s, job.id, 15_000);
      expect(done.state).toBe('TIMED-OUT');
      expect(done.messages.at(-1)).toBe('timed out after 0 s');
      const pid = Number((await import('node:fs')).readFileSync(join(job.outputDir, 'sleeper.pid'), 'utf8'));
      await new Promise((r) => setTimeout(r, 100));
      expect(isAlive({ pid })).toBe(false);
    } finally {
      await s.dispose();
    }
  });

  it('validation and submit failures store nothing', async () => {
    class Refusing extends LocalBackend {
      override submit(): Promise<string> {
        return Promise.reject(new Error('fork failed'));
      }
    }
    const s = service({ backends: { local: () => new Refusing() } });
    const before = s.list().length;
    try {
      await expect(s.submit({ app: 'builtin', options: { seedSigma: -2 }, inputs: [image], profile })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('seedSigma') });
      await expect(s.submit({ app: 'nope', inputs: [image], profile })).rejects.toMatchObject({ code: 'validation' });
      await expect(s.submit({ app: 'builtin', inputs: [join(dir, 'missing.fits')], profile })).rejects.toMatchObject({ code: 'notFound' });
      await expect(s.submit({ app: 'sextractor', inputs: [image], profile })).rejects.toThrow('fork failed');
      expect(s.list().length).toBe(before);
      expect(existsSync(join(dir, 'data', 'jobs')) ? (await import('node:fs')).readdirSync(join(dir, 'data', 'jobs')).length : 0).toBe(before);
    } finally {
      await s.dispose();
    }
  });
});

describe('restart', () => {
  it('a job submitted before a restart (new service, store reopened) is picked up and completes', async () => {
    const path = join(dir, 'restart.sqlite');
    let st1 = openStore(path);
    const s1 = new JobService({ store: st1, apps: apps(), dataDir: join(dir, 'data2'), monitorPeriodMs: 100 });
    const running = await s1.submit({ app: 'copy', options: { delay: 1.5 }, inputs: [image], profile });
    const finishesWhileDown = await s1.submit({ app: 'copy', inputs: [image], profile });
    await s1.dispose();
    st1.close();
    await new Promise((r) => setTimeout(r, 500)); // the quick one ends while no service watches
    st1 = openStore(path);
    const s2 = new JobService({ store: st1, apps: apps(), dataDir: join(dir, 'data2'), monitorPeriodMs: 100 });
    try {
      const a = await waitTerminal(s2, finishesWhileDown.id);
      const b = await waitTerminal(s2, running.id);
      for (const j of [a, b]) {
        expect(j.state, j.messages.join('\n')).toBe('SUCCESS');
        expect(st1.catalogues.get(j.catalogueId!)!.sourceCount).toBe(4);
      }
    } finally {
      await s2.dispose();
      st1.close();
    }
  });
});
