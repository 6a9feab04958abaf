import { useEffect, useMemo, useRef, useState } from 'react';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { useImageStore } from '../image/imageStore';
import { useDefinitionsStore } from '../subsets/definitionsStore';
import { useWcs } from '../viewer/useWcs';
import { drawCounts, drawHistogram, drawScatter, type PlotTarget } from './drawPlots';
import { loadPlotColumns, PLOT_MAX_ROWS, type PlotColumns } from './plotData';
import { euclideanCounts } from './sourceCounts';
import './plots.css';

type Kind = 'histogram' | 'scatter' | 'sky' | 'counts';
const BASE_NUMERIC = ['snr', 'flux', 'peak', 'flux_err', 'bmaj', 'bmin', 'pa', 'ra', 'dec', 'x', 'y'];

/**
 * Plots of the filtered rows (d3): histogram of any column, scatter of two (density beyond 10⁴ points), sky
 * distribution, Euclidean-normalised differential counts. Brushing a histogram or scatter selects those rows
 * everywhere (table, image).
 */
export function PlotsPanel() {
  const activeId = useCatalogueStore((s) => s.activeId);
  // The active catalogue's computed columns can be plotted like the stored ones.
  const computedColumns = useDefinitionsStore((s) => s.columns);
  const NUMERIC = useMemo(() => [...BASE_NUMERIC, ...computedColumns.map((c) => c.name)], [computedColumns]);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const selection = useCatalogueStore((s) => s.selection);
  const image = useImageStore((s) => s.image);
  const wcs = useWcs(image);
  const [kind, setKind] = useState<Kind>('histogram');
  const [xCol, setXCol] = useState('snr');
  const [yCol, setYCol] = useState('bmaj');
  const [logX, setLogX] = useState(true);
  const [logY, setLogY] = useState(true);
  const [data, setData] = useState<PlotColumns | null>(null);
  const [loading, setLoading] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 600, height: 220 });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: Math.max(200, el.clientWidth), height: Math.max(120, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (activeId === null || filterProblem) return;
    const signal = { cancelled: false };
    setLoading(true);
    void loadPlotColumns(activeId, filter, NUMERIC, signal)
      .then(
        (d) => {
          if (!d) return;
          setData(d);
          // Catalogues without S/N (a truth list, a region file): start on columns that have values.
          const filled = NUMERIC.filter((c) => d.values.get(c)?.some((v) => Number.isFinite(v)));
          setXCol((c) => (filled.includes(c) ? c : (filled.find((f) => f === 'flux') ?? filled[0] ?? c)));
          setYCol((c) => (filled.includes(c) ? c : (filled.find((f) => f === 'bmaj') ?? filled[1] ?? c)));
        },
        () => setData(null),
      )
      .finally(() => !signal.cancelled && setLoading(false));
    return () => {
      signal.cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeId, filter, filterProblem, NUMERIC]);

  const selectedMask = useMemo(() => {
    const mask = new Uint8Array(data?.ids.length ?? 0);
    if (!data || selection.length === 0) return mask;
    const set = new Set(selection);
    data.ids.forEach((id, i) => (mask[i] = set.has(id) ? 1 : 0));
    return mask;
  }, [data, selection]);

  /** Solid angle of the image (sr): pixel count × the pixel's solid angle at the centre (from the WCS). */
  const areaSr = useMemo(() => {
    if (!image || !wcs) return null;
    const c = { x: image.width / 2, y: image.height / 2 };
    const p = wcs.pixelToWorld(c);
    const px = wcs.pixelToWorld({ x: c.x + 1, y: c.y });
    const py = wcs.pixelToWorld({ x: c.x, y: c.y + 1 });
    if (!p || !px || !py) return null;
    const rad = Math.PI / 180;
    const dx = [(px.lon - p.lon) * Math.cos(p.lat * rad), px.lat - p.lat];
    const dy = [(py.lon - p.lon) * Math.cos(p.lat * rad), py.lat - p.lat];
    const pixSr = Math.abs(dx[0]! * dy[1]! - dx[1]! * dy[0]!) * rad * rad;
    return image.width * image.height * pixSr;
  }, [image, wcs]);

  useEffect(() => {
    if (!data || !svg.current || !canvas.current) return;
    const t: PlotTarget = { svg: svg.current, canvas: canvas.current, width: size.width, height: size.height };
    const col = (c: string) => data.values.get(c) ?? new Float64Array(data.ids.length).fill(NaN);
    const selectWhere = (test: (i: number) => boolean): void => {
      const ids: number[] = [];
      for (let i = 0; i < data.ids.length; i++) if (test(i)) ids.push(data.ids[i]!);
      useCatalogueStore.getState().select(ids, ids[0] ?? null);
    };
    let ok = false;
    if (kind === 'histogram') {
      const v = col(xCol);
      ok = drawHistogram(t, xCol, v, selectedMask, { logX, logY }, (lo, hi) => selectWhere((i) => v[i]! >= lo && v[i]! <= hi));
    } else if (kind === 'scatter' || kind === 'sky') {
      const [a, b] = kind === 'sky' ? ['ra', 'dec'] : [xCol, yCol];
      const xs = col(a);
      const ys = col(b);
      const lx = kind === 'sky' ? false : logX;
      const ly = kind === 'sky' ? false : logY;
      ok = drawScatter(t, [a, b], xs, ys, selectedMask, { logX: lx, logY: ly, reverseX: kind === 'sky' }, (x0, x1, y0, y1) =>
        selectWhere((i) => xs[i]! >= x0 && xs[i]! <= x1 && ys[i]! >= y0 && ys[i]! <= y1),
      );
    } else if (kind === 'counts') {
      ok = areaSr !== null && drawCounts(t, euclideanCounts(col('flux'), areaSr, 5));
    }
    setMessage(ok ? null : kind === 'counts' && areaSr === null ? 'Source counts need an image with a celestial WCS (for the area).' : 'No values to plot.');
  }, [data, kind, xCol, yCol, logX, logY, selectedMask, size, areaSr]);

  return (
    <div className="plots-panel" data-testid="plots-panel">
      <div className="plots-controls">
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="plot-kind">
          <option value="histogram">Histogram</option>
          <option value="scatter">Scatter</option>
          <option value="sky">Sky distribution</option>
          <option value="counts">Source counts (Euclidean)</option>
        </select>
        {(kind === 'histogram' || kind === 'scatter') && (
          <select value={xCol} onChange={(e) => setXCol(e.target.value)} title="x column" data-testid="plot-x">
            {NUMERIC.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        {kind === 'scatter' && (
          <select value={yCol} onChange={(e) => setYCol(e.target.value)} title="y column" data-testid="plot-y">
            {NUMERIC.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        {(kind === 'histogram' || kind === 'scatter') && (
          <>
            <label>
              <input type="checkbox" checked={logX} onChange={(e) => setLogX(e.target.checked)} /> log x
            </label>
            <label>
              <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> log y
            </label>
          </>
        )}
        <span className="muted">
          {loading
            ? 'loading…'
            : data
              ? `${data.ids.length.toLocaleString('en-US')}${data.total > data.ids.length ? ` of ${data.total.toLocaleString('en-US')} (first ${PLOT_MAX_ROWS.toLocaleString('en-US')})` : ''} rows · drag to select`
              : ''}
        </span>
      </div>
      <div className="plot-area" ref={host}>
        <canvas ref={canvas} />
        <svg ref={svg} />
        {message && <div className="plot-message">{message}</div>}
      </div>
    </div>
  );
}
