import { describe, expect, it } from 'vitest';
import { drawFlux, fractionAbove, type FluxLaw } from './fluxLaw';
import { Rng } from './rng';
import { defaultSimulationOptions, planSimulation } from './simulate';

const RMS = 20e-6;

function sample(law: FluxLaw, n: number): number[] {
  const rng = Rng.forStream(123, 99);
  return Array.from({ length: n }, () => drawFlux(law, rng));
}

describe('flux laws', () => {
  const laws: FluxLaw[] = [
    { kind: 'exp', lambdaPerDex: 1.6, sminJy: RMS, smaxJy: 1000 * RMS },
    { kind: 'powerlaw', alpha: 1.7, sminJy: RMS, smaxJy: 1000 * RMS },
    { kind: 'powerlaw', alpha: 1, sminJy: RMS, smaxJy: 100 * RMS },
  ];
  for (const law of laws) {
    it(`${law.kind} ${'alpha' in law ? law.alpha : law.lambdaPerDex}: stays in [smin, smax] and matches the analytic tail fractions`, () => {
      const n = 40000;
      const s = sample(law, n);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(law.sminJy);
      expect(Math.max(...s)).toBeLessThanOrEqual(law.smaxJy);
      for (const snr of [3, 5, 10, 50, 200]) {
        const p = fractionAbove(law, snr * RMS);
        const observed = s.filter((v) => v > snr * RMS).length / n;
        const sigma = Math.sqrt((p * (1 - p)) / n);
        expect(Math.abs(observed - p)).toBeLessThan(5 * sigma + 1e-4);
      }
    });
  }

  it('exp law with defaults follows CAESAR (λ per dex above 1 σ): sources in every S/N bin used for completeness', () => {
    const law = laws[0]!;
    // Analytic: P(S/N > 5) = (e^(−1.6·log10 5) − e^(−4.8)) / (1 − e^(−4.8)) = 0.3212; P(S/N > 50) = 0.0583.
    expect(fractionAbove(law, 5 * RMS)).toBeCloseTo(0.3212, 3);
    expect(fractionAbove(law, 50 * RMS)).toBeCloseTo(0.0583, 3);
    const o = { ...defaultSimulationOptions(), width: 2048, height: 2048, densityPerDeg2: 300, extendedFraction: 0 };
    const plan = planSimulation(o);
    const snr = plan.sources.map((s) => s.peak / RMS);
    const bins: [number, number][] = [[3, 5], [5, 7], [7, 10], [10, 20], [20, 50], [50, Infinity]];
    for (const [lo, hi] of bins) expect(snr.filter((v) => v >= lo && v < hi).length).toBeGreaterThanOrEqual(30);
    expect(Math.max(...snr)).toBeGreaterThan(300);
    expect(Math.min(...snr)).toBeGreaterThanOrEqual(1);
  });
});
