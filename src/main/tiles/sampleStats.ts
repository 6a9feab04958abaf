import type { ImageStats } from '../../shared/contract/images';
import type { RowSource } from './rowSource';
import { computeStats } from './stats';
import { addZscaleLine, zscaleGrid } from './zscale';

/** About this many pixels go into the statistics sample (whole rows, evenly spaced in y). */
export const STATS_SAMPLE_PIXELS = 1_000_000;

/** Evenly spaced Pixel0 rows: all rows of a small image, else about `pixels / width` rows. */
export function sampleRows(width: number, height: number, pixels = STATS_SAMPLE_PIXELS): number[] {
  const n = Math.min(height, Math.max(1, Math.ceil(pixels / Math.max(1, width))));
  const rows: number[] = [];
  for (let i = 0; i < n; i++) rows.push(Math.min(height - 1, Math.floor(((i + 0.5) * height) / n)));
  return rows;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/**
 * Statistics from a strided sample of whole rows read with positioned reads (never a full pass):
 * ~1 M pixels for the quantiles/histogram/MAD, plus DS9's zscale grid lines.
 */
export async function sampleImageStats(source: RowSource, pixels = STATS_SAMPLE_PIXELS): Promise<ImageStats> {
  const { width, height } = source;
  const statRows = sampleRows(width, height, pixels);
  const grid = zscaleGrid(width, height);
  const wanted = [...new Set([...statRows, ...grid.lines])].sort((a, b) => a - b);
  const rows = new Map<number, Float32Array>();
  await mapLimited(wanted, 8, async (y) => {
    rows.set(y, await source.readRows(y, 1));
  });
  const sample = new Float32Array(statRows.length * width);
  statRows.forEach((y, i) => sample.set(rows.get(y)!, i * width));
  const zs: number[] = [];
  for (const y of grid.lines) addZscaleLine(rows.get(y)!, grid, zs);
  return computeStats(sample, zs);
}
