/**
 * The submit wizard's app choices for a caesar-rest profile: the service's own apps (jobs.remoteApps, forms from
 * its describe), fetched once per profile while the wizard is open; a failure becomes one sentence naming the
 * profile and what to do (sign-in, address), shown instead of the app list.
 */
import type { FinderAppInfo } from '../../../shared/contract/jobs';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';

export type RemoteApps = { state: 'loading' } | { state: 'ready'; apps: FinderAppInfo[] } | { state: 'failed'; message: string };

/** What the wizard says when a caesar-rest profile's apps cannot be listed (401, unreachable, bad answer). */
export function remoteAppsProblem(profile: string, err: unknown): string {
  const e = toSerializedError(err);
  const { title, detail } = describeError(e);
  const hint = e.code === 'jobs.authFailed'
    ? ' Paste a new token (or sign in again) in the profile editor.'
    : e.code === 'jobs.backendUnreachable' ? ' Check the profile URL and that the service is running.' : '';
  return `Cannot list the apps of the caesar-rest service of profile '${profile}': ${title}${hint} (${detail})`;
}

export async function loadRemoteApps(profile: string): Promise<RemoteApps> {
  try {
    const apps = await call('jobs.remoteApps', { name: profile });
    return apps.length ? { state: 'ready', apps } : { state: 'failed', message: `The caesar-rest service of profile '${profile}' offers no apps.` };
  } catch (err) {
    return { state: 'failed', message: remoteAppsProblem(profile, err) };
  }
}
