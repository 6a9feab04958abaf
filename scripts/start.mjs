// `npm start [-- file.fits]`: the desktop app. Finds the Electron binary (downloading it once if npm's
// postinstall could not), builds dist/ when it is missing or older than the sources, and starts
// Electron. Where the desktop shell cannot run, it says why in one sentence and offers browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const DOWNLOAD_TIMEOUT_MS = Number(process.env.CIRASA_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 5 * 60_000;
const EARLY_EXIT_MS = 10_000;

/** First meaningful line of an error text: the reason, never the stack. */
function reasonOf(text) {
  const line = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at '));
  return (line ?? 'unknown error').replace(/^(Error|RequestError|HTTPError):\s*/, '').slice(0, 300);
}

/** { path } of a runnable Electron binary, or { missing: 'package' | 'binary', reason }. */
function locateElectron() {
  let resolved;
  try {
    resolved = require.resolve('electron');
  } catch {
    return { missing: 'package', reason: 'Electron is not installed: npm skipped the optional dependency' };
  }
  delete require.cache[resolved]; // re-read after a download in this same run
  try {
    const path = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: 'binary', reason: `the Electron binary is missing (${path})` };
  } catch (err) {
    return { missing: 'binary', reason: reasonOf(err?.message) };
  }
}

/** Run electron's own install.js once (the first-run download); answers null or why it failed. */
function downloadElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'download skipped: ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  const installJs = join(dirname(require.resolve('electron/package.json')), 'install.js');
  if (!existsSync(installJs)) return 'its installer is missing';
  process.stderr.write('Downloading the Electron desktop shell (first run, about 100 MB)…\n');
  const run = spawnSync(process.execPath, [installJs], {
    cwd: dirname(installJs),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
  });
  if (run.error?.code === 'ETIMEDOUT') return `download failed: no answer within ${Math.round(DOWNLOAD_TIMEOUT_MS / 1000)} s`;
  if (run.error) return `download failed: ${reasonOf(run.error.message)}`;
  if (run.status !== 0) return `download failed: ${reasonOf(run.stderr || run.stdout)}`;
  return null;
}

function noDisplayReason() {
  if (process.platform !== 'linux') return null;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return 'no graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set';
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/ is stale when an output is missing or any source (tests aside) is newer than the oldest output. */
function buildIsStale() {
  const outputs = ['dist/main/index.js', 'dist/preload/index.cjs', 'dist/renderer/index.html'].map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const inputs = ['package.json', 'vite.config.ts', 'scripts/build.mjs', 'scripts/workerEntries.mjs']
    .map((p) => join(root, p))
    .filter((p) => existsSync(p))
    .map((p) => statSync(p).mtimeMs);
  return Math.max(newestMtime(join(root, 'src')), ...inputs) > built;
}

function runAndExit(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  const started = Date.now();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`Could not start ${command}: ${reasonOf(err.message)}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (options.onEarlyFailure && code !== 0 && Date.now() - started < EARLY_EXIT_MS) options.onEarlyFailure(code, signal);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

async function offerBrowserMode(sentence) {
  process.stderr.write(`\n${sentence}\nCIRASA runs in your browser instead: npm run web\n\n`);
  if (!process.stdin.isTTY) process.exit(1);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on('SIGINT', () => {
    // Without a listener readline only pauses on Ctrl+C, leaving the prompt hanging.
    process.stderr.write('\n');
    process.exit(130);
  });
  const answer = (await rl.question('Start browser mode now? [Y/n] ')).trim().toLowerCase();
  rl.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') process.exit(1);
  runAndExit(process.execPath, [join(root, 'scripts/web.mjs')]);
}

async function main() {
  let electron = locateElectron();
  if (electron.missing === 'binary') {
    const failure = downloadElectron();
    electron = failure ? { missing: 'binary', reason: failure } : locateElectron();
  }
  if (!electron.path) {
    return offerBrowserMode(`The Electron desktop shell is not available on this machine (${electron.reason}).`);
  }
  const noDisplay = noDisplayReason();
  if (noDisplay) return offerBrowserMode(`The Electron desktop shell cannot start here (${noDisplay}).`);

  if (buildIsStale()) {
    const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
    if (built.status !== 0) {
      process.stderr.write('npm start: the build failed (see above).\n');
      process.exit(built.status ?? 1);
    }
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set, it would make the binary a plain Node and ignore the app
  runAndExit(electron.path, [root, ...process.argv.slice(2)], {
    env,
    onEarlyFailure: (code, signal) => {
      const asRoot =
        process.platform === 'linux' && process.getuid?.() === 0 ? ' (Electron does not run as root on Linux: start CIRASA as a normal user.)' : '';
      process.stderr.write(
        `\nThe desktop shell stopped right after starting (${signal ?? `exit code ${code}`}).${asRoot}\n` +
          'If it cannot run on this machine, CIRASA runs in your browser instead: npm run web\n',
      );
    },
  });
}

main().catch((err) => {
  process.stderr.write(`npm start: ${reasonOf(err?.message ?? err)}\n`);
  process.exit(1);
});
