/**
 * Flux-density distributions for simulated sources.
 *
 * `exp` follows the CIRASA/CAESAR simulation campaign (Riggi et al. 2016, 2019): their generator
 * (CAESAR `skymodel_generator.py`, Smodel='exp', Sslope=1.6) draws x ~ exp(−λx) and sets
 * log10(S) = log10(Smin) + x — the exponential acts on the flux in DEX above a minimum flux, not on S in
 * Jy. Applied literally to S in Jy, λ = 1.6 /Jy gives a mean flux of 0.6 Jy ≈ 30 000 σ at 20 µJy/beam:
 * no faint sources at all. With Smin = 1 σ and λ = 1.6 per dex the fluxes span S/N 1…1000 (median
 * ≈ 2.7 σ, 32 % above 5 σ, 5.8 % above 50 σ; the 0.8 % that would pass 1000 σ are redrawn below Smax).
 */
import type { Rng } from './rng';

export type FluxLaw =
  /** log10(S/sminJy) ~ Exp(lambdaPerDex), truncated at smaxJy (redrawn). */
  | { kind: 'exp'; lambdaPerDex: number; sminJy: number; smaxJy: number }
  /** dN/dS ∝ S^−alpha between sminJy and smaxJy. */
  | { kind: 'powerlaw'; alpha: number; sminJy: number; smaxJy: number };

/** Draw one flux density in Jy. */
export function drawFlux(law: FluxLaw, rng: Rng): number {
  const { sminJy: smin, smaxJy: smax } = law;
  if (!(smax > smin)) return smin;
  if (law.kind === 'exp') {
    const maxDex = Math.log10(smax / smin);
    // Rejection keeps the shape of the law exactly; the acceptance rate is 1 − 10^(−λ·maxDex) (≥ 99 % by default).
    for (let attempt = 0; attempt < 1000; attempt++) {
      const x = rng.exponential(law.lambdaPerDex);
      if (x <= maxDex) return smin * Math.pow(10, x);
    }
    return smax;
  }
  const u = rng.uniform();
  const a = law.alpha;
  if (Math.abs(a - 1) < 1e-12) return smin * Math.pow(smax / smin, u);
  const e = 1 - a;
  const lo = Math.pow(smin, e);
  const hi = Math.pow(smax, e);
  return Math.pow(lo + u * (hi - lo), 1 / e);
}

/** Fraction of sources a law puts above `s` (analytic; used by tests and the help text). */
export function fractionAbove(law: FluxLaw, s: number): number {
  const { sminJy: smin, smaxJy: smax } = law;
  if (s <= smin) return 1;
  if (s >= smax) return 0;
  if (law.kind === 'exp') {
    const l = law.lambdaPerDex;
    const norm = 1 - Math.exp(-l * Math.log10(smax / smin));
    return (Math.exp(-l * Math.log10(s / smin)) - Math.exp(-l * Math.log10(smax / smin))) / norm;
  }
  const a = law.alpha;
  if (Math.abs(a - 1) < 1e-12) return Math.log(smax / s) / Math.log(smax / smin);
  const e = 1 - a;
  return (Math.pow(smax, e) - Math.pow(s, e)) / (Math.pow(smax, e) - Math.pow(smin, e));
}
