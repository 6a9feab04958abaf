import { describe, expect, it } from 'vitest';
import { runFinderTiledWithExtended } from './extendedTiled';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';
import { canonicalize } from './tiledFinder';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

describe('extended search after a tiled compact run', () => {
  it('equals the whole-image in-memory run (islands, components, extended islands and their links)', async () => {
    const w = 300;
    const p = makePlane(w, w);
    p.data = new Float32Array(new SharedArrayBuffer(w * w * 4));
    addNoise(p, 1, 8);
    addGaussian(p, { amp: 1.5, x: 150, y: 150, majorSigma: 14, minorSigma: 10, paDeg: 30 });
    addGaussian(p, { amp: 30, x: 140, y: 150, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 40, x: 40, y: 260, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 1.2, x: 250, y: 60, majorSigma: 10, minorSigma: 10, paDeg: 0 });
    const opts = { extendedScalesBeams: [2, 4, 8] };
    const whole = runFinder(p, beam, opts);
    // canonical ids as the tiled run numbers them, applied to the in-memory links
    const ref = canonicalize(whole.islands, whole.components, w);
    const order = [...whole.islands].sort((a, b) => a.peakY * w + a.peakX - (b.peakY * w + b.peakX));
    const canonicalId = new Map(order.map((isl, k) => [isl.id, k + 1]));
    const refExtended = whole.extended!.map((e) => ({ ...e, components: e.components.map((c) => ({ ...c, islandId: canonicalId.get(c.islandId)! })) }));
    expect(refExtended.length).toBeGreaterThanOrEqual(1);
    expect(refExtended.some((e) => e.components.length > 0)).toBe(true);
    for (const threads of [0, 2]) {
      const tiled = await runFinderTiledWithExtended({ kind: 'memory', width: w, height: w, data: p.data }, beam, opts, { tileSize: 96, threads });
      expect(tiled.islands).toEqual(ref.islands);
      expect(tiled.components).toEqual(ref.components);
      expect(tiled.extended).toEqual(refExtended);
    }
  });
});
