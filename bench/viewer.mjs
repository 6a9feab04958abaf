// Viewer benchmark (not a test): a large float32 map made by `cirasa simulate`, opened in browser mode and
// in SAOImage DS9 (under Xvfb, driven through XPA) in the same run. Prints:
//   open → first full view (cold pyramid, and cached), tile fetch p50/p95, recolour time of the visible
//   tiles, peak RSS of the serving process, DS9's load time and the ratio.
// Usage: node bench/viewer.mjs [--size 16384] [--dir DIR] [--no-ds9]
// "Cold" means the tile pyramid is not cached (a fresh data folder); the file itself is in the OS page cache
// in both our runs and DS9's (it was just written), so the comparison is like for like.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '16384' },
    dir: { type: 'string', default: join(root, 'bench', 'results', 'data') },
    'no-ds9': { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const workDir = values.dir;
mkdirSync(workDir, { recursive: true });

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const sec = (x) => `${(x / 1000).toFixed(2)} s`;
const mb = (bytes) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

// Always measure the current sources.
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

// 1. The image.
const image = join(workDir, `bench-${size}.fits`);
if (!existsSync(image)) {
  const t = Date.now();
  execFileSync(process.execPath, [join(root, 'dist/main/cli.js'), 'simulate', '--size', String(size), '--out', image, '--seed', '7', '--quiet'], {
    stdio: 'inherit',
  });
  console.log(`simulate: ${size}² in ${sec(Date.now() - t)}`);
}
const fileBytes = statSync(image).size;

function peakRssBytes(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function startServer(dataDir) {
  const child = spawn(process.execPath, [join(root, 'dist/main/server.js'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c) => {
      text += c.toString();
      const m = /CIRASA web: (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const u = new URL(url);
  return { child, url, origin: u.origin, token: u.searchParams.get('token') };
}

async function call(server, method, input) {
  const res = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = await res.json();
  if (!body.ok) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
  return body.value;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

async function viewerRun(label, dataDir) {
  const server = await startServer(dataDir);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.goto(server.url);
    // The app opens the sample field first; wait for it so its work is not counted.
    await page.waitForFunction(() => window.cirasaViewer?.fullyLoaded() === true, null, { timeout: 60_000 }).catch(async (err) => {
      await page.screenshot({ path: join(workDir, 'timeout.png') });
      console.log(await page.evaluate(() => document.body.innerText.slice(0, 500)));
      throw err;
    });
    const name = image.split('/').pop();
    const t0 = Date.now();
    await call(server, 'app.requestOpen', { path: image });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=image-title]')?.textContent?.includes(n) && window.cirasaViewer?.fullyLoaded() === true,
      name,
      { timeout: 120_000, polling: 10 },
    );
    const firstViewMs = Date.now() - t0;
    const previewTiles = await page.evaluate(() => window.cirasaViewer.previewTileCount());
    // The exact view: pyramid complete and any sampled preview tiles replaced by their block means.
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=pyramid-progress]') && window.cirasaViewer?.previewTileCount() === 0 && window.cirasaViewer?.fullyLoaded() === true,
      null,
      { timeout: 300_000, polling: 20 },
    );
    await page.waitForTimeout(50);
    const exactViewMs = Date.now() - t0;
    const tileTimes = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((e) => e.name.includes('/tiles/')).map((e) => e.duration),
    );
    // Recolour the visible tiles: colormaps and stretches, no refetch.
    const recolour = [];
    const requestsBefore = await page.evaluate(() => window.cirasaViewer.tileRequestCount());
    for (const [sel, value] of [
      ['colormap', 'viridis'], ['stretch', 'asinh'], ['colormap', 'inferno'], ['stretch', 'log'], ['colormap', 'grey'], ['stretch', 'linear'],
    ]) {
      const before = await page.evaluate(() => window.cirasaViewer.lastRecolourMs());
      await page.selectOption(`[data-testid=${sel}]`, value);
      await page.waitForTimeout(150);
      const after = await page.evaluate(() => window.cirasaViewer.lastRecolourMs());
      if (after !== before || recolour.length === 0) recolour.push(after);
    }
    const requestsAfter = await page.evaluate(() => window.cirasaViewer.tileRequestCount());
    const visibleTiles = await page.evaluate(() => window.cirasaViewer.visibleTileCount());
    // Tile fetch latency straight from the server: random tiles at every level (level 0 = from the FITS file).
    const info = await call(server, 'fits.open', { path: image });
    const fetchMs = [];
    for (let i = 0; i < 300; i++) {
      const level = i % info.pyramid.levels;
      const w = Math.ceil(info.width / 2 ** level / 256);
      const h = Math.ceil(info.height / 2 ** level / 256);
      const tx = Math.floor(Math.random() * w);
      const ty = Math.floor(Math.random() * h);
      const t = performance.now();
      const res = await fetch(`${server.origin}/tiles/${encodeURIComponent(info.imageId)}/${level}/${tx}/${ty}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      await res.arrayBuffer();
      fetchMs.push(performance.now() - t);
    }
    return {
      label,
      firstViewMs,
      previewTiles,
      exactViewMs,
      browserTileMs: { p50: median(tileTimes), p95: pct(tileTimes, 95), n: tileTimes.length },
      serverTileMs: { p50: median(fetchMs), p95: pct(fetchMs, 95), n: fetchMs.length },
      recolourMs: { median: median(recolour), max: Math.max(...recolour), visibleTiles },
      refetchedOnRecolour: requestsAfter - requestsBefore,
      peakRssBytes: peakRssBytes(server.child.pid),
    };
  } finally {
    await page.close();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

function ds9Run() {
  if (values['no-ds9']) return null;
  if (spawnSync('which', ['ds9', 'xpaset', 'Xvfb']).status !== 0) {
    console.log('ds9: not installed (apt install saods9 xpa-tools xvfb); skipped');
    return null;
  }
  const display = ':' + (90 + Math.floor(Math.random() * 9));
  const env = { ...process.env, DISPLAY: display, XPA_METHOD: 'local' };
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1600x1000x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const title = `ds9bench${process.pid}`;
  let ds9;
  try {
    spawnSync('sleep', ['1']);
    ds9 = spawn('ds9', ['-xpa', 'local', '-title', title, '-geometry', '1600x1000'], { env, stdio: 'ignore' });
    const xpa = (...args) => spawnSync(args[0], args.slice(1), { env, encoding: 'utf8', timeout: 300_000 });
    for (let i = 0; i < 100 && xpa('xpaget', '-p', title, 'version').status !== 0; i++) spawnSync('sleep', ['0.2']);
    const loads = [];
    for (let i = 0; i < 2; i++) {
      xpa('xpaset', '-p', title, 'frame', 'clear');
      const t = performance.now();
      xpa('xpaset', '-p', title, 'file', image);
      xpa('xpaset', '-p', title, 'update', 'now');
      loads.push(performance.now() - t);
    }
    return { loadMs: loads, version: xpa('xpaget', '-p', title, 'version').stdout.trim() };
  } finally {
    ds9?.kill('SIGTERM');
    xvfb.kill('SIGTERM');
  }
}

const dataDir = join(workDir, `viewer-data-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
const cold = await viewerRun('cold', dataDir);
const cached = await viewerRun('cached', dataDir);
await browser.close();
const ds9 = ds9Run();
rmSync(dataDir, { recursive: true, force: true });

const rssLimit = 0.5 * fileBytes + 300 * 1024 ** 2;
const ds9Load = ds9 ? Math.min(...ds9.loadMs) : NaN;
const lines = [
  `viewer benchmark: ${size}² float32, ${mb(fileBytes)} (machine: ${(await import('node:os')).cpus().length} cores)`,
  `  open → first full view, cold pyramid : ${sec(cold.firstViewMs)}   (target ≤ 2 s; ${cold.previewTiles} of its tiles sampled previews)`,
  `  open → exact view (pyramid complete, previews replaced), cold: ${sec(cold.exactViewMs)}`,
  `  open → first full view, cached       : ${sec(cached.firstViewMs)}   (target ≤ 0.3 s)`,
  `  tile fetch (server, 300 random tiles, all levels): p50 ${ms(cached.serverTileMs.p50)}, p95 ${ms(cached.serverTileMs.p95)}   (target p95 ≤ 20 ms)`,
  `  tile fetch (browser, during first view, cold)    : p50 ${ms(cold.browserTileMs.p50)}, p95 ${ms(cold.browserTileMs.p95)} over ${cold.browserTileMs.n}`,
  `  recolour of the ${cached.recolourMs.visibleTiles} visible tiles: median ${ms(cached.recolourMs.median)}, max ${ms(cached.recolourMs.max)}   (target ≤ 50 ms); tiles refetched: ${cached.refetchedOnRecolour}`,
  `  peak RSS of the server: cold ${mb(cold.peakRssBytes)}, cached ${mb(cached.peakRssBytes)}   (limit 0.5 × file + 300 MB = ${mb(rssLimit)})`,
  ds9
    ? `  SAOImage DS9 ${ds9.version}: load + draw ${ds9.loadMs.map(sec).join(', ')}; ours cold / DS9 = ${(cold.firstViewMs / ds9Load).toFixed(2)}, cached / DS9 = ${(cached.firstViewMs / ds9Load).toFixed(2)}`
    : '  SAOImage DS9: skipped',
];
console.log(lines.join('\n'));
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', `viewer-${size}.json`),
  JSON.stringify({ size, fileBytes, cold, cached, ds9, date: new Date().toISOString() }, null, 2),
);
