import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipLimits, histeqCdf, quantileAt, valueCdf } from './clip';
import { gaussian, seededRandom, statsFromSample } from './statsFromSample';
import { PERCENT_CLIPS } from './types';

/** A radio-like sample: Gaussian noise (σ = 1 mJy) plus a sparse bright exponential tail, and NaNs. */
function radioSample(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = 1e-3 * gaussian(rand);
    if (rand() < 0.01) v += -0.05 * Math.log(1 - rand());
    if (rand() < 0.002) v = Number.NaN;
    out[i] = v;
  }
  return out;
}

/** numpy's percentiles (default linear method) of the finite values, the independent reference. */
function numpyPercentiles(sample: Float32Array, percents: number[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'colour-'));
  const file = join(dir, 'sample.f32');
  writeFileSync(file, new Uint8Array(sample.buffer, sample.byteOffset, sample.byteLength));
  const script =
    'import sys, json, numpy as np\n' +
    'a = np.fromfile(sys.argv[1], dtype="<f4").astype(np.float64)\n' +
    'a = a[np.isfinite(a)]\n' +
    'print(json.dumps([float(v) for v in np.percentile(a, json.loads(sys.argv[2]))]))\n';
  const out = execFileSync('/usr/bin/python3', ['-c', script, file, JSON.stringify(percents)], { encoding: 'utf8' });
  return JSON.parse(out) as number[];
}

describe('clipLimits', () => {
  const sample = radioSample(200_000, 42);
  const stats = statsFromSample(sample, { z1: -0.002, z2: 0.003 });

  it('percentile clips cut equal tails, matching numpy percentiles', () => {
    const percents = PERCENT_CLIPS.flatMap((p) => [(100 - p) / 2, 100 - (100 - p) / 2]);
    percents.push(0.7, 99.3); // a 98.6 % clip, between the stored quantiles
    const ref = numpyPercentiles(sample, percents);
    const clips = [...PERCENT_CLIPS, 98.6];
    clips.forEach((p, i) => {
      const { lo, hi } = clipLimits(stats, { kind: 'percentile', percent: p });
      const tol = p === 98.6 ? 2e-5 : 1e-12; // off-grid percentiles are interpolated between quantiles
      expect(Math.abs(lo - ref[2 * i]!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(hi - ref[2 * i + 1]!)).toBeLessThanOrEqual(tol);
    });
  });

  it('minmax, zscale and user limits', () => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of sample) if (Number.isFinite(v)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    expect(clipLimits(stats, { kind: 'minmax' })).toEqual({ lo, hi });
    expect(clipLimits(stats, { kind: 'zscale' })).toEqual({ lo: -0.002, hi: 0.003 });
    expect(clipLimits(stats, { kind: 'user', lo: 1, hi: 2 })).toEqual({ lo: 1, hi: 2 });
    expect(clipLimits(stats, { kind: 'user', lo: 2, hi: 1 })).toEqual({ lo: 1, hi: 2 });
  });

  it('100 % (or a non-number) is minmax and 0 % collapses on the median', () => {
    expect(clipLimits(stats, { kind: 'percentile', percent: 100 })).toEqual({ lo: stats.min, hi: stats.max });
    expect(clipLimits(stats, { kind: 'percentile', percent: Number.NaN })).toEqual({ lo: stats.min, hi: stats.max });
    const z = clipLimits(stats, { kind: 'percentile', percent: 0 });
    expect(z.lo).toBe(stats.median);
    expect(z.hi).toBe(stats.median);
  });
});

describe('valueCdf / quantileAt', () => {
  const stats = statsFromSample(radioSample(50_000, 7));
  it('are inverse of each other', () => {
    for (const p of [0, 0.001, 0.1, 0.5, 0.77, 0.999, 1]) {
      expect(valueCdf(stats, quantileAt(stats, p))).toBeCloseTo(p, 9);
    }
  });
  it('saturate outside the data', () => {
    expect(valueCdf(stats, stats.min - 1)).toBe(0);
    expect(valueCdf(stats, stats.max + 1)).toBe(1);
  });
  it('puts a plateau of equal values at its middle', () => {
    const s = statsFromSample([...new Array(500).fill(0), ...Array.from({ length: 500 }, (_, i) => i + 1)]);
    expect(valueCdf(s, 0)).toBeCloseTo(0.25, 2);
  });
});

describe('histeqCdf', () => {
  it('is 0 at lo, 1 at hi and uniformises a skewed sample inside the clip range', () => {
    const rand = seededRandom(3);
    const sample = Array.from({ length: 100_000 }, () => -Math.log(1 - rand())); // exponential
    const stats = statsFromSample(sample);
    const { lo, hi } = clipLimits(stats, { kind: 'percentile', percent: 99 });
    const f = histeqCdf(stats, lo, hi);
    expect(f(0)).toBe(0);
    expect(f(1)).toBe(1);
    // the fraction of in-range pixels with output < y is ≈ y
    const inRange = sample.filter((v) => v >= lo && v <= hi);
    const out = inRange.map((v) => f((v - lo) / (hi - lo)));
    for (const y of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      const frac = out.filter((o) => o < y).length / out.length;
      expect(Math.abs(frac - y)).toBeLessThan(0.005);
    }
  });
});
