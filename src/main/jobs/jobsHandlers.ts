/**
 * Contract handlers of the `jobs.*` methods over one JobService, and the profile list they submit to: the
 * built-in "local" profile plus every valid `<dataDir>/profiles/*.json`. The renderer only ever sees a
 * profile's name, type and description; the profile (file paths of secrets) stays in main.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { FinderAppInfo, JobInfo, ProfileInfo } from '../../shared/contract/jobs';
import type { AppRegistry } from '../apps/registry';
import { validateOptions } from '../apps/optionsSchema';
import type { Handlers } from '../transport/bindContract';
import type { JobService } from './jobService';
import type { JobRecord } from './jobsRepo';
import { describeProfile, loadProfile, type BackendProfile } from './profiles';

export type JobsMethod = 'jobs.apps' | 'jobs.profiles' | 'jobs.submit' | 'jobs.list' | 'jobs.cancel' | 'jobs.logs' | 'jobs.openResult';

export const LOCAL_PROFILE_NAME = 'local';

/** A job record as the renderer may see it: the profile reduced to its description. */
export function toJobInfo(j: JobRecord): JobInfo {
  return {
    id: j.id, app: j.app, options: j.options, inputs: j.inputs, backend: j.backend, profile: describeProfile(j.profile), state: j.state,
    submittedAt: j.submittedAt, messages: j.messages,
    ...(j.nativeId !== undefined ? { nativeId: j.nativeId } : {}), ...(j.nativeState !== undefined ? { nativeState: j.nativeState } : {}),
    ...(j.catalogueId !== undefined ? { catalogueId: j.catalogueId } : {}), ...(j.startedAt ? { startedAt: j.startedAt } : {}),
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}), ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
    ...(j.tag ? { tag: j.tag } : {}),
  };
}

/**
 * Profiles by name: "local" first, then the valid JSON files of `dir` (a bad file is skipped with a warning);
 * `local.json` there replaces the built-in local profile (its CPUs, memory, cirasa command).
 */
export async function loadProfiles(dir: string): Promise<Map<string, BackendProfile>> {
  const out = new Map<string, BackendProfile>([[LOCAL_PROFILE_NAME, { type: 'local', name: 'This computer' }]]);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return out;
  }
  for (const f of files) {
    const name = basename(f, '.json');
    try {
      out.set(name, await loadProfile(join(dir, f)));
    } catch (err) {
      console.warn(`cirasa: profile skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/** Handlers over a JobService (or answering why there is none, e.g. the store could not be opened). */
export function jobsHandlers(svc: JobService | AppError, apps: AppRegistry, profilesDir: string): Pick<Handlers, JobsMethod> {
  const appsList = async (): Promise<FinderAppInfo[]> => apps.list().map((a) => ({ id: a.id, title: a.title, optionsSchema: a.optionsSchema }));
  const profiles = async (): Promise<ProfileInfo[]> =>
    [...(await loadProfiles(profilesDir))].map(([name, p]) => ({ name, type: p.type, description: describeProfile(p) }));
  if (svc instanceof AppError) {
    const fail = async (): Promise<never> => {
      throw svc;
    };
    return { 'jobs.apps': appsList, 'jobs.profiles': profiles, 'jobs.submit': fail, 'jobs.list': fail, 'jobs.cancel': fail, 'jobs.logs': fail, 'jobs.openResult': fail };
  }
  return {
    'jobs.apps': appsList,
    'jobs.profiles': profiles,
    'jobs.submit': async ({ app, options, imagePaths, profile, tag }) => {
      const found = (await loadProfiles(profilesDir)).get(profile);
      if (!found) throw new AppError('validation', `Unknown backend profile '${profile}'`, { profile });
      const a = apps.get(app);
      // validate once before any job is submitted, so a bad option submits nothing
      validateOptions(a.id, a.optionsSchema, options);
      const jobs: JobInfo[] = [];
      for (const image of imagePaths) {
        jobs.push(toJobInfo(await svc.submit({ app, options, inputs: [image], profile: found, ...(tag ? { tag } : {}) })));
      }
      return jobs;
    },
    'jobs.list': async () => svc.list().map(toJobInfo),
    'jobs.cancel': async ({ jobId }) => toJobInfo(await svc.cancel(jobId)),
    'jobs.logs': async ({ jobId, tailBytes }) => svc.logs(jobId, tailBytes),
    'jobs.openResult': async ({ jobId }) => {
      const job = svc.get(jobId);
      if (job.catalogueId === undefined) {
        throw new AppError('notFound', `Job ${jobId} has no catalogue (state ${job.state})`, { jobId, state: job.state });
      }
      return { catalogueId: job.catalogueId };
    },
  };
}
