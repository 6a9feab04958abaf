/** Composition of `cirasa serve`: the store, the apps, the JobService and the namespaces behind the HTTP routes. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppRegistry } from '../apps/registry';
import { builtinApp } from '../apps/builtinApp';
import { sextractorApp } from '../apps/sextractorApp';
import type { FinderApp } from '../apps/types';
import { JobService } from '../jobs/jobService';
import type { BackendProfile } from '../jobs/profiles';
import { openStore } from '../store';
import type { AuthConfig } from './auth';
import { Namespaces } from './namespaces';
import { startCaesarRestServer, stderrLogger, type CaesarRestHandlerOptions, type Logger, type RunningCaesarRest } from './server';
import { SubmitQueue } from './submitQueue';

/** caesar-rest's MAX_CONTENT_LENGTH: 1000 × 1024 × 1024 bytes. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1000 * 1024 * 1024;

export interface ServeOptions {
  host?: string;
  port?: number;
  auth: AuthConfig;
  /** Uploads: `<dataDir>/<user>/`. */
  dataDir: string;
  /** The job database, job directories (`<jobDir>/jobs/<id>`), ownership records (`<jobDir>/<user>/`), tarballs. */
  jobDir: string;
  profile?: BackendProfile;
  apps?: readonly FinderApp[];
  maxUploadBytes?: number;
  monitorPeriodMs?: number;
  log?: Logger;
}

/** The store, apps, JobService and namespaces behind the routes; `dispose` stops the monitor and closes the store. */
export async function openCaesarRestService(o: ServeOptions): Promise<{ handler: CaesarRestHandlerOptions; dispose(): Promise<void> }> {
  const dataDir = resolve(o.dataDir);
  const jobDir = resolve(o.jobDir);
  await mkdir(dataDir, { recursive: true });
  await mkdir(jobDir, { recursive: true });
  const store = openStore(join(jobDir, 'cirasa.sqlite'));
  const apps = new AppRegistry(o.apps ?? [builtinApp, sextractorApp]);
  // the monitor resumes every unfinished job in the database: a restart loses none
  const jobs = new JobService({ store, apps, dataDir: jobDir, monitorPeriodMs: o.monitorPeriodMs ?? 2000 });
  const spaces = new Namespaces(dataDir, jobDir);
  const profile = o.profile ?? { type: 'local' as const };
  const queue = new SubmitQueue(spaces, jobs, profile, o.log ?? stderrLogger);
  await queue.resume();
  return {
    handler: {
      auth: o.auth, jobs, apps, store, profile, spaces, jobDir, maxUploadBytes: o.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, queue,
      ...(o.log ? { log: o.log } : {}),
    },
    async dispose() {
      await queue.close();
      await jobs.dispose();
      store.close();
    },
  };
}

export async function serve(o: ServeOptions): Promise<RunningCaesarRest> {
  const svc = await openCaesarRestService(o);
  const running = await startCaesarRestServer({ host: o.host ?? '127.0.0.1', port: o.port ?? 8080, ...svc.handler }).catch(async (err: unknown) => {
    await svc.dispose();
    throw err;
  });
  return {
    ...running,
    async close(graceMs) {
      // running.close stops the monitor too; dispose is idempotent for it and closes the store
      await running.close(graceMs);
      await svc.dispose();
    },
  };
}
