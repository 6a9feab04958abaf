/** `jobs.accounting` (GET /accounting, for the jobs panel's usage box) and `jobs.remoteApps` (the service's apps for the wizard). */
import { AppError } from '../../../../shared/contract/errors';
import type { CaesarRestAccounting } from '../../../../shared/contract/caesarRest';
import type { Accounting } from '../../../caesar-rest/client';
import type { Handlers } from '../../../transport/bindContract';
import type { BackendFactories } from '../../backendFactories';
import type { BackendProfile } from '../../profiles';
import type { CaesarRestBackend } from './caesarRestBackend';
import { fetchRemoteApps } from './remoteApps';

export function toAccountingInfo(profile: string, a: Accounting): CaesarRestAccounting {
  return {
    profile, timestamp: a.timestamp,
    ...(typeof a.datasize === 'number' ? { datasizeKiB: a.datasize } : {}), ...(typeof a.jobsize === 'number' ? { jobsizeKiB: a.jobsize } : {}),
    njobs: a.njobs ?? 0, completed: a.njobs_completed ?? 0, failed: a.njobs_failed ?? 0, aborted: a.njobs_aborted ?? 0,
    pending: a.njobs_pending ?? 0, running: a.njobs_running ?? 0, other: a.njobs_unknown ?? 0,
    runtimeS: a.job_runtime ?? 0, completedRuntimeS: a.job_completed_runtime ?? 0,
  };
}

/** `profiles.get` resolves a profile name (the profile editor); `backends` builds the caesar-rest client from it. */
export function caesarRestHandlers(profiles: { get(name: string): Promise<BackendProfile> }, backends: BackendFactories): Pick<Handlers, 'jobs.accounting' | 'jobs.remoteApps'> {
  const backendOf = async (name: string, what: string): Promise<CaesarRestBackend> => {
    const p = await profiles.get(name);
    if (p.type !== 'caesar-rest') throw new AppError('validation', `Profile '${name}' is a ${p.type} profile: ${what} exist only on caesar-rest services`, { profile: name });
    return (await backends['caesar-rest']!(p)) as CaesarRestBackend;
  };
  return {
    'jobs.accounting': async ({ name }) => toAccountingInfo(name, await (await backendOf(name, 'usage statistics')).client.accounting()),
    'jobs.remoteApps': async ({ name }) =>
      (await fetchRemoteApps(await backendOf(name, 'remote apps'), name)).map((a) => ({ id: a.id, title: a.title, optionsSchema: a.optionsSchema })),
  };
}
