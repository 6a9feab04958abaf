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

describe('JobService on slurm-rest (real slurmrestd)', () => {
  it('the builtin finder through a slurm-rest profile: SUCCESS, catalogue imported', async () => {
    const profile = parseProfile({
      type: 'slurm-rest', baseUrl: env.restUrl, user: env.user, keyFile: env.jwtKeyFile, partition: 'debug', cpus: 1, memoryMb: 500, timeMinutes: 5,
      workRoot: env.scratchDir, pathMappings: [{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }], cirasaCommand: CIRASA_FROM_SOURCES,
    });
    const service = new JobService({ store, apps: new AppRegistry(), dataDir: join(dir, 'data'), monitorPeriodMs: 300 });
    try {
      const job = await service.submit({ app: 'builtin', inputs: [join(dir, 'sim.fits')], profile });
      expect(job.nativeId).toMatch(/^\d+$/);
      const done = await waitTerminal(service, job.id, 120_000);
      expect(done.state, `${done.messages.join('\n')}\n${JSON.stringify(await service.logs(job.id))}`).toBe('SUCCESS');
      expect(done.nativeState).toBe('COMPLETED');
      expect(store.catalogues.get(done.catalogueId!)!.sourceCount).toBeGreaterThan(5);
    } finally {
      await service.dispose();
    }
  }, 150_000);
});
