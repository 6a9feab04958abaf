import { describe, expect, it } from 'vitest';
import { runFinder } from './runFinder';
import { addGaussian, addNoise, makePlane } from './synthetic';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };
const whiteNoise = { noiseFwhmPx: 0.664 };

describe('blends of point sources are fitted as point sources first', () => {
  it('two point sources 1.3 beams apart: point components at the true positions, same as the full path within errors', () => {
    const p = makePlane(80, 80);
    addNoise(p, 1, 21);
    addGaussian(p, { amp: 40, x: 38, y: 40, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 25, x: 43, y: 40.5, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    const fast = runFinder(p, beam, {}, whiteNoise);
    const full = runFinder(p, beam, { pointBlendsFirst: false }, whiteNoise);
    expect(fast.islands).toHaveLength(1);
    const cs = [...fast.components].sort((a, b) => b.peak - a.peak);
    expect(cs).toHaveLength(2);
    expect(cs.every((c) => c.sizeFixed)).toBe(true);
    expect(full.components.some((c) => !c.sizeFixed)).toBe(true); // the full path fits free sizes
    expect(Math.hypot(cs[0].x - 38, cs[0].y - 40)).toBeLessThan(0.2);
    expect(Math.hypot(cs[1].x - 43, cs[1].y - 40.5)).toBeLessThan(0.3);
    expect(Math.abs(cs[0].flux / 40 - 1)).toBeLessThan(0.05);
    expect(Math.abs(cs[1].flux / 25 - 1)).toBeLessThan(0.08);
  });

  it('a resolved source in the blend takes the full path (free sizes)', () => {
    const p = makePlane(80, 80);
    addNoise(p, 1, 22);
    addGaussian(p, { amp: 40, x: 36, y: 40, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 30, x: 44, y: 40, majorSigma: 4, minorSigma: 2.5, paDeg: 20 });
    const r = runFinder(p, beam, {}, whiteNoise);
    const big = r.components.find((c) => Math.hypot(c.x - 44, c.y - 40) < 1)!;
    expect(big.sizeFixed).toBe(false);
    expect(Math.abs(big.majorSigmaPx / 4 - 1)).toBeLessThan(0.1);
  });
});
