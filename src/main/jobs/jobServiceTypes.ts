/** What the JobService is given and tells (split from jobService.ts to keep it readable). */
import type { AppRegistry } from '../apps/registry';
import type { Store } from '../store';
import type { BackendFactories } from './backendFactories';
import type { JobRecord } from './jobsRepo';
import type { BackendProfile } from './profiles';
import type { SecretStore } from './secretStore';
import type { JobResources } from './types';

export interface JobStatusChanged {
  type: 'job.statusChanged';
  job: JobRecord;
}

export interface JobServiceOptions {
  store: Store;
  apps: AppRegistry;
  /** Job directories (local backend) and fetched outputs go under `<dataDir>/jobs/<id>`. */
  dataDir: string;
  /** Backends by profile type; default local, slurm-rest, slurm-ssh (add `container` when wired). */
  backends?: BackendFactories;
  /** Secrets of profiles made in the profile editor (tokenSecret, passphraseSecret), for the default backends. */
  secrets?: SecretStore;
  /** Monitor period; default 2000 ms. */
  monitorPeriodMs?: number;
  /** Start the monitor (and resume every non-terminal job) now; default true. */
  autoStart?: boolean;
  onEvent?: (e: JobStatusChanged) => void;
}

export interface SubmitRequest {
  app: string;
  /** Option values (strings are coerced as from the CLI); validated against the app's schema. */
  options?: Record<string, unknown>;
  /** Local paths of the input images. */
  inputs: string[];
  profile: BackendProfile;
  tag?: string;
  /** Overrides the profile's defaults. */
  resources?: JobResources;
  /** Wall-clock limit from the start (or submission while queued); default the profile's timeMinutes. */
  timeoutMs?: number;
  imageId?: number;
  /**
   * Distributed run (Slurm profiles, apps with buildDistributed): cut the image into this many parts run as a job
   * array, then merge their catalogues in a job that depends on the array. 1 or absent = one job.
   */
  parts?: number;
}
