import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store';
import { CIRASA_FROM_SOURCES, runCirasa } from './helpers/jobs';

let dir: string;
let image: string;
let profile: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'job-cli-'));
  image = join(dir, 'sim.fits');
  expect((await runCirasa(['simulate', '--size', '512', '--out', image, '--count', '30', '--seed', '5'])).code).toBe(0);
  profile = join(dir, 'local.json');
  await writeFile(profile, JSON.stringify({ type: 'local', cpus: 1, cirasaCommand: CIRASA_FROM_SOURCES }));
  dataDir = join(dir, 'data');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cirasa job', () => {
  it('submit --wait runs the builtin finder; status, list, logs and fetch see the same job; the catalogue is in the store', async () => {
    const sub = await runCirasa(['job', 'submit', '--data-dir', dataDir, '--profile', profile, '--app', 'builtin', '--option', 'seedSigma=5', '--tag', 'cli', '--wait', '--poll-ms', '100', image]);
    expect(sub.code, sub.stderr).toBe(0);
    const id = sub.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const status = await runCirasa(['job', 'status', '--data-dir', dataDir, '--json', id]);
    const job = JSON.parse(status.stdout);
    expect(job).toMatchObject({ id, state: 'SUCCESS', app: 'builtin', tag: 'cli', options: { seedSigma: 5 } });
    expect((await runCirasa(['job', 'status', '--data-dir', dataDir, id])).stdout).toContain(`${id}  SUCCESS (COMPLETED)`);
    expect((await runCirasa(['job', 'list', '--data-dir', dataDir])).stdout).toMatch(new RegExp(`${id}  SUCCESS +builtin +local`));
    expect((await runCirasa(['job', 'logs', '--data-dir', dataDir, id])).stdout).toContain('--- stderr ---');
    const fetched = await runCirasa(['job', 'fetch', '--data-dir', dataDir, id]);
    expect(fetched.stdout.split('\n')).toContain(join(job.outputDir, 'catalogue.json'));
    const store = openStore(join(dataDir, 'cirasa.sqlite'));
    try {
      expect(store.catalogues.get(job.catalogueId)!.sourceCount).toBeGreaterThan(5);
    } finally {
      store.close();
    }
  }, 120_000);

  it('a job submitted by one CLI run and cancelled by another; an app from --app-file', async () => {
    const appFile = join(dir, 'sleeper.json');
    await writeFile(appFile, JSON.stringify({ id: 'sleeper', image: 'none', command: ['sleep', '{option:seconds}'], options: { seconds: { type: 'integer', default: 60, minimum: 1 } }, outputs: ['none.json'] }));
    const sub = await runCirasa(['job', 'submit', '--data-dir', dataDir, '--profile', profile, '--app-file', appFile, '--app', 'sleeper', image]);
    expect(sub.code, sub.stderr).toBe(0);
    const id = sub.stdout.trim();
    const cancelled = await runCirasa(['job', 'cancel', '--data-dir', dataDir, '--app-file', appFile, id]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(`${id}  CANCELED`);
  });

  it('errors: bad option, unknown app, inline secret, unknown job; --list-options', async () => {
    const bad = await runCirasa(['job', 'submit', '--data-dir', dataDir, '--profile', profile, '--app', 'builtin', '--option', 'seedSigma=-1', image]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain('seedSigma: -1 must be greater than 0 [validation]');
    expect((await runCirasa(['job', 'submit', '--data-dir', dataDir, '--profile', profile, '--app', 'nope', image])).stderr).toContain("Unknown finder app 'nope'");
    const secret = join(dir, 'secret.json');
    await writeFile(secret, JSON.stringify({ type: 'slurm-rest', token: 'abc.def.ghi' }));
    const s = await runCirasa(['job', 'submit', '--data-dir', dataDir, '--profile', secret, '--app', 'builtin', image]);
    expect(s.stderr).toContain('secrets are not stored in profiles');
    expect(s.stderr).not.toContain('abc.def.ghi');
    expect((await runCirasa(['job', 'status', '--data-dir', dataDir, 'no-such-id'])).stderr).toContain('No job no-such-id [notFound]');
    expect((await runCirasa(['job', 'submit', '--data-dir', dataDir, '--app', 'builtin', image])).code).toBe(64);
    const opts = await runCirasa(['job', '--list-options', '--app', 'sextractor', 'submit']);
    expect(opts.stdout).toMatch(/^detectThresh +number +\[5\] >0 ≤1000 +DETECT_THRESH/m);
    expect(existsSync(join(dataDir, 'cirasa.sqlite'))).toBe(true);
  });
});
