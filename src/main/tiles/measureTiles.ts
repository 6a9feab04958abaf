/**
 * Speed check of ImageService on a big synthetic float32 image (not a test; run by hand):
 *   npx tsx src/main/tiles/measureTiles.ts [side=16384] [dir=/tmp]
 * Writes <dir>/cirasa-measure-<side>.fits, measures cold open, time to the coarsest tile, tile read
 * latencies (level 0 from FITS, cached levels), cached re-open and peak RSS, then deletes its files.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageService } from '../app/imageService';
import { writeFitsImage } from '../fits';
import { cacheFilePath, openPyramidFile } from './pyramidCache';

const side = Number(process.argv[2] ?? 16384);
const dir = process.argv[3] ?? '/tmp';
const path = join(dir, `cirasa-measure-${side}.fits`);
const cacheDir = join(dir, `cirasa-measure-cache-${process.pid}`);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);

function* rows(): Generator<Float32Array> {
  const block = 256;
  let s = 12345;
  for (let y0 = 0; y0 < side; y0 += block) {
    const n = Math.min(block, side - y0);
    const out = new Float32Array(side * n);
    for (let i = 0; i < out.length; i++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      out[i] = (s / 4294967296 - 0.5) * 0.002;
    }
    for (let j = 0; j < n; j++) for (let x = 0; x < 64; x++) out[j * side + x] = NaN;
    yield out;
  }
}

function p95(ms: number[]): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.floor(0.95 * (s.length - 1))]!;
}

async function tileTimes(svc: ImageService, imageId: string, level: number, n: number, tilesPerSide: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const tx = Math.floor(Math.random() * tilesPerSide);
    const ty = Math.floor(Math.random() * tilesPerSide);
    const t0 = performance.now();
    await svc.readTile({ imageId, level, tx, ty });
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  let t = performance.now();
  await writeFitsImage(path, { width: side, height: side, data: rows() });
  console.log(`wrote ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  peakRss = process.memoryUsage.rss();
  const rssBefore = peakRss;
  let readyAt = 0;
  let firstProgressAt = 0;
  const svc = new ImageService({
    cacheDir,
    onEvent: (name) => {
      if (name === 'tiles.ready') readyAt = performance.now();
      if (name === 'tiles.progress' && !firstProgressAt) firstProgressAt = performance.now();
    },
  });
  t = performance.now();
  const info = await svc.open({ path });
  const openMs = performance.now() - t;
  const top = info.pyramid.levels - 1;
  await svc.readTile({ imageId: info.imageId, level: top, tx: 0, ty: 0 });
  const coarsestMs = performance.now() - t;
  const l0 = await tileTimes(svc, info.imageId, 0, 200, side / 256);
  while (!readyAt) await new Promise((r) => setTimeout(r, 50));
  console.log(`cold: open ${openMs.toFixed(0)} ms (stats), coarsest tile ${coarsestMs.toFixed(0)} ms, whole pyramid ${(readyAt - t).toFixed(0)} ms (first progress event, i.e. worker up + 1 % read, at ${(firstProgressAt - t).toFixed(0)} ms)`);
  const opened = await openPyramidFile(cacheFilePath(cacheDir, info.imageId), {
    path: info.path, fileSizeBytes: info.fileSizeBytes, mtimeMs: (await stat(path)).mtimeMs, hdu: info.hdu, plane: info.plane,
  });
  console.log(`pass in the worker: ${opened?.meta.buildMs.toFixed(0)} ms wall, ${opened?.meta.buildCpuMs} ms CPU of the worker thread`);
  await opened?.file.close();
  console.log(`level 0 tile p95 ${p95(l0).toFixed(1)} ms (during/after build, 200 random)`);
  await svc.close(info.imageId);
  const svc2 = new ImageService({ cacheDir, onEvent: () => undefined });
  t = performance.now();
  const info2 = await svc2.open({ path });
  await svc2.readTile({ imageId: info2.imageId, level: top, tx: 0, ty: 0 });
  console.log(`cached: open + coarsest tile ${(performance.now() - t).toFixed(0)} ms (cached=${info2.pyramid.cached})`);
  const l1 = await tileTimes(svc2, info2.imageId, 1, 200, side / 512);
  const l2 = await tileTimes(svc2, info2.imageId, 2, 200, side / 1024);
  const l0b = await tileTimes(svc2, info2.imageId, 0, 200, side / 256);
  console.log(`tile p95: level 1 ${p95(l1).toFixed(1)} ms, level 2 ${p95(l2).toFixed(1)} ms, level 0 ${p95(l0b).toFixed(1)} ms`);
  await svc2.dispose();
  await svc.dispose();
  const fileMb = (side * side * 4) / 2 ** 20;
  console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (before open ${(rssBefore / 2 ** 20).toFixed(0)} MB); bar 0.5×file+300 = ${(0.5 * fileMb + 300).toFixed(0)} MB`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearInterval(sampler);
    await rm(path, { force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });
