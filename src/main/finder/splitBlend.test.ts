import { describe, expect, it } from 'vitest';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

describe('unresolved blends (one peak) are fitted as two point sources', () => {
  it('two sources 0.8 beam apart: two components where the sources are, fluxes within 10–15 %', () => {
    const p = makePlane(80, 80);
    addNoise(p, 1, 5);
    // 3.0 px apart along a diagonal (beam FWHM 3.77 px): one peak in the island
    addGaussian(p, { amp: 30, x: 38.94, y: 38.94, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 20, x: 41.06, y: 41.06, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    const on = runFinder(p, beam, {});
    const off = runFinder(p, beam, { splitBlends: false });
    expect(on.islands).toHaveLength(1);
    expect(off.components).toHaveLength(1); // what the split replaces: one elongated Gaussian between them
    const cs = [...on.components].sort((a, b) => b.peak - a.peak);
    expect(cs).toHaveLength(2);
    expect(Math.hypot(cs[0].x - 38.94, cs[0].y - 38.94)).toBeLessThan(0.4);
    expect(Math.hypot(cs[1].x - 41.06, cs[1].y - 41.06)).toBeLessThan(0.4);
    expect(Math.abs(cs[0].flux / 30 - 1)).toBeLessThan(0.1);
    expect(Math.abs(cs[1].flux / 20 - 1)).toBeLessThan(0.15); // S/N 20 in a blend: ~7 % flux error
    expect(cs.every((c) => c.sizeFixed)).toBe(true);
  });

  it('a resolved elliptical source stays one Gaussian', () => {
    const p = makePlane(80, 80);
    addNoise(p, 1, 6);
    addGaussian(p, { amp: 40, x: 40, y: 40, majorSigma: 3.2, minorSigma: 1.8, paDeg: 30 });
    const r = runFinder(p, beam, {});
    expect(r.components).toHaveLength(1);
    expect(r.components[0].sizeFixed).toBe(false);
    expect(Math.abs(r.components[0].majorSigmaPx / 3.2 - 1)).toBeLessThan(0.05);
  });
});
