import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from './eventBus';
import { listDirectory } from './fileBrowser';
import { ImageService } from './imageService';
import { packageRoot, resolvePaths, resourcesDir, type AppPaths } from './paths';
import { RecentFiles } from './recentFiles';
import type { CatalogueService } from '../review/catalogueService';
import { AppRegistry } from '../apps/registry';
import { JobService } from '../jobs/jobService';
import { jobsHandlers, toJobInfo } from '../jobs/jobsHandlers';
import { caesarRestHandlers } from '../jobs/backends/caesar-rest/accountingHandler';
import { defaultBackendFactories } from '../jobs/backendFactories';
import { ProfileEditor } from '../jobs/profileEditor';
import { SecretStore, type SecretEncryptor } from '../jobs/secretStore';
import { openReviewBackend } from '../review/openReviewBackend';
import { reviewHandlers } from '../review/reviewHandlers';
import { sessionHandlers } from '../review/sessionHandlers';
import type { Store } from '../store';
import { ensureSampleImage, isSampleUpToDate, SAMPLE_FITS } from '../simulate/sample';
import type { Handlers } from '../transport/bindContract';

export interface ServicesOptions {
  mode: 'desktop' | 'web';
  /** Data folder (default: per-user folder, or CIRASA_DATA_DIR). */
  dataDir?: string;
  /** Skip generating the sample image (tests that don't need it). */
  noSample?: boolean;
  /** Encrypts backend-profile secrets with the OS keychain (Electron safeStorage); absent = 0600 files. */
  secretEncryptor?: SecretEncryptor;
}

export interface Services {
  paths: AppPaths;
  events: EventBus;
  images: ImageService;
  recent: RecentFiles;
  /** The project database (catalogues, labels) at <dataDir>/cirasa.sqlite; null if it could not be opened. */
  store: Store | null;
  /** Catalogue review backend (also serves the binary overlay resource); null without a store. */
  catalogues: CatalogueService | null;
  /** Finder jobs over the same store (monitor running); null without a store. */
  jobs: JobService | null;
  handlers: Handlers;
  dispose(): Promise<void>;
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The sample shipped in resources/sample (made by the build), else one generated once in the data folder. */
async function findSampleImage(dataSampleDir: string): Promise<string> {
  const bundled = join(resourcesDir(), 'sample', SAMPLE_FITS);
  if (await isSampleUpToDate(bundled)) return bundled;
  return ensureSampleImage(dataSampleDir);
}

/**
 * The composition root: builds every service once and the contract handlers over them. The Electron
 * entry, the HTTP server and the CLI all call this; nothing else constructs services.
 */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const paths = resolvePaths(options.dataDir);
  await Promise.all([paths.dataDir, paths.cacheDir, paths.uploadDir].map((d) => mkdir(d, { recursive: true })));
  const events = new EventBus();
  const images = new ImageService({ cacheDir: join(paths.cacheDir, 'pyramids'), onEvent: (name, payload) => events.emit(name, payload) });
  const recent = new RecentFiles(paths.dataDir);
  const version = readVersion();
  const { store, catalogues, error: storeError } = openReviewBackend(paths.dataDir, (name, payload) => events.emit(name, payload));

  // profile secrets stay in main: encrypted by the OS on the desktop, else 0600 files
  const secrets = new SecretStore(join(paths.dataDir, 'secrets'), options.secretEncryptor);
  // Jobs share the store; the monitor starts now (resuming jobs left by the last run) and stops on dispose.
  const finderApps = new AppRegistry();
  const jobs = store
    ? new JobService({ store, apps: finderApps, dataDir: paths.dataDir, secrets, onEvent: (e) => events.emit('job.statusChanged', { job: toJobInfo(e.job) }) })
    : null;

  // The sample image is generated once (a few seconds) in the background at first start.
  let samplePath: Promise<string | null> = Promise.resolve(null);
  if (!options.noSample) {
    samplePath = findSampleImage(paths.sampleDir).catch((err: unknown) => {
      console.error(`cirasa: could not create the sample image: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
  }

  const handlers: Handlers = {
    'app.info': async () => ({ version, mode: options.mode, sampleImagePath: await samplePath, homeDir: homedir() }),
    'fits.open': async (input) => {
      const info = await images.open(input);
      await recent.add(info.path);
      return info;
    },
    'fits.close': async ({ imageId }) => images.close(imageId),
    'image.pixelValue': async ({ imageId, x, y }) => images.pixelValue(imageId, x, y),
    'files.list': async ({ dir, kind }) => listDirectory(dir ?? (await recent.lastDir()) ?? homedir(), kind),
    'app.requestOpen': ({ path }) => events.emit('app.openRequested', { path }),
    'recent.list': async () => recent.list(),
    'recent.clear': async () => recent.clear(),
    ...reviewHandlers(catalogues ?? storeError!),
    ...jobsHandlers(jobs ?? storeError!, finderApps, join(paths.dataDir, 'profiles'), { secrets }),
    ...caesarRestHandlers(new ProfileEditor(join(paths.dataDir, 'profiles'), secrets, defaultBackendFactories(secrets)), defaultBackendFactories(secrets)),
    ...sessionHandlers(store ?? storeError!, catalogues),
  };

  return {
    paths,
    events,
    images,
    recent,
    store,
    catalogues,
    jobs,
    handlers,
    dispose: async () => {
      await jobs?.dispose();
      await images.dispose();
      catalogues?.dispose();
      store?.close();
    },
  };
}
