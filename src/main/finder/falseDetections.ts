/**
 * Image-wide control of false detections: a source-level Benjamini–Hochberg procedure on the expected
 * number of noise peaks of a Gaussian random field (GRF).
 *
 * A fixed 5σ seed lets noise through in proportion to the searched area: a 4000² map with a 3.75 px
 * beam holds ~4 noise maxima above 5σ. The expected number of maxima above u σ in an area A of a
 * smooth unit-variance Gaussian field is, at high u (Euler characteristic; Adler 1981, Worsley 1996),
 *
 *     F(u) = A · λ · u · e^{−u²/2} / (2π)^{3/2},   λ = √det Λ,  Λ = Var(∇n).
 *
 * λ here is the finder's standing assumption (RunFinderParams.noiseFwhmPx, the Condon errors): the
 * noise is correlated like the beam, i.e. its autocorrelation is the beam (an interferometric image's
 * noise has the dirty beam as autocorrelation), so Λ = diag(1/s²maj, 1/s²min) and λ = 1/(smaj·smin)
 * with s the noise correlation sigmas. Simulations that convolve white noise with the beam have an
 * autocorrelation √2 wider (λ half as large): the control then expects twice the true count, i.e. is
 * conservative. λ is not estimated from the data: such an estimate depends on what is masked as
 * emission (crowded fields) and on the tiling, and the catalogue must not.
 *
 * Candidates are the islands sorted by peak significance s₁ ≥ … ≥ sₙ; the largest k with
 * F(s_k) ≤ q·k is kept (q = falseDetectionRate), so the expected fraction of noise peaks among the
 * kept islands is ≤ q. Applied once to the whole image's islands (in memory, after the tile merge,
 * at the merge of distributed parts), never per tile or part.
 *
 * Before it, components whose integrated flux is below `minFluxSnr` × its (Condon) error are dropped,
 * and islands left without a component. The seed is a PEAK criterion; a faint blob fitted with free
 * sizes (a noise bump, or a faint source broadened by one) can pass it while its flux is not measured
 * at all. On the bench's power-law map those components held 6 of the 11 false detections: at
 * integrated S/N < 4 their fits are ~2 beams wide and their positions 0.5–0.6 beam off the faint true
 * source (or on none). Fixed-size (point) fits have flux S/N = peak S/N, so the rule only bites free fits.
 */
import type { BeamPx, BackgroundMaps, Component, FinderOptions, ImagePlane, Island, Rect } from './types';
import { FWHM_PER_SIGMA } from './types';

const TWO_PI_3_2 = (2 * Math.PI) ** 1.5;

/** λ = √det Λ (per pixel²) of unit-variance noise whose autocorrelation is the beam shape, scaled to `noiseFwhmPx` along the major axis. */
export function noisePeakLambda(beam: BeamPx, noiseFwhmPx?: number): number {
  const sMaj = noiseFwhmPx !== undefined ? noiseFwhmPx / FWHM_PER_SIGMA : beam.majorSigmaPx;
  const sMin = sMaj * (beam.minorSigmaPx / beam.majorSigmaPx);
  return 1 / (sMaj * sMin);
}

/** F(u): expected number of noise maxima above u σ in `areaPx` pixels of a field with density parameter λ. */
export function expectedNoisePeaks(u: number, areaPx: number, lambda: number): number {
  return (areaPx * lambda * u * Math.exp(-0.5 * u * u)) / TWO_PI_3_2;
}

/** The u ≥ 1 where F(u) = target (F decreases there); 1 when F(1) ≤ target already. */
export function noisePeakLevel(target: number, areaPx: number, lambda: number): number {
  if (expectedNoisePeaks(1, areaPx, lambda) <= target) return 1;
  if (!(target > 0)) return Infinity;
  let lo = 1;
  let hi = 2;
  while (expectedNoisePeaks(hi, areaPx, lambda) > target) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (expectedNoisePeaks(mid, areaPx, lambda) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Pixels where a significance is defined (finite data, finite positive rms) in `rect` of the plane
 * (plane coordinates; the whole plane by default): the searched area A.
 */
export function searchedPixels(plane: ImagePlane, maps: BackgroundMaps, rect?: Rect): number {
  const r = rect ?? { x0: 0, y0: 0, width: plane.width, height: plane.height };
  const { data } = plane;
  const { rms } = maps;
  let n = 0;
  for (let y = r.y0; y < r.y0 + r.height; y++) {
    const row = y * plane.width;
    for (let i = row + r.x0; i < row + r.x0 + r.width; i++) {
      const s = rms[i];
      // NaN data or NaN/zero/infinite rms all fail
      if (s > 0 && s < Infinity && data[i] - data[i] === 0) n++;
    }
  }
  return n;
}

export interface FalseDetectionSummary {
  /** q (0 = off). */
  rate: number;
  /** Components dropped because their integrated flux S/N was below `minFluxSnr` (before BH; 0 = off). */
  minFluxSnr: number;
  unmeasuredComponents: number;
  areaPx: number;
  lambda: number;
  candidates: number;
  kept: number;
  /** The significance the control demands: F(threshold) = q·kept (≥ the seed); the seed when nothing is dropped. */
  thresholdSigma: number;
  /** Expected noise peaks above the seed in the searched area. */
  expectedAtSeed: number;
}

/**
 * BH on the islands' peak significances: how many of the strongest to keep. `snr` need not be sorted.
 */
export function bhKeepCount(snr: ArrayLike<number>, areaPx: number, lambda: number, rate: number): number {
  const n = snr.length;
  if (!(rate > 0)) return n;
  const sorted = Float64Array.from(snr).sort().reverse();
  for (let k = n; k >= 1; k--) {
    if (expectedNoisePeaks(sorted[k - 1], areaPx, lambda) <= rate * k) return k;
  }
  return 0;
}

/**
 * The islands (and their components) that survive the control, in their input order with their ids
 * unchanged, plus a summary. Ties at the cut keep every island of the k-th significance (the catalogue
 * must not depend on the order the islands came in).
 */
export function controlFalseDetections<R extends { islands: Island[]; components: Component[] }>(
  result: R,
  p: { areaPx: number; lambda: number; rate: number; seedSigma: number },
): { result: R; summary: FalseDetectionSummary } {
  const { areaPx, lambda, rate, seedSigma } = p;
  const snr = result.islands.map((i) => i.snr);
  const k = bhKeepCount(snr, areaPx, lambda, rate);
  const base = { rate, minFluxSnr: 0, unmeasuredComponents: 0, areaPx, lambda, candidates: snr.length, expectedAtSeed: expectedNoisePeaks(seedSigma, areaPx, lambda) };
  if (k === snr.length) return { result, summary: { ...base, kept: k, thresholdSigma: seedSigma } };
  const cut = k > 0 ? Float64Array.from(snr).sort().reverse()[k - 1] : Infinity;
  const islands = result.islands.filter((i) => i.snr >= cut);
  const ids = new Set(islands.map((i) => i.id));
  const components = result.components.filter((c) => ids.has(c.islandId));
  const thresholdSigma = Math.max(seedSigma, noisePeakLevel(rate * Math.max(1, islands.length), areaPx, lambda));
  return { result: { ...result, islands, components }, summary: { ...base, kept: islands.length, thresholdSigma } };
}

/** The component's integrated flux is at least `minFluxSnr` × its error (a NaN error, from a failed fit, passes). */
export function fluxMeasured(c: Pick<Component, 'flux' | 'fluxErr'>, minFluxSnr: number): boolean {
  return !(c.flux < minFluxSnr * c.fluxErr);
}

/**
 * Components whose integrated flux is below `minFluxSnr` × its error dropped (NaN errors, from failed
 * fits, are kept), and the islands left without components; order and ids unchanged.
 */
export function dropUnmeasured<R extends { islands: Island[]; components: Component[] }>(result: R, minFluxSnr: number): { result: R; dropped: number } {
  if (!(minFluxSnr > 0)) return { result, dropped: 0 };
  const components = result.components.filter((c) => fluxMeasured(c, minFluxSnr));
  const dropped = result.components.length - components.length;
  if (dropped === 0) return { result, dropped };
  const had = new Set(result.components.map((c) => c.islandId));
  const has = new Set(components.map((c) => c.islandId));
  const islands = result.islands.filter((i) => has.has(i.id) || !had.has(i.id));
  return { result: { ...result, islands, components }, dropped };
}

/**
 * The control as the finder runs it: unmeasured components dropped (`minFluxSnr`), then BH with rate
 * and seed from the options, λ from the beam (or the noise correlation FWHM), over `areaPx` searched
 * pixels. The result carries the summary (`falseDetections`).
 */
export function applyFalseDetectionControl<R extends { islands: Island[]; components: Component[] }>(
  result: R,
  areaPx: number,
  beam: BeamPx,
  opts: Pick<FinderOptions, 'falseDetectionRate' | 'seedSigma' | 'minFluxSnr'>,
  noiseFwhmPx?: number,
): R & { falseDetections: FalseDetectionSummary } {
  const measured = dropUnmeasured(result, opts.minFluxSnr);
  const { result: kept, summary } = controlFalseDetections(measured.result, {
    areaPx,
    lambda: noisePeakLambda(beam, noiseFwhmPx),
    rate: opts.falseDetectionRate,
    seedSigma: opts.seedSigma,
  });
  return { ...kept, falseDetections: { ...summary, minFluxSnr: opts.minFluxSnr, unmeasuredComponents: measured.dropped } };
}

/** One line for the CLI's summary, or undefined when the control changed nothing. */
export function describeControl(s: FalseDetectionSummary | undefined, seedSigma: number): string | undefined {
  if (!s) return undefined;
  const lines: string[] = [];
  if (s.unmeasuredComponents > 0) lines.push(`false-detection control: ${s.unmeasuredComponents} component(s) with integrated flux S/N < ${s.minFluxSnr} dropped`);
  if (s.kept < s.candidates) {
    lines.push(
      `false-detection control (rate ${s.rate}): seed raised to ${s.thresholdSigma.toFixed(2)}σ, ` +
        `${s.candidates - s.kept} of ${s.candidates} islands dropped (expected noise peaks above ${seedSigma}σ: ${s.expectedAtSeed.toFixed(1)})`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
