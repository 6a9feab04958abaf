import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START = join(__dirname, '..', '..', 'scripts', 'start.mjs');

/** Run `npm start`'s script without a TTY (stdin ignored), as `npm start < /dev/null` does. */
function start(env: Record<string, string | undefined>) {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return spawnSync(process.execPath, [START], { env: merged, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
}

function expectCleanFallback(run: ReturnType<typeof start>, reason: RegExp): void {
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr).toContain('CIRASA runs in your browser instead: npm run web');
  // A sentence for the user, not a crash: no stack frames, no prompt without a terminal.
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('Start browser mode now?');
}

describe('npm start without a usable desktop shell', () => {
  it('explains that Electron is missing, points to browser mode and exits 1 when not interactive', () => {
    const run = start({
      // Wherever the tests run, pretend the binary is missing and never download.
      ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'cirasa-no-electron-here'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    });
    expectCleanFallback(run, /The Electron desktop shell is not available on this machine \(download skipped: ELECTRON_SKIP_BINARY_DOWNLOAD is set\)\./);
  });

  it.runIf(process.platform === 'linux')('explains that there is no display when the binary exists but cannot show a window', () => {
    const dist = mkdtempSync(join(tmpdir(), 'cirasa-fake-electron-'));
    const fake = join(dist, 'electron');
    writeFileSync(fake, '#!/bin/sh\necho fake electron must not run >&2\nexit 3\n');
    chmodSync(fake, 0o755);
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expectCleanFallback(run, /The Electron desktop shell cannot start here \(no graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set\)\./);
    expect(run.stderr).not.toContain('fake electron must not run');
  });
});
