import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REAL_DATA_DIR, realImage } from '../../../test/helpers/paths';
import { AppError } from '../../shared/contract/errors';
import { writeFitsImage } from '../fits';
import type { StartWorker } from '../tiles';
import { directTile, makeImage, maxRelDiff } from '../tiles/testSupport';
import { ImageService } from './imageService';
import { startWorker } from './workers';

const root = mkdtempSync(join(tmpdir(), 'cirasa-imgsvc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(root, `${n++}-${name}`);

const services: ImageService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
});

interface Harness {
  svc: ImageService;
  events: { name: string; payload: unknown }[];
  workersStarted: () => number;
}

/** A service whose worker starts are counted, optionally gated (messages held until `release`). */
function harness(cacheDir: string, gate?: { release: Promise<void> }): Harness {
  const events: Harness['events'] = [];
  let started = 0;
  const start: StartWorker = (name, options) => {
    started++;
    const real = startWorker(name, options);
    if (!gate) return real;
    const proxy = new EventEmitter() as EventEmitter & { terminate(): Promise<number> };
    proxy.terminate = () => real.terminate();
    const held: [string, unknown][] = [];
    let open = false;
    void gate.release.then(() => {
      open = true;
      for (const [e, v] of held.splice(0)) proxy.emit(e, v);
    });
    for (const e of ['message', 'error', 'exit']) real.on(e, (v: unknown) => (open ? proxy.emit(e, v) : held.push([e, v])));
    return proxy as unknown as Worker;
  };
  const svc = new ImageService({ cacheDir, onEvent: (name, payload) => events.push({ name, payload }), startWorker: start });
  services.push(svc);
  return { svc, events, workersStarted: () => started };
}

async function writeImage(path: string, w: number, h: number, seed = 1): Promise<Float32Array> {
  const data = makeImage(w, h, seed);
  await writeFitsImage(path, { width: w, height: h, data });
  return data;
}

const waitFor = async (cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ImageService', () => {
  it('serves every tile of every level equal to a direct block mean, level 0 flipped to display order', async () => {
    const path = fresh('a.fits');
    const [w, h] = [1100, 700];
    const data = await writeImage(path, w, h);
    const { svc, events } = harness(fresh('cache'));
    const info = await svc.open({ path });
    expect(info).toMatchObject({ width: w, height: h, bitpix: -32, pyramid: { tileSize: 256, levels: 4, cached: false } });
    expect(info.stats.nanCount).toBeGreaterThan(0);
    await waitFor(() => events.some((e) => e.name === 'tiles.ready'));
    for (let level = 0; level < 4; level++) {
      const lw = Math.ceil(w / 2 ** level);
      const lh = Math.ceil(h / 2 ** level);
      for (let ty = 0; ty < Math.ceil(lh / 256); ty++) {
        for (let tx = 0; tx < Math.ceil(lw / 256); tx++) {
          const tile = await svc.readTile({ imageId: info.imageId, level, tx, ty });
          const ref = directTile(data, w, h, level, tx, ty);
          expect([tile.width, tile.height]).toEqual([ref.tw, ref.th]);
          expect(maxRelDiff(tile.data, ref.out)).toBeLessThan(1e-6);
        }
      }
    }
    // Right/bottom edge tile of level 0: 1100 = 4·256 + 76 wide, 700 = 2·256 + 188 high.
    const edge = await svc.readTile({ imageId: info.imageId, level: 0, tx: 4, ty: 2 });
    expect([edge.width, edge.height]).toEqual([76, 188]);
    // Display row 0 of tile (0,0) is Pixel0 row h-1.
    const first = await svc.readTile({ imageId: info.imageId, level: 0, tx: 0, ty: 0 });
    expect(first.data[10 + 20 * 256]).toBe(data[(h - 1 - 20) * w + 10]);
    expect(events.some((e) => e.name === 'tiles.progress')).toBe(true);
  });

  it('rejects tiles outside the pyramid and unknown or closed images', async () => {
    const path = fresh('b.fits');
    await writeImage(path, 300, 200);
    const { svc } = harness(fresh('cache'));
    const info = await svc.open({ path });
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    expect(await code(svc.readTile({ imageId: info.imageId, level: 0, tx: 2, ty: 0 }))).toBe('tiles.notFound');
    expect(await code(svc.readTile({ imageId: info.imageId, level: 2, tx: 0, ty: 0 }))).toBe('tiles.notFound');
    expect(await code(svc.readTile({ imageId: 'nope', level: 0, tx: 0, ty: 0 }))).toBe('image.notOpen');
    await svc.close(info.imageId);
    expect(await code(svc.readTile({ imageId: info.imageId, level: 0, tx: 0, ty: 0 }))).toBe('image.notOpen');
    expect(await code(svc.pixelValue(info.imageId, 0, 0))).toBe('image.notOpen');
  });

  it('re-open hits the cache (no worker, same stats), same-session re-open shares the build', async () => {
    const path = fresh('c.fits');
    const data = await writeImage(path, 900, 600);
    const cacheDir = fresh('cache');
    const a = harness(cacheDir);
    const info = await a.svc.open({ path });
    const again = await a.svc.open({ path });
    expect(again.imageId).toBe(info.imageId);
    await waitFor(() => a.events.some((e) => e.name === 'tiles.ready'));
    expect(a.workersStarted()).toBe(1);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.pyr'))).toHaveLength(1);

    const b = harness(cacheDir);
    const t0 = performance.now();
    const cached = await b.svc.open({ path });
    const ms = performance.now() - t0;
    expect(b.workersStarted()).toBe(0);
    expect(cached).toMatchObject({ imageId: info.imageId, pyramid: { ready: true, cached: true } });
    expect(cached.stats).toEqual(info.stats);
    expect(ms).toBeLessThan(300);
    const tile = await b.svc.readTile({ imageId: cached.imageId, level: 2, tx: 0, ty: 0 });
    expect(maxRelDiff(tile.data, directTile(data, 900, 600, 2, 0, 0).out)).toBeLessThan(1e-6);
  });

  it('a changed mtime invalidates the cache', async () => {
    const path = fresh('d.fits');
    await writeImage(path, 600, 600);
    const cacheDir = fresh('cache');
    const a = harness(cacheDir);
    const first = await a.svc.open({ path });
    await waitFor(() => a.events.some((e) => e.name === 'tiles.ready'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
    const b = harness(cacheDir);
    const second = await b.svc.open({ path });
    expect(second.imageId).not.toBe(first.imageId);
    expect(second.pyramid.cached).toBe(false);
    // The rebuild starts once the (absent) viewer's first view would have been served.
    await waitFor(() => b.workersStarted() === 1);
  });

  it('a tile requested during the build answers a sampled preview at once, and the exact tile once built', async () => {
    const [w, h] = [1500, 1300];
    const path = fresh('e.fits');
    const data = await writeImage(path, w, h);
    let release!: () => void;
    const gate = { release: new Promise<void>((r) => (release = r)) };
    const { svc, events } = harness(fresh('cache'), gate);
    const info = await svc.open({ path });
    expect(info.pyramid.ready).toBe(false);
    const preview = await svc.readTile({ imageId: info.imageId, level: 3, tx: 0, ty: 0 });
    expect(preview.preview).toBe(true);
    // Display row r of level 3 = block mean along x of the single source row at the middle of its 8-row block.
    const exactRef = directTile(data, w, h, 3, 0, 0);
    expect([preview.width, preview.height]).toEqual([exactRef.tw, exactRef.th]);
    for (const r of [0, 17, exactRef.th - 1]) {
      const y = Math.max(0, h - 1 - r * 8 - 4);
      for (const c of [0, 50, exactRef.tw - 1]) {
        let sum = 0;
        let n = 0;
        for (let x = c * 8; x < Math.min(w, c * 8 + 8); x++) {
          const v = data[y * w + x]!;
          if (Number.isFinite(v)) {
            sum += v;
            n++;
          }
        }
        const want = n ? sum / n : NaN;
        const got = preview.data[r * exactRef.tw + c]!;
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      }
    }
    const level0 = await svc.readTile({ imageId: info.imageId, level: 0, tx: 5, ty: 5 });
    expect(level0.width).toBe(w - 5 * 256);
    expect(level0.preview).toBeFalsy();
    release();
    await waitFor(() => events.some((e) => e.name === 'tiles.ready'));
    const exact = await svc.readTile({ imageId: info.imageId, level: 3, tx: 0, ty: 0 });
    expect(exact.preview).toBeFalsy();
    expect(maxRelDiff(exact.data, exactRef.out)).toBeLessThan(1e-6);
    expect((await svc.open({ path })).pyramid.ready).toBe(true);
  });

  it('closing during the build stops it and leaves no cache file', async () => {
    const path = fresh('f.fits');
    await writeImage(path, 1200, 1200);
    const cacheDir = fresh('cache');
    let release!: () => void;
    const { svc, events } = harness(cacheDir, { release: new Promise<void>((r) => (release = r)) });
    const info = await svc.open({ path });
    await svc.close(info.imageId);
    release();
    const afterClose = await svc.readTile({ imageId: info.imageId, level: 2, tx: 0, ty: 0 }).then(
      () => 'ok',
      (e: unknown) => (e instanceof AppError ? e.code : String(e)),
    );
    expect(afterClose).toBe('image.notOpen');
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(events.some((e) => e.name === 'tiles.ready' || e.name === 'tiles.failed')).toBe(false);
  });

  it('a failed build reports tiles.failed and tiles are still served (computed from the image)', async () => {
    const path = fresh('h.fits');
    const data = await writeImage(path, 700, 520);
    const events: { name: string; payload: unknown }[] = [];
    const broken: StartWorker = () => {
      const fake = new EventEmitter() as EventEmitter & { terminate(): Promise<number> };
      fake.terminate = async () => 1;
      setTimeout(() => fake.emit('message', { type: 'error', message: 'disk full' }), 5);
      return fake as unknown as Worker;
    };
    const cacheDir = fresh('cache');
    const svc = new ImageService({ cacheDir, onEvent: (name, payload) => events.push({ name, payload }), startWorker: broken });
    services.push(svc);
    const info = await svc.open({ path });
    await waitFor(() => events.some((e) => e.name === 'tiles.failed'));
    expect(events.find((e) => e.name === 'tiles.failed')!.payload).toMatchObject({ imageId: info.imageId, message: 'disk full' });
    const tile = await svc.readTile({ imageId: info.imageId, level: 2, tx: 0, ty: 0 });
    expect(maxRelDiff(tile.data, directTile(data, 700, 520, 2, 0, 0).out)).toBeLessThan(1e-6);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('prunes least recently used pyramids beyond the cache size bound, sparing open ones', async () => {
    const cacheDir = fresh('cache');
    const paths = [fresh('p1.fits'), fresh('p2.fits'), fresh('p3.fits')];
    for (const p of paths) await writeImage(p, 600, 600);
    const events: { name: string; payload: unknown }[] = [];
    // One 600² pyramid is ~450 KB (levels 1 and 2): a 1 MB bound keeps two.
    const svc = new ImageService({ cacheDir, cacheMaxBytes: 1_000_000, onEvent: (name, payload) => events.push({ name, payload }) });
    services.push(svc);
    for (const [i, p] of paths.entries()) {
      const info = await svc.open({ path: p });
      await waitFor(() => events.filter((e) => e.name === 'tiles.ready').length === i + 1);
      await new Promise((r) => setTimeout(r, 50));
      if (i < 2) await svc.close(info.imageId);
    }
    await waitFor(() => readdirSync(cacheDir).filter((f) => f.endsWith('.pyr')).length === 2);
    const b = harness(cacheDir);
    expect((await b.svc.open({ path: paths[0]! })).pyramid.cached).toBe(false);
    expect((await b.svc.open({ path: paths[2]! })).pyramid.cached).toBe(true);
  });

  it('an unusable cache folder still opens the image and serves tiles', async () => {
    const path = fresh('i.fits');
    const data = await writeImage(path, 600, 300);
    const notADir = fresh('file');
    writeFileSync(notADir, 'x');
    const { svc, events } = harness(join(notADir, 'cache'));
    const info = await svc.open({ path });
    const tile = await svc.readTile({ imageId: info.imageId, level: 1, tx: 1, ty: 0 });
    expect(maxRelDiff(tile.data, directTile(data, 600, 300, 1, 1, 0).out)).toBeLessThan(1e-6);
    await waitFor(() => events.some((e) => e.name === 'tiles.failed'));
  });

  it('a file that is not FITS is refused with fits.notFits and nothing stays open', async () => {
    const path = fresh('g.fits');
    writeFileSync(path, 'hello');
    const { svc } = harness(fresh('cache'));
    await expect(svc.open({ path })).rejects.toMatchObject({ code: 'fits.notFits' });
  });
});

describe('ImageService on real images', () => {
  const real = realImage('caesar_ScorpioExtendedSourceField_ATCA.fits');

  it('matches astropy/numpy: level-0 tile, level-2 block mean, pixel values', async () => {
    const { svc, events } = harness(fresh('cache'));
    const info = await svc.open({ path: real });
    expect(info).toMatchObject({ width: 1000, height: 1000, pyramid: { levels: 3 } });
    expect(info.headerText.length).toBeGreaterThan(5);
    expect(info.cards.NAXIS1).toBe(1000);
    expect(info.wcsSummary).toBe('RA---NCP/DEC--NCP, FK5 J2000');
    const ref = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          '-c',
          `import sys, json, numpy as np, warnings
from astropy.io import fits
warnings.simplefilter('ignore')
d = fits.getdata(sys.argv[1]).astype(np.float64)
while d.ndim > 2: d = d[0]
disp = d[::-1]
t0 = disp[0:256, 256:512]
l2 = np.nanmean(disp.reshape(250, 4, 250, 4), axis=(1, 3))
print(json.dumps(dict(t0=np.nan_to_num(t0, nan=-999).ravel().tolist(), l2=np.nan_to_num(l2, nan=-999).ravel().tolist(), p=[d[10, 20], d[999, 0], d[500, 321]])))`,
          real,
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      ),
    ) as { t0: number[]; l2: number[]; p: number[] };
    const nanTo = (a: Float32Array) => Array.from(a, (v) => (Number.isNaN(v) ? -999 : v));
    const t0 = await svc.readTile({ imageId: info.imageId, level: 0, tx: 1, ty: 0 });
    expect(maxRelDiff(nanTo(t0.data), ref.t0)).toBeLessThan(1e-6);
    await waitFor(async () => (await svc.open({ path: real })).pyramid.ready);
    const l2 = await svc.readTile({ imageId: info.imageId, level: 2, tx: 0, ty: 0 });
    expect([l2.width, l2.height]).toEqual([250, 250]);
    expect(maxRelDiff(nanTo(l2.data), ref.l2)).toBeLessThan(1e-5);
    expect((await svc.pixelValue(info.imageId, 20, 10)).value).toBeCloseTo(ref.p[0]!, 9);
    expect((await svc.pixelValue(info.imageId, 0.4, 998.6)).value).toBeCloseTo(ref.p[1]!, 9);
    expect(await svc.pixelValue(info.imageId, 321.2, 499.8)).toMatchObject({ x: 321, y: 500 });
    expect((await svc.pixelValue(info.imageId, -3, 0)).value).toBeNull();
    await waitFor(() => events.some((e) => e.name === 'tiles.ready'));
  });

  it('cube planes are separate images (own imageId, own values)', async () => {
    const { svc } = harness(fresh('cache'));
    const cube = realImage('obit_3C138_VLA15GHz_IQUcube.fits');
    const i = await svc.open({ path: cube });
    const q = await svc.open({ path: cube, plane: [1, 0] });
    expect(q.imageId).not.toBe(i.imageId);
    expect(q.plane).toEqual([1, 0]);
    expect(q.planeAxes.map((a) => a.length)).toEqual([3, 1]);
    // astropy: data[0, k, 40, 46] = 0.029057832 (I), 0.006906492 (Q)
    expect((await svc.pixelValue(i.imageId, 46, 40)).value).toBeCloseTo(0.029057832, 8);
    expect((await svc.pixelValue(q.imageId, 46, 40)).value).toBeCloseTo(0.006906492, 8);
    const tile = await svc.readTile({ imageId: q.imageId, level: 0, tx: 0, ty: 0 });
    expect(tile.data[(73 - 40) * 93 + 46]).toBeCloseTo(0.006906492, 8);
  });

  it('opens every real image and serves its coarsest tile', async () => {
    const { svc } = harness(fresh('cache'));
    const dir = REAL_DATA_DIR;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.fits') && !x.includes('_comp'))) {
      const info = await svc.open({ path: join(dir, f) });
      expect(info.stats.finiteCount).toBeGreaterThan(0);
      expect(info.stats.zscale.z1).toBeLessThan(info.stats.zscale.z2);
      const top = await svc.readTile({ imageId: info.imageId, level: info.pyramid.levels - 1, tx: 0, ty: 0 });
      expect(top.width).toBeGreaterThan(0);
      await svc.close(info.imageId);
    }
  });
});
