import { describe, expect, it } from 'vitest';
import { packDetectResult, unpackDetectResult } from './resultTransfer';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';

describe('detect results across the worker boundary', () => {
  it('pack → unpack gives the same islands and components, key order and NaN/−0/flags included', () => {
    const p = makePlane(200, 160);
    addNoise(p, 1, 3);
    addGaussian(p, { amp: 30, x: 50.2, y: 60.7, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 12, x: 130, y: 90, majorSigma: 5, minorSigma: 2.5, paDeg: 35 });
    addGaussian(p, { amp: 20, x: 140, y: 95, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    p.data[30 * 200 + 60] = NaN;
    const r = runFinder(p, { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 });
    expect(r.components.length).toBeGreaterThanOrEqual(3);
    // every field kind: a moment-only (failed) component with NaN errors, −0, a flag set
    const odd = { ...r.components[0], id: 7, xErr: NaN, paDeg: -0, fitQuality: 'failed' as const, sizeFixed: true };
    const islands = r.islands.map((isl, k) => (k === 0 ? { ...isl, flags: { touchesEdge: true, nanNearby: false } } : isl));
    const input = { kind: 'detect' as const, islands, components: [...r.components, odd], deferred: [{ seedX: 3, seedY: 4, bbox: { xMin: 1, xMax: 5, yMin: 2, yMax: 6 } }], searchedPixels: 31999 };
    const back = unpackDetectResult(structuredClone(packDetectResult(input)));
    expect(back).toEqual(input);
    expect(Object.is(back.components.at(-1)!.paDeg, -0)).toBe(true);
    expect(back.islands.map((i) => Object.keys(i))).toEqual(input.islands.map((i) => Object.keys(i)));
    expect(back.components.map((c) => Object.keys(c))).toEqual(input.components.map((c) => Object.keys(c)));
  });
});
