/**
 * Which finder app a job runs. Locally registered apps, and for a caesar-rest profile the service's own apps
 * (GET /apps + describe, cached per profile for a short time): those come first when submitting, so an app that
 * exists only on the service (mrcnn, aegean, cutex…) can be chosen and its options are checked against the
 * service's schema before anything is uploaded.
 */
import type { AppRegistry } from '../apps/registry';
import type { FinderApp } from '../apps/types';
import { AppError } from '../../shared/contract/errors';
import type { CaesarRestBackend } from './backends/caesar-rest/caesarRestBackend';
import { fetchRemoteApps, remoteFinderApp } from './backends/caesar-rest/remoteApps';
import type { JobRecord } from './jobsRepo';
import type { BackendProfile } from './profiles';
import type { JobBackend } from './types';

/** How long a service's app list is reused: long enough for a burst of submissions, short enough to see a new app. */
export const REMOTE_APPS_TTL_MS = 30_000;

export class AppResolver {
  private readonly remote = new Map<string, { at: number; apps: Promise<FinderApp[]> }>();

  constructor(
    private readonly local: AppRegistry,
    private readonly backendFor: (profile: BackendProfile) => Promise<JobBackend>,
    private readonly ttlMs = REMOTE_APPS_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The apps of a caesar-rest profile's service (cached; a failed fetch is not cached). */
  remoteApps(profile: BackendProfile): Promise<FinderApp[]> {
    if (profile.type !== 'caesar-rest') return Promise.resolve([]);
    const key = JSON.stringify(profile);
    const hit = this.remote.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.apps;
    const apps = this.backendFor(profile).then((b) => fetchRemoteApps(b as CaesarRestBackend, profile.url));
    apps.catch(() => {
      if (this.remote.get(key)?.apps === apps) this.remote.delete(key);
    });
    this.remote.set(key, { at: this.now(), apps });
    return apps;
  }

  /**
   * The app to submit `appId` with on `profile`: the service's app for a caesar-rest profile, else the local one.
   * When the service cannot be asked, a local app of that id still serves (the submission then reports why the
   * service failed); without one the service's error (unreachable, 401…) is thrown.
   */
  async forSubmit(appId: string, profile: BackendProfile): Promise<FinderApp> {
    if (profile.type !== 'caesar-rest') return this.local.get(appId);
    let remote: FinderApp[];
    try {
      remote = await this.remoteApps(profile);
    } catch (err) {
      if (this.local.ids().includes(appId)) return this.local.get(appId);
      throw err;
    }
    const found = remote.find((a) => a.id === appId);
    if (found) return found;
    if (this.local.ids().includes(appId)) return this.local.get(appId);
    throw new AppError('validation', `Unknown finder app '${appId}': the caesar-rest service ${profile.url} offers ${remote.map((a) => a.id).join(', ') || 'none'}, this app ${this.local.ids().join(', ')}`, { app: appId });
  }

  /**
   * The app of a submitted job, without asking any service (the monitor resumes jobs after a restart, maybe
   * offline): the local app of that id; for a caesar-rest job of a remote-only app, a reader of the service's
   * outputs (its option schema is not needed once the job is submitted: the validated options are stored).
   */
  forJob(job: Pick<JobRecord, 'app' | 'profile'>): FinderApp {
    if (this.local.ids().includes(job.app) || job.profile.type !== 'caesar-rest') return this.local.get(job.app);
    return remoteFinderApp(job.app, {}, job.profile.url);
  }
}
