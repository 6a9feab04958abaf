import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realImage } from '../../../test/helpers/paths';
import { openFitsImage } from '../fits';
import { radixSortFloat32 } from './radixSort';
import { sampleImageStats } from './sampleStats';
import { computeStats, QUANTILE_COUNT } from './stats';
import { addZscaleLine, zscaleGrid, zscaleLimits } from './zscale';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run numpy/astropy (the system python) on float32 arrays saved as raw little-endian files. */
function python(code: string, arrays: Float32Array[]): unknown {
  const files = arrays.map((a, i) => {
    const f = join(dir, `a${i}-${Math.random().toString(36).slice(2)}.f32`);
    writeFileSync(f, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return f;
  });
  const prelude = 'import sys, json, numpy as np\narrs = [np.fromfile(f, dtype="<f4") for f in sys.argv[1:]]\n';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', prelude + code, ...files], { encoding: 'utf8' }));
}

function gaussianSample(n: number, seed: number): Float32Array {
  let s = seed;
  const u = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
    out[i] = i % 53 === 0 ? NaN : i % 211 === 0 ? 50 + 100 * u() : 1e-3 * g + 2e-4;
  }
  return out;
}

const close = (a: number, b: number, rel = 1e-5, abs = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(abs + rel * Math.abs(b));

describe('computeStats', () => {
  it('matches numpy: quantiles, median, mean, MAD rms, histogram, min/max, NaN count', () => {
    const sample = gaussianSample(200_001, 7);
    const ref = python(
      `x = arrs[0]; f = x[np.isfinite(x)].astype(np.float64)
med = np.median(f); h, e = np.histogram(f, 256)
print(json.dumps(dict(q=np.quantile(f, np.linspace(0, 1, ${QUANTILE_COUNT})).tolist(), median=med, mean=f.mean(),
  mad=1.4826*np.median(np.abs(f-med)), hist=h.tolist(), lo=e[0], hi=e[-1], nan=int((~np.isfinite(x)).sum()), n=int(f.size))))`,
      [sample],
    ) as { q: number[]; median: number; mean: number; mad: number; hist: number[]; lo: number; hi: number; nan: number; n: number };
    const s = computeStats(sample, []);
    expect(s.quantiles).toHaveLength(QUANTILE_COUNT);
    s.quantiles.forEach((q, i) => close(q, ref.q[i]!));
    close(s.median, ref.median);
    close(s.mean, ref.mean, 1e-9);
    close(s.rmsMad, ref.mad);
    expect(s.histogram.counts).toEqual(ref.hist);
    close(s.histogram.lo, ref.lo);
    close(s.histogram.hi, ref.hi);
    expect(s.min).toBe(ref.q[0]);
    expect(s.max).toBe(ref.q[QUANTILE_COUNT - 1]);
    expect(s.nanCount).toBe(ref.nan);
    expect(s.finiteCount).toBe(ref.n);
  });

  it('an all-NaN sample gives zeros and counts the NaNs', () => {
    const s = computeStats(new Float32Array([NaN, NaN, Infinity]), []);
    expect(s).toMatchObject({ finiteCount: 0, nanCount: 3, min: 0, max: 0, zscale: { z1: 0, z2: 0 } });
  });

  it('radix sort orders like TypedArray.sort (negatives, zeros, denormals, extremes)', () => {
    const a = gaussianSample(50_000, 3).filter((v) => !Number.isNaN(v));
    const extra = [0, -0, 1e-42, -1e-42, 3.4e38, -3.4e38, -1, 1, 0.5];
    const all = Float32Array.from([...a, ...extra, ...a.map((v) => -v)]);
    const expected = all.slice().sort();
    const got = radixSortFloat32(all);
    expect(Array.from(got).every((v, i) => Object.is(v, expected[i]))).toBe(true);
  });
});

describe('zscale', () => {
  const cases: [string, Float32Array][] = [
    ['noise with sources', gaussianSample(600, 11).filter((v) => !Number.isNaN(v))],
    ['ramp', Float32Array.from({ length: 600 }, (_, i) => i * 0.5 - 30)],
    ['heavy tail', Float32Array.from({ length: 600 }, (_, i) => Math.exp((i % 37) / 5) * (i % 2 ? 1 : -1))],
    ['constant', new Float32Array(600).fill(4)],
    ['tiny', Float32Array.from([3, 1, 2])],
    ['odd length', gaussianSample(451, 5).filter((v) => !Number.isNaN(v))],
  ];
  for (const [name, sample] of cases) {
    it(`matches astropy ZScaleInterval on the same sample (${name})`, () => {
      const ref = python(
        `from astropy.visualization import ZScaleInterval
x = arrs[0]; z = ZScaleInterval(n_samples=x.size, contrast=0.25).get_limits(x)
print(json.dumps([float(z[0]), float(z[1])]))`,
        [sample],
      ) as [number, number];
      const z = zscaleLimits(sample);
      close(z.z1, ref[0], 1e-5, 1e-7);
      close(z.z2, ref[1], 1e-5, 1e-7);
    });
  }

  it('samples like IRAF/DS9: ≤ 600 values, 120 per line, lines spread over the image', () => {
    const g = zscaleGrid(16384, 16384);
    expect(g.pixelsPerLine).toBe(120);
    expect(g.lines.length).toBeGreaterThanOrEqual(5);
    expect(g.lines[0]).toBeGreaterThan(1000);
    expect(g.lines.at(-1)).toBeGreaterThan(14000);
    const out: number[] = [];
    for (const _ of g.lines) addZscaleLine(new Float32Array(16384).fill(1), g, out);
    expect(out.length).toBe(600);
    expect(zscaleGrid(100, 3).lines).toEqual([0, 1, 2]);
  });

  it('real image: z1/z2 from the DS9 grid sample match astropy on that sample, and rms matches PROVENANCE', async () => {
    const img = await openFitsImage(realImage('aegean_1904-66_SIN.fits'));
    try {
      const g = zscaleGrid(img.width, img.height);
      const zs: number[] = [];
      for (const y of g.lines) addZscaleLine(await img.readRows(y, 1), g, zs);
      const ref = python(
        `from astropy.visualization import ZScaleInterval
x = arrs[0]; z = ZScaleInterval(n_samples=x.size).get_limits(x)
print(json.dumps([float(z[0]), float(z[1])]))`,
        [Float32Array.from(zs)],
      ) as [number, number];
      const stats = await sampleImageStats(img);
      close(stats.zscale.z1, ref[0], 1e-5);
      close(stats.zscale.z2, ref[1], 1e-5);
      // PROVENANCE.md: rms about 0.054 Jy/beam (MAD × 1.4826 over the plane), 40 % NaN, peak 13.5.
      expect(stats.rmsMad).toBeGreaterThan(0.05);
      expect(stats.rmsMad).toBeLessThan(0.058);
      expect(stats.nanCount / (stats.nanCount + stats.finiteCount)).toBeCloseTo(0.4, 1);
      close(stats.max, 13.5, 0.02);
    } finally {
      await img.close();
    }
  });
});
