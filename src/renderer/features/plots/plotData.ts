import { call } from '../../api/client';

/** Rows fetched for plots: 1000 per call (the contract's page limit), a few calls in parallel. */
const PAGE = 1000;
const PARALLEL = 4;
export const PLOT_MAX_ROWS = 50_000;

export interface PlotColumns {
  /** Source ids, one per row. */
  ids: Int32Array;
  /** Numeric values by column name (NaN where missing or not a number). */
  values: Map<string, Float64Array>;
  /** Rows matching the filter (may exceed the rows fetched). */
  total: number;
}

/**
 * Numeric columns of the filtered rows (up to PLOT_MAX_ROWS, in id order) through catalogue.query. Plots of
 * larger catalogues show that many rows; the count says so.
 */
export async function loadPlotColumns(catalogueId: number, filter: string, columns: string[], signal: { cancelled: boolean }): Promise<PlotColumns | null> {
  const f = filter.trim() ? { filter } : {};
  const first = await call('catalogue.query', { catalogueId, ...f, offset: 0, limit: 0 });
  const n = Math.min(first.total, PLOT_MAX_ROWS);
  const ids = new Int32Array(n);
  const values = new Map(columns.map((c) => [c, new Float64Array(n).fill(NaN)]));
  const offsets: number[] = [];
  for (let o = 0; o < n; o += PAGE) offsets.push(o);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length && !signal.cancelled) {
      const offset = offsets[next++]!;
      const { rows } = await call('catalogue.query', { catalogueId, ...f, offset, limit: Math.min(PAGE, n - offset) });
      rows.forEach((r, k) => {
        ids[offset + k] = r.sourceId;
        for (const [c, arr] of values) {
          const v = r.values[c];
          if (typeof v === 'number') arr[offset + k] = v;
        }
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return signal.cancelled ? null : { ids, values, total: first.total };
}
