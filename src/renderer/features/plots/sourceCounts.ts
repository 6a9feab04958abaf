/** One bin of Euclidean-normalised differential source counts. */
export interface CountsBin {
  /** Geometric centre of the bin, Jy. */
  sJy: number;
  /** Bin edges, Jy. */
  loJy: number;
  hiJy: number;
  n: number;
  /** S^2.5 dN/dS in Jy^1.5 sr^-1, and its Poisson error. */
  value: number;
  error: number;
}

/**
 * Euclidean-normalised differential source counts S^2.5 dN/dS (Jy^1.5 sr^-1) in logarithmic flux bins:
 * dN/dS = n / (ΔS · Ω) with Ω the surveyed solid angle (sr). A static Euclidean universe (N(>S) ∝ S^-1.5)
 * gives a flat line. Non-positive and non-finite fluxes are ignored; empty bins are left out.
 */
export function euclideanCounts(fluxJy: ArrayLike<number>, areaSr: number, binsPerDex = 5): CountsBin[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < fluxJy.length; i++) {
    const s = fluxJy[i]!;
    if (s > 0 && Number.isFinite(s)) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
  }
  if (!(areaSr > 0) || !(max >= min)) return [];
  const l0 = Math.floor(Math.log10(min) * binsPerDex) / binsPerDex;
  const nb = Math.max(1, Math.ceil((Math.log10(max) - l0) * binsPerDex + 1e-9));
  const counts = new Float64Array(nb);
  for (let i = 0; i < fluxJy.length; i++) {
    const s = fluxJy[i]!;
    if (!(s > 0 && Number.isFinite(s))) continue;
    counts[Math.min(nb - 1, Math.floor((Math.log10(s) - l0) * binsPerDex))]!++;
  }
  const out: CountsBin[] = [];
  for (let b = 0; b < nb; b++) {
    const n = counts[b]!;
    if (n === 0) continue;
    const loJy = 10 ** (l0 + b / binsPerDex);
    const hiJy = 10 ** (l0 + (b + 1) / binsPerDex);
    const sJy = Math.sqrt(loJy * hiJy);
    const k = sJy ** 2.5 / ((hiJy - loJy) * areaSr);
    out.push({ sJy, loJy, hiJy, n, value: n * k, error: Math.sqrt(n) * k });
  }
  return out;
}
