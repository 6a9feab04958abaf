import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppRegistry } from '../../src/main/apps';
import { JobService } from '../../src/main/jobs/jobService';
import { parseProfile } from '../../src/main/jobs/profiles';
import { openStore, type Store } from '../../src/main/store';
import { CIRASA_FROM_SOURCES, runCirasa, waitTerminal } from '../integration/helpers/jobs';

const env = inject('jobsEnv');
let dir: string;
let store: Store;
let oldUmask: number;

beforeAll(async () => {
  // the job runs as the test user: directories the service (root) creates in the scratch must be writable by it
  oldUmask = process.umask(0);
  dir = mkdtempSync(join(tmpdir(), 'jobservice-slurm-'));
  expect((await runCirasa(['simulate', '--size', '512', '--out', join(dir, 'sim.fits'), '--count', '30', '--seed', '7'])).code).toBe(0);
  store = openStore(join(dir, 'cirasa.sqlite'));
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
  process.umask(oldUmask);
});

const common = { partition: 'debug', cpus: 1, memoryMb: 500, timeMinutes: 5, cirasaCommand: CIRASA_FROM_SOURCES };
const profiles = {
  'slurm-rest': () => parseProfile({
    type: 'slurm-rest', baseUrl: env.restUrl, user: env.user, keyFile: env.jwtKeyFile, ...common,
    workRoot: env.scratchDir, pathMappings: [{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }],
  }),
  // no shared file system: inputs, logs and outputs over SFTP to the login node (the test sshd), jobs through slurmrestd
  'slurm-rest-sftp': () => parseProfile({
    type: 'slurm-rest', baseUrl: env.restUrl, user: env.user, keyFile: env.jwtKeyFile, ...common, workRoot: env.sshWorkBase,
    sftpHost: env.sshHost, sftpPort: env.sshPort, sftpKeyFile: join(env.sshDir, 'client_ed25519'), sftpKnownHostsFile: join(env.sshDir, 'known_hosts'),
  }),
  'slurm-ssh': () => parseProfile({
    type: 'slurm-ssh', host: env.sshHost, port: env.sshPort, user: env.user, keyFile: join(env.sshDir, 'client_ed25519'),
    knownHostsFile: join(env.sshDir, 'known_hosts'), workRoot: env.sshWorkBase, ...common,
  }),
};

describe('JobService on real Slurm (slurmrestd, and sshd + sbatch)', () => {
  it.each([
    ['builtin', 'slurm-rest'],
    ['sextractor', 'slurm-rest'],
    ['builtin', 'slurm-ssh'],
    ['sextractor', 'slurm-ssh'],
    ['builtin', 'slurm-rest-sftp'],
  ] as const)('%s through a %s profile: SUCCESS, outputs fetched, catalogue imported', async (app, kind) => {
    const service = new JobService({ store, apps: new AppRegistry(), dataDir: join(dir, 'data'), monitorPeriodMs: 300 });
    try {
      const job = await service.submit({ app, inputs: [join(dir, 'sim.fits')], profile: profiles[kind]() });
      expect(job.nativeId).toMatch(/^\d+$/);
      const done = await waitTerminal(service, job.id, 120_000);
      expect(done.state, `${done.messages.join('\n')}\n${JSON.stringify(await service.logs(job.id))}`).toBe('SUCCESS');
      expect(done.nativeState).toBe('COMPLETED');
      expect(store.catalogues.get(done.catalogueId!)!.sourceCount).toBeGreaterThan(5);
    } finally {
      await service.dispose();
    }
  }, 150_000);

  it('a slurm-rest job submitted before a restart of the service is picked up by a new service and completes', async () => {
    const first = new JobService({ store, apps: new AppRegistry(), dataDir: join(dir, 'data'), autoStart: false });
    const job = await first.submit({ app: 'sextractor', inputs: [join(dir, 'sim.fits')], profile: profiles['slurm-rest']() });
    await first.dispose();
    const second = new JobService({ store, apps: new AppRegistry(), dataDir: join(dir, 'data'), monitorPeriodMs: 300 });
    try {
      const done = await waitTerminal(second, job.id, 120_000);
      expect(done.state, done.messages.join('\n')).toBe('SUCCESS');
      expect(store.catalogues.get(done.catalogueId!)!.runId).toBe(job.id);
    } finally {
      await second.dispose();
    }
  }, 150_000);
});
