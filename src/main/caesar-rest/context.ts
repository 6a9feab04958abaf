/** What every caesar-rest route handler gets. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRegistry } from '../apps/registry';
import type { JobService } from '../jobs/jobService';
import type { BackendProfile } from '../jobs/profiles';
import type { Store } from '../store';
import type { Namespaces } from './namespaces';
import type { SubmitQueue } from './submitQueue';

export interface ServiceContext {
  jobs: JobService;
  apps: AppRegistry;
  store: Store;
  profile: BackendProfile;
  spaces: Namespaces;
  /** Where `/output` tarballs are built. */
  jobDir: string;
  maxUploadBytes: number;
  /** POST /job answers at once; this queue submits to the JobService. */
  queue: SubmitQueue;
}

export interface RouteCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  user: string;
  /** Path segments after the API prefix. */
  parts: string[];
}
