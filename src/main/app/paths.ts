import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

export interface AppPaths {
  /** User data: recent files, settings, (later) the SQLite store. */
  dataDir: string;
  /** Rebuildable caches: tile pyramids. */
  cacheDir: string;
  /** Browser-mode uploads (files dropped on the page). */
  uploadDir: string;
  /** The bundled sample image lives here once generated. */
  sampleDir: string;
}

/** Platform's per-user data folder, overridable with CIRASA_DATA_DIR (tests, portable installs). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CIRASA_DATA_DIR) return env.CIRASA_DATA_DIR;
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'CIRASA');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'CIRASA');
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'cirasa');
  }
}

export function resolvePaths(dataDir: string = defaultDataDir()): AppPaths {
  return {
    dataDir,
    cacheDir: join(dataDir, 'cache'),
    uploadDir: join(dataDir, 'uploads'),
    sampleDir: join(dataDir, 'sample'),
  };
}

/**
 * Folder of the shipped resources (sample image, presets): `resources/` in a checkout, and
 * `<resourcesPath>/resources` in a packaged Electron app (electron-builder's extraResources).
 */
export function resourcesDir(): string {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged && !packaged.includes(`${join('node_modules', 'electron')}`)) {
    const candidate = join(packaged, 'resources');
    if (existsSync(candidate)) return candidate;
  }
  return join(packageRoot(), 'resources');
}

/** Root of the installed package (where dist/, resources/ and package.json live). */
export function packageRoot(): string {
  // Bundled: dist/main/x.js → ../..; sources: src/main/app/paths.ts → ../../..
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? join(here, '..', '..', '..', '..') : join(here, '..', '..', '..');
}
