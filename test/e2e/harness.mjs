// Shared pieces of the end-to-end tests: the headless server in a temp data folder, Debian's
// Chromium through playwright-core, and small page helpers. Plain Node (no test framework).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = join(ROOT, 'test-results');
/** Real survey images (see PROVENANCE.md there); steps that need them are skipped when the folder is absent. */
export const REAL_DATA = process.env.CIRASA_REAL_DATA ?? fileURLToPath(new URL('../../../shared/data/real', import.meta.url));

/** Start `node dist/main/server.js --port 0` with its own data folder; resolves with the login URL. */
export async function startServer({ timeoutMs = 90_000 } = {}) {
  const server = join(ROOT, 'dist/main/server.js');
  if (!existsSync(server) || !existsSync(join(ROOT, 'dist/renderer/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cirasa-e2e-'));
  const child = spawn(process.execPath, [server, '--port', '0'], {
    env: { ...process.env, CIRASA_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const loginUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print its URL within ${timeoutMs} ms\n${log}`)), timeoutMs);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      log += d;
      const m = /CIRASA web: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}\n${log}`));
    });
  });
  return {
    loginUrl,
    origin: new URL(loginUrl).origin,
    dataDir,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CIRASA_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Poll `fn` (in Node) until it returns a truthy value; throws with `what` on timeout. */
export async function waitFor(fn, what, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Wait until the viewer has an image whose visible tiles are all loaded and drawn. */
export async function waitForTiles(page, what = 'tiles', timeoutMs = 60_000) {
  await waitFor(
    () => page.evaluate(() => Boolean(window.cirasaViewer?.fullyLoaded() && window.cirasaViewer.visibleTileCount() > 0)),
    what,
    { timeoutMs },
  );
  await page.waitForTimeout(300); // one more frame for the drawer
}

/**
 * Statistics of the OSD canvas (the tiles only, no overlays): mean and variance of luminance, the
 * share of clearly coloured (non-grey) pixels, and a sample signature to compare two pictures.
 */
export function canvasStats(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('.viewer-osd .openseadragon-canvas canvas');
    if (!canvas) return null;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    const data = ctx.getImageData(0, 0, width, height).data;
    let n = 0;
    let sum = 0;
    let sum2 = 0;
    let coloured = 0;
    const signature = [];
    const step = Math.max(1, Math.floor((width * height) / 20000));
    for (let i = 0; i < width * height; i += step) {
      const r = data[4 * i];
      const g = data[4 * i + 1];
      const b = data[4 * i + 2];
      const a = data[4 * i + 3];
      if (a === 0) continue;
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      n++;
      sum += y;
      sum2 += y * y;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 30) coloured++;
      if (signature.length < 4000) signature.push((r << 16) | (g << 8) | b);
    }
    const mean = n ? sum / n : 0;
    return { width, height, opaque: n, mean, variance: n ? sum2 / n - mean * mean : 0, colouredFraction: n ? coloured / n : 0, signature };
  });
}

export function differingFraction(a, b) {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let d = 0;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) d++;
  return d / n;
}

/** World coordinates of a Pixel0 position from astropy (the independent reference), native frame, degrees. */
export function astropyPixelToWorld(fitsPath, x, y) {
  const code = [
    'import sys, json, warnings',
    'warnings.simplefilter("ignore")',
    'from astropy.io import fits',
    'from astropy.wcs import WCS',
    'h = fits.getheader(sys.argv[1])',
    'w = WCS(h).celestial',
    'ra, dec = w.all_pix2world([[float(sys.argv[2]), float(sys.argv[3])]], 0)[0]',
    'from astropy.wcs.utils import proj_plane_pixel_scales',
    'import numpy as np',
    'd = fits.getdata(sys.argv[1])',
    'while d.ndim > 2: d = d[0]',
    'v = float(d[int(round(float(sys.argv[3]))), int(round(float(sys.argv[2])))])',
    'print(json.dumps({"lon": float(ra), "lat": float(dec), "pixelScaleDeg": float(np.mean(proj_plane_pixel_scales(w))), "value": None if v != v else v}))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, fitsPath, String(x), String(y)], { encoding: 'utf8' }));
}
