import { describe, expect, it } from 'vitest';
import { compactResidual, smoothNanAware } from './extended';
import { runFinder } from './runFinder';
import { runFinderTiled } from './tiledFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

describe('extended emission (multi-scale on the residual)', () => {
  it('NaN-aware smoothing keeps a constant, preserves flux of a Gaussian and leaves NaN as NaN', () => {
    const w = 60, h = 50;
    const flat = new Float32Array(w * h).fill(2);
    flat[10 * w + 10] = NaN;
    const s = smoothNanAware(flat, w, h, 3);
    expect(s[10 * w + 10]).toBeNaN();
    for (const i of [0, 5 * w + 7, 25 * w + 30, w * h - 1]) expect(s[i]).toBeCloseTo(2, 5);
    // a unit-peak Gaussian σ 2 smoothed with σ 3 peaks at 4/13 (σ² add) with the same integral
    const g = makePlane(w, h);
    addGaussian(g, { amp: 1, x: 30, y: 25, majorSigma: 2, minorSigma: 2, paDeg: 0 });
    const sg = smoothNanAware(g.data, w, h, 3);
    expect(sg[25 * w + 30]).toBeCloseTo(4 / 13, 3);
  });

  it('the compact residual removes fitted components', () => {
    const p = makePlane(80, 80);
    addNoise(p, 1, 3);
    addGaussian(p, { amp: 100, x: 40.3, y: 39.6, majorSigma: 2.5, minorSigma: 1.8, paDeg: 30 });
    const r = runFinder(p, beam);
    const res = compactResidual(p, r.maps, r.components);
    let maxAbs = 0;
    for (let y = 30; y <= 50; y++) for (let x = 30; x <= 50; x++) maxAbs = Math.max(maxAbs, Math.abs(res[y * 80 + x]));
    expect(maxAbs).toBeLessThan(5); // noise only (σ = 1)
  });

  it('finds faint diffuse emission invisible per pixel and links the compact sources on it', () => {
    const w = 300, h = 300;
    const p = makePlane(w, h);
    addNoise(p, 1, 8);
    // 1.5 σ per pixel at its peak: no island at 5σ, but ~25 σ after smoothing by 4 beams
    const diffuse = { amp: 1.5, x: 150, y: 150, majorSigma: 14, minorSigma: 10, paDeg: 30 };
    addGaussian(p, diffuse);
    addGaussian(p, { amp: 30, x: 140, y: 150, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 25, x: 160, y: 158, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 40, x: 40, y: 260, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 }); // off the diffuse source
    const r = runFinder(p, beam, { extendedScalesBeams: [2, 4, 8] });
    expect(r.components).toHaveLength(3);
    expect(r.extended).toBeDefined();
    expect(r.extended!).toHaveLength(1);
    const e = r.extended![0];
    expect(Math.hypot(e.x - 150, e.y - 150)).toBeLessThan(4);
    expect(e.components).toHaveLength(2);
    const linked = e.components.map((c) => r.components.find((k) => k.islandId === c.islandId && k.id === c.id)!.x).sort((a, b) => a - b);
    expect(linked[0]).toBeCloseTo(140, 0);
    expect(linked[1]).toBeCloseTo(160, 0);
    expect(e.contour.length).toBeGreaterThan(20);
    // the island holds most of the diffuse flux (1.5 × 2π·14·10 / beam area)
    const truth = (1.5 * 14 * 10) / (1.6 * 1.6);
    expect(e.residualFlux / truth).toBeGreaterThan(0.6);
    expect(e.residualFlux / truth).toBeLessThan(1.2);
  });

  it('pure noise (with NaN) gives no extended island; the tiled run refuses the option clearly', async () => {
    const p = makePlane(300, 300);
    addNoise(p, 1, 12);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 300; x++) p.data[y * 300 + x] = NaN;
    const r = runFinder(p, beam, { extendedScalesBeams: [2, 4, 8] });
    expect(r.extended).toEqual([]);
    await expect(runFinderTiled({ kind: 'memory', width: 300, height: 300, data: p.data }, beam, { extendedScalesBeams: [2] })).rejects.toMatchObject({ code: 'validation' });
  });
});
