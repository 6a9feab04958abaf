/**
 * Robust location/scale estimators on a scratch buffer (the buffer's first `n` values are reordered).
 * Used per background box, so everything is O(n) selection rather than a sort.
 */

export const MAD_TO_SIGMA = 1.482602218505602;

/** erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const madFactors = new Map<number, number>();

/**
 * Expected 1.4826 × MAD / σ of a normal sample clipped once at ±k σ: 0.99685 for k = 3. The clipping
 * loops stop after about one effective round (the next removes almost nothing); their measured bias
 * on N(0,1) samples is 0.9973, so dividing by this leaves |bias| < 0.1 % (see the test).
 */
export function clippedMadFactor(k: number): number {
  const cached = madFactors.get(k);
  if (cached !== undefined) return cached;
  const half = 0.5 * erf(k / Math.SQRT2);
  // m with P(|x| < m) = half of the kept probability, by bisection
  let lo = 0;
  let hi = k;
  for (let b = 0; b < 60; b++) {
    const mid = 0.5 * (lo + hi);
    if (erf(mid / Math.SQRT2) < half) lo = mid;
    else hi = mid;
  }
  const s = 0.5 * (lo + hi) * MAD_TO_SIGMA;
  madFactors.set(k, s);
  return s;
}

/** k-th smallest (0-based) of a[0..n) by Hoare quickselect with median-of-three; reorders a. */
export function selectKth(a: Float32Array | Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot keeps sorted/constant inputs linear
    let p0 = a[lo], p1 = a[mid], p2 = a[hi];
    if (p0 > p1) { const t = p0; p0 = p1; p1 = t; }
    if (p1 > p2) { p1 = p2; if (p0 > p1) p1 = p0; }
    const pivot = p1;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i]; a[i] = a[j]; a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median of a[0..n) (mean of the two middle values for even n); reorders a. NaN for n = 0. */
export function median(a: Float32Array | Float64Array, n: number): number {
  if (n === 0) return NaN;
  const h = n >> 1;
  const upper = selectKth(a, n, h);
  if (n & 1) return upper;
  // after selecting h, a[0..h) are all ≤ a[h]: the lower middle is their maximum
  let lower = -Infinity;
  for (let i = 0; i < h; i++) if (a[i] > lower) lower = a[i];
  return 0.5 * (lower + upper);
}

/** Tukey biweight midvariance scale (c = 9) around `loc`, with MAD as the initial scale. */
export function biweightScale(values: Float32Array | Float64Array, n: number, loc: number, mad: number): number {
  if (n < 2 || !(mad > 0)) return 0;
  const c = 9 * mad;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - loc;
    const u = d / c;
    const u2 = u * u;
    if (u2 >= 1) continue;
    const w = 1 - u2;
    num += d * d * w * w * w * w;
    den += w * (1 - 5 * u2);
  }
  if (den === 0) return 0;
  return Math.sqrt(n * num) / Math.abs(den);
}

export interface RobustStats {
  location: number;
  scale: number;
  /** Values left after clipping. */
  count: number;
}

/**
 * Iterative sigma clipping about the median; scale from MAD (×1.4826) or the biweight.
 * `values` (first n entries) and `scratch` (length ≥ n) are overwritten.
 */
export function clippedStats(
  values: Float32Array,
  n: number,
  scratch: Float32Array,
  clipSigma: number,
  estimator: 'mad' | 'biweight',
  maxIterations = 5,
): RobustStats {
  let count = n;
  let loc = NaN;
  let scale = NaN;
  for (let iter = 0; iter <= maxIterations; iter++) {
    if (count === 0) return { location: NaN, scale: NaN, count: 0 };
    for (let i = 0; i < count; i++) scratch[i] = values[i];
    loc = median(scratch, count);
    for (let i = 0; i < count; i++) scratch[i] = Math.abs(values[i] - loc);
    const mad = median(scratch, count);
    scale = estimator === 'biweight' ? biweightScale(values, count, loc, mad) : MAD_TO_SIGMA * mad;
    if (!(scale > 0) || iter === maxIterations) break;
    const limit = clipSigma * scale;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (Math.abs(v - loc) <= limit) values[kept++] = v;
    }
    if (kept === count) break;
    count = kept;
  }
  return { location: loc, scale: estimator === 'mad' ? scale / clippedMadFactor(clipSigma) : scale, count };
}

const HIST_MIN_N = 300;
const HIST_BINS_PER_SIGMA = 20;
const HIST_HALF_RANGE_SIGMA = 10;
const HIST_ROUGH_SAMPLES = 101;
const histCounts = new Int32Array(2 * HIST_HALF_RANGE_SIGMA * HIST_BINS_PER_SIGMA);
const histCum = new Float64Array(2 * HIST_HALF_RANGE_SIGMA * HIST_BINS_PER_SIGMA + 1);

/**
 * Same estimator as `clippedStats`, computed from a fine histogram (bins of σ/20 spanning ±10 σ of a
 * rough median/MAD from a subsample), with the clipping iterated on the histogram's interpolated
 * CDF. One pass over the data instead of two selections per clipping round: this is what makes
 * overlapping background boxes affordable on 10⁸-pixel maps. Falls back to the exact path for small
 * or degenerate (zero-MAD) samples. `values` is not modified; `scratch` needs ≥ 201 entries.
 */
export function histogramStats(
  values: Float32Array,
  n: number,
  scratch: Float32Array,
  clipSigma: number,
  estimator: 'mad' | 'biweight',
  maxIterations = 10,
  roughLocation = NaN,
  roughScale = NaN,
): RobustStats {
  if (n < HIST_MIN_N) {
    const copy = values.slice(0, n);
    return clippedStats(copy, n, scratch, clipSigma, estimator);
  }
  // the histogram's centre and bin width: from roughLocation/roughScale (e.g. the previous pass at this box, whose
  // unmasked rms is ≥ this one's), else a median/MAD of a subsample
  let med0: number;
  let s0: number;
  if (roughScale > 0 && Number.isFinite(roughLocation)) {
    med0 = roughLocation;
    s0 = roughScale;
  } else {
    const m = Math.min(n, HIST_ROUGH_SAMPLES);
    const stride = n / m;
    for (let i = 0; i < m; i++) scratch[i] = values[Math.floor(i * stride)];
    med0 = median(scratch, m);
    for (let i = 0; i < m; i++) scratch[i] = Math.abs(values[Math.floor(i * stride)] - med0);
    s0 = MAD_TO_SIGMA * median(scratch, m);
  }
  if (!(s0 > 0)) {
    const copy = values.slice(0, n);
    return clippedStats(copy, n, new Float32Array(n), clipSigma, estimator);
  }
  const width = s0 / HIST_BINS_PER_SIGMA;
  const nb = 2 * HIST_HALF_RANGE_SIGMA * HIST_BINS_PER_SIGMA;
  const lo = med0 - HIST_HALF_RANGE_SIGMA * s0;
  // one pair of work arrays per thread (this function runs to completion, never re-entered)
  const cum = histCum;
  const counts = histCounts;
  counts.fill(0);
  const invWidth = 1 / width;
  let under = 0;
  for (let i = 0; i < n; i++) {
    const t = (values[i] - lo) * invWidth;
    if (t < 0) under++;
    else if (t < nb) counts[t | 0]++;
  }
  for (let b = 0; b < nb; b++) cum[b + 1] = counts[b];
  cum[0] = under;
  for (let b = 0; b < nb; b++) cum[b + 1] += cum[b];
  const hi = lo + nb * width;
  // interpolated CDF: count of values below x (values outside the range sit at its ends)
  const cdf = (x: number): number => {
    if (x <= lo) return x < lo ? 0 : under;
    if (x >= hi) return n;
    const t = (x - lo) / width;
    const b = Math.floor(t);
    return cum[b] + (cum[b + 1] - cum[b]) * (t - b);
  };
  const quantile = (q: number): number => {
    let a = 0;
    let b = nb;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (cum[mid] <= q) a = mid;
      else b = mid;
    }
    const h = cum[a + 1] - cum[a];
    return lo + width * (a + (h > 0 ? Math.min(1, Math.max(0, (q - cum[a]) / h)) : 0.5));
  };
  let from = -Infinity;
  let to = Infinity;
  let loc = NaN;
  let scale = NaN;
  let count = n;
  for (let iter = 0; iter <= maxIterations; iter++) {
    const fa = cdf(from);
    count = cdf(to) - fa;
    if (count <= 0) break;
    const newLoc = quantile(fa + count / 2);
    // MAD: half-width d holding half of the kept values, by bisection
    let dLo = 0;
    // the kept range bounds d once clipping has started
    let dHi = Math.min(HIST_HALF_RANGE_SIGMA * s0 * 2, to - from);
    // to 1e-4 σ, below the 1e-3 convergence test (a box's own statistical scatter is a few per cent)
    while (dHi - dLo > 1e-4 * s0) {
      const d = 0.5 * (dLo + dHi);
      const inside = cdf(Math.min(newLoc + d, to)) - cdf(Math.max(newLoc - d, from));
      if (inside < count / 2) dLo = d;
      else dHi = d;
    }
    const mad = 0.5 * (dLo + dHi);
    const newScale = estimator === 'biweight' ? histBiweight(cum, lo, width, nb, newLoc, mad, from, to) : MAD_TO_SIGMA * mad;
    const done = Math.abs(newLoc - loc) < 1e-3 * newScale && Math.abs(newScale - scale) < 1e-3 * newScale;
    loc = newLoc;
    scale = newScale;
    if (done || !(scale > 0)) break;
    from = loc - clipSigma * scale;
    to = loc + clipSigma * scale;
  }
  return { location: loc, scale: estimator === 'mad' ? scale / clippedMadFactor(clipSigma) : scale, count: Math.round(count) };
}

/** Biweight midvariance scale from histogram bins (bin centres) within [from, to]. */
function histBiweight(cum: Float64Array, lo: number, width: number, nb: number, loc: number, mad: number, from: number, to: number): number {
  if (!(mad > 0)) return 0;
  const c = 9 * mad;
  let num = 0;
  let den = 0;
  let n = 0;
  for (let b = 0; b < nb; b++) {
    const h = cum[b + 1] - cum[b];
    if (h === 0) continue;
    const x = lo + (b + 0.5) * width;
    if (x < from || x > to) continue;
    n += h;
    const d = x - loc;
    const u2 = (d / c) ** 2;
    if (u2 >= 1) continue;
    const w = 1 - u2;
    num += h * d * d * w ** 4;
    den += h * w * (1 - 5 * u2);
  }
  return den === 0 ? 0 : Math.sqrt(n * num) / Math.abs(den);
}
