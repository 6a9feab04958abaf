import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFitsImage } from '../fits/writer';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane, makeRng } from './synthetic';
import { canonicalize, runFinderTiled } from './tiledFinder';
import type { ImagePlane } from './types';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

/** Point sources, a large extended source crossing tile borders, a blend, a NaN hole and an edge source. */
function field(): ImagePlane {
  const w = 300, h = 260;
  const plane = makePlane(w, h);
  plane.data = new Float32Array(new SharedArrayBuffer(w * h * 4));
  addNoise(plane, 1, 31);
  const rng = makeRng(32);
  for (let k = 0; k < 120; k++) {
    addGaussian(plane, { amp: 5 * 40 ** rng(), x: rng() * w, y: rng() * h, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
  }
  addGaussian(plane, { amp: 30, x: 128, y: 130, majorSigma: 20, minorSigma: 7, paDeg: 35 });
  addGaussian(plane, { amp: 60, x: 200, y: 64, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
  addGaussian(plane, { amp: 15, x: 203, y: 66, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
  addGaussian(plane, { amp: 40, x: 0.5, y: 100, majorSigma: 2, minorSigma: 2, paDeg: 0 });
  for (let y = 180; y < 186; y++) for (let x = 60; x < 70; x++) plane.data[y * w + x] = NaN;
  addGaussian(plane, { amp: 50, x: 64, y: 183, majorSigma: 2.5, minorSigma: 2.5, paDeg: 0 });
  return plane;
}

describe('tiled finder', () => {
  const plane = field();
  const whole = runFinder(plane, beam);
  const reference = canonicalize(whole.islands, whole.components, plane.width);
  const spec = { kind: 'memory' as const, width: plane.width, height: plane.height, data: plane.data };

  it('the field exercises what tiling must get right', () => {
    expect(reference.islands.length).toBeGreaterThan(80);
    expect(reference.islands.some((i) => Math.max(i.bbox.xMax - i.bbox.xMin, i.bbox.yMax - i.bbox.yMin) > 80)).toBe(true); // larger than a tile
    expect(reference.islands.some((i) => i.flags.nanNearby)).toBe(true);
    expect(reference.islands.some((i) => i.flags.touchesEdge)).toBe(true);
  });

  for (const tileSize of [64, 100]) {
    it(`in-process, tile ${tileSize}: identical to the whole-image run`, async () => {
      const tiled = await runFinderTiled(spec, beam, {}, { tileSize });
      expect(tiled.deferred).toBeGreaterThan(0);
      expect(tiled.medianRms).toBe(whole.medianRms);
      expect(tiled.islands).toEqual(reference.islands);
      expect(tiled.components).toEqual(reference.components);
    });
  }

  for (const threads of [1, 2, 4]) {
    it(`${threads} worker thread(s), tile 80: identical`, async () => {
      const tiled = await runFinderTiled(spec, beam, {}, { tileSize: 80, threads });
      expect(tiled.islands).toEqual(reference.islands);
      expect(tiled.components).toEqual(reference.components);
    });
  }

  it('reports progress and can be cancelled', async () => {
    const controller = new AbortController();
    const phases = new Set<string>();
    const p = runFinderTiled(spec, beam, {}, {
      tileSize: 64,
      signal: controller.signal,
      onProgress: ({ phase, done }) => {
        phases.add(phase);
        if (phase === 'detect' && done === 2) controller.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases.has('background')).toBe(true);
  });
});

describe('tiled finder, two runs at once in one thread', () => {
  it('gives each run its own work arrays (the in-process tasks of two runs interleave at their reads)', async () => {
    const a = field();
    const b = makePlane(260, 300);
    addNoise(b, 1, 41);
    const rng = makeRng(42);
    for (let k = 0; k < 80; k++) addGaussian(b, { amp: 5 * 40 ** rng(), x: rng() * 260, y: rng() * 300, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    const specOf = (p: ImagePlane) => ({ kind: 'memory' as const, width: p.width, height: p.height, data: p.data });
    const alone = [await runFinderTiled(specOf(a), beam, {}, { tileSize: 64 }), await runFinderTiled(specOf(b), beam, {}, { tileSize: 64 })];
    const together = await Promise.all([runFinderTiled(specOf(a), beam, {}, { tileSize: 64 }), runFinderTiled(specOf(b), beam, {}, { tileSize: 64 })]);
    for (let k = 0; k < 2; k++) {
      expect(together[k].islands).toEqual(alone[k].islands);
      expect(together[k].components).toEqual(alone[k].components);
    }
  });
});

describe('tiled finder with a filtered background grid', () => {
  it('is still identical to the whole-image run', async () => {
    const plane = field();
    const opts = { bkgFilterNodes: 3, bkgBoxBeams: 12, bkgGridBeams: 6 };
    const whole = runFinder(plane, beam, opts);
    const ref = canonicalize(whole.islands, whole.components, plane.width);
    const tiled = await runFinderTiled({ kind: 'memory', width: plane.width, height: plane.height, data: plane.data }, beam, opts, { tileSize: 70 });
    expect(tiled.components).toEqual(ref.components);
    expect(tiled.islands).toEqual(ref.islands);
  });
});

describe('tiled finder on a FITS file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cirasa-tiledfits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plane = field();
  const whole = runFinder(plane, beam);
  const reference = canonicalize(whole.islands, whole.components, plane.width);

  // small planes are read once into shared memory; inMemoryMaxBytes 0 streams tiles from the file
  for (const inMemoryMaxBytes of [undefined, 0]) {
    it(`${inMemoryMaxBytes === 0 ? 'streamed' : 'read into memory'}, 2 worker threads: identical`, async () => {
      const path = join(dir, 'field.fits');
      await writeFitsImage(path, { width: plane.width, height: plane.height, data: plane.data });
      const tiled = await runFinderTiled({ kind: 'fits', path }, beam, {}, { tileSize: 90, threads: 2, ...(inMemoryMaxBytes !== undefined ? { inMemoryMaxBytes } : {}) });
      expect(tiled.islands).toEqual(reference.islands);
      expect(tiled.components).toEqual(reference.components);
    });
  }
});

describe('tiled finder on pure noise (nothing to mask: the naive pass is redone at full sampling)', () => {
  it('gives the whole-image background', async () => {
    const plane = makePlane(260, 200);
    plane.data = new Float32Array(new SharedArrayBuffer(260 * 200 * 4));
    addNoise(plane, 1, 41);
    const whole = runFinder(plane, beam);
    const tiled = await runFinderTiled({ kind: 'memory', width: plane.width, height: plane.height, data: plane.data }, beam, {}, { tileSize: 70 });
    expect(tiled.passes).toBe(1);
    expect(Array.from(tiled.grid.rms)).toEqual(Array.from((whole.maps as unknown as { grid: { rms: Float32Array } }).grid.rms));
    expect(tiled.medianRms).toBe(whole.medianRms);
  });
});
