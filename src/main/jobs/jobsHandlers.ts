/**
 * Contract handlers of the `jobs.*` methods over one JobService: submit/list/cancel/logs, the option presets
 * (<dataDir>/presets.json) and the backend profiles editor (<dataDir>/profiles/*.json with their secrets in the
 * main process's SecretStore). The renderer only ever sees a profile's settings and `hasSecret` flags.
 */
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { FinderAppInfo, JobInfo } from '../../shared/contract/jobs';
import type { AppRegistry } from '../apps/registry';
import { validateOptions } from '../apps/optionsSchema';
import type { Handlers } from '../transport/bindContract';
import { defaultBackendFactories, type BackendFactories } from './backendFactories';
import type { JobService } from './jobService';
import type { JobRecord } from './jobsRepo';
import { PresetStore } from './presets';
import { ProfileEditor } from './profileEditor';
import { describeProfile } from './profiles';
import { SecretStore } from './secretStore';

export { LOCAL_PROFILE_NAME } from './profileEditor';

export type JobsMethod =
  | 'jobs.apps' | 'jobs.profiles' | 'jobs.submit' | 'jobs.list' | 'jobs.cancel' | 'jobs.logs' | 'jobs.openResult'
  | 'jobs.presets' | 'jobs.savePreset' | 'jobs.deletePreset' | 'jobs.profile' | 'jobs.saveProfile' | 'jobs.deleteProfile' | 'jobs.testProfile';

/** A job record as the renderer may see it: the profile reduced to its description. */
export function toJobInfo(j: JobRecord): JobInfo {
  return {
    id: j.id, app: j.app, options: j.options, inputs: j.inputs, backend: j.backend, profile: describeProfile(j.profile), state: j.state,
    submittedAt: j.submittedAt, messages: j.messages,
    ...(j.nativeId !== undefined ? { nativeId: j.nativeId } : {}), ...(j.nativeState !== undefined ? { nativeState: j.nativeState } : {}),
    ...(j.catalogueId !== undefined ? { catalogueId: j.catalogueId } : {}), ...(j.startedAt ? { startedAt: j.startedAt } : {}),
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}), ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
    ...(j.tag ? { tag: j.tag } : {}), ...(j.progress ? { progress: j.progress } : {}),
    ...(j.spec.parts?.arrayTasks ? { parts: j.spec.parts.arrayTasks } : {}),
  };
}

export interface JobsHandlersOptions {
  /** Where profile secrets live (default `<dataDir>/secrets`, plain 0600 files); share it with the JobService. */
  secrets?: SecretStore;
  /** Backends for "test connection" (default: the standard ones over `secrets`). */
  backends?: BackendFactories;
}

/** Handlers over a JobService (or answering why there is none, e.g. the store could not be opened). */
export function jobsHandlers(svc: JobService | AppError, apps: AppRegistry, profilesDir: string, options: JobsHandlersOptions = {}): Pick<Handlers, JobsMethod> {
  const dataDir = dirname(profilesDir);
  const secrets = options.secrets ?? new SecretStore(join(dataDir, 'secrets'));
  const editor = new ProfileEditor(profilesDir, secrets, options.backends ?? defaultBackendFactories(secrets));
  const presets = new PresetStore(join(dataDir, 'presets.json'));
  const appsList = async (): Promise<FinderAppInfo[]> => apps.list().map((a) => ({ id: a.id, title: a.title, optionsSchema: a.optionsSchema }));
  const common: Pick<Handlers, Exclude<JobsMethod, 'jobs.submit' | 'jobs.list' | 'jobs.cancel' | 'jobs.logs' | 'jobs.openResult'>> = {
    'jobs.apps': appsList,
    'jobs.profiles': () => editor.list(),
    'jobs.presets': ({ app }) => presets.list(app),
    'jobs.savePreset': async ({ app, name, options: values }) => {
      // an app only a caesar-rest service offers has no schema here: its values are checked by the service's
      // schema when a job is submitted with them
      if (!apps.ids().includes(app)) return presets.save({ app, name, options: values });
      const a = apps.get(app);
      return presets.save({ app: a.id, name, options: validateOptions(a.id, a.optionsSchema, values) });
    },
    'jobs.deletePreset': ({ app, name }) => presets.delete(app, name),
    'jobs.profile': ({ name }) => editor.details(name),
    'jobs.saveProfile': ({ name, settings, secrets: updates }) => editor.save(name, settings, updates ?? {}),
    'jobs.deleteProfile': ({ name }) => editor.delete(name),
    'jobs.testProfile': ({ name }) => editor.test(name),
  };
  if (svc instanceof AppError) {
    const fail = async (): Promise<never> => {
      throw svc;
    };
    return { ...common, 'jobs.submit': fail, 'jobs.list': fail, 'jobs.cancel': fail, 'jobs.logs': fail, 'jobs.openResult': fail };
  }
  return {
    ...common,
    'jobs.submit': async ({ app, options: values, imagePaths, profile, tag, parts }) => {
      const found = await editor.get(profile);
      // a caesar-rest profile's own apps first (remote-only ones included), checked against the service's schema
      const a = await svc.appFor(app, found);
      // validate once before any job is submitted, so a bad option submits nothing
      validateOptions(a.id, a.optionsSchema, values);
      const jobs: JobInfo[] = [];
      for (const image of imagePaths) {
        jobs.push(toJobInfo(await svc.submit({ app, options: values, inputs: [image], profile: found, ...(tag ? { tag } : {}), ...(parts ? { parts } : {}) })));
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
