import { describe, it, expect } from 'vitest';
import { histogramBins } from './histogram';
import { gaussian, seededRandom, statsFromSample } from './statsFromSample';

function directCounts(sample: number[], edges: number[]): number[] {
  const counts = new Array(edges.length - 1).fill(0);
  for (const v of sample) {
    for (let i = 0; i < counts.length; i++) {
      const last = i === counts.length - 1;
      if (v >= edges[i]! && (v < edges[i + 1]! || (last && v === edges[i + 1]))) {
        counts[i]++;
        break;
      }
    }
  }
  return counts;
}

describe('histogramBins', () => {
  const rand = seededRandom(9);
  const sample = Array.from({ length: 100_000 }, () => gaussian(rand));
  const stats = statsFromSample(sample);

  it('matches direct counts of the sample to within the quantile resolution', () => {
    const { edges, counts } = histogramBins(stats, 20, { lo: -4, hi: 4 });
    expect(edges.length).toBe(21);
    expect(edges[0]).toBe(-4);
    expect(edges[20]).toBe(4);
    const ref = directCounts(sample, edges);
    for (let i = 0; i < 20; i++) expect(Math.abs(counts[i]! - ref[i]!)).toBeLessThanOrEqual(0.0005 * 100_000 + 0.02 * ref[i]!);
  });

  it('defaults to min..max and accounts for every finite pixel', () => {
    const { edges, counts } = histogramBins(stats, 64);
    expect(edges[0]).toBe(stats.min);
    expect(edges[64]).toBe(stats.max);
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(100_000, 6);
  });

  it('keeps a run of identical values in the bin that holds it (zeros, saturated maxima)', () => {
    const s = statsFromSample([...new Array(600).fill(0), ...Array.from({ length: 400 }, (_, i) => 1 + i / 100), ...new Array(100).fill(5)]);
    const { counts } = histogramBins(s, 10, { lo: 0, hi: 5 });
    expect(counts[0]).toBeCloseTo(600, -1);
    expect(counts[9]).toBeGreaterThanOrEqual(100);
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(1100, 6);
  });

  it('copes with a constant image', () => {
    const s = statsFromSample(new Array(10).fill(3));
    const { counts } = histogramBins(s, 4);
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 9);
  });
});
