// Builds every bundle: main-process entries and workers (esbuild, ESM for Node/Electron), the
// sandboxed preload (CommonJS, as Electron requires for sandboxed preloads) and the renderer (Vite).
// `--node-only` skips the renderer (fast rebuilds of the CLI and server).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_ENTRIES } from './workerEntries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = process.argv.includes('--node-only');
const started = Date.now();

const existing = (entries) =>
  Object.fromEntries(
    Object.entries(entries)
      .filter(([, file]) => existsSync(join(root, file)))
      .map(([name, file]) => [name, join(root, file)]),
  );
const nodeBundle = {
  outdir: join(root, 'dist/main'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  external: ['electron'],
  // ESM bundles have no require(); give them one for CommonJS dependencies that need it.
  banner: { js: "import { createRequire as __cirasaCreateRequire } from 'node:module'; const require = __cirasaCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

// Main-process entries, split: the CLI's commands are dynamic imports, each loading its own chunk (and
// its packages), so `cirasa find` neither parses the server's code nor loads ssh2 and better-sqlite3
// (start 0.17 → 0.11 s). Chunks sit in dist/main itself, so code that finds files from
// import.meta.url works from any of them.
// chunk names carry a content hash: drop the previous build's
if (existsSync(join(root, 'dist/main'))) {
  for (const f of readdirSync(join(root, 'dist/main'))) if (f.startsWith('chunk-')) rmSync(join(root, 'dist/main', f));
}
await build({
  ...nodeBundle,
  entryPoints: existing({ cli: 'src/main/cli.ts', server: 'src/main/server.ts', index: 'src/main/index.ts' }),
  splitting: true,
  chunkNames: 'chunk-[hash]',
});
// Workers: one self-contained file each (the packaged app unpacks them from the asar, see electron-builder.yml).
await build({ ...nodeBundle, entryPoints: existing(WORKER_ENTRIES) });
mkdirSync(join(root, 'dist/main'), { recursive: true });
writeFileSync(join(root, 'dist/main/package.json'), JSON.stringify({ type: 'module' }) + '\n');

if (existsSync(join(root, 'src/preload/index.ts'))) {
  await build({
    entryPoints: [join(root, 'src/preload/index.ts')],
    outfile: join(root, 'dist/preload/index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (!nodeOnly) {
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  // The bundled sample field (simulated, deterministic; skipped when up to date).
  const sample = spawnSync(process.execPath, [join(root, 'scripts/makeSample.mjs')], { stdio: 'inherit' });
  if (sample.status !== 0) throw new Error('build: making the sample image failed');
}

console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s${nodeOnly ? ' (node only)' : ''}`);
