import { axisBottom, axisLeft, bin, brush, brushX, interpolateViridis, scaleLinear, scaleLog, select, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import type { CountsBin } from './sourceCounts';

type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;
export const MARGIN = { left: 56, right: 26, top: 16, bottom: 30 };
const SELECTED = '#ff40ff';
/** Above this many points the scatter shades density instead of drawing points. */
export const DENSITY_THRESHOLD = 10_000;

export interface PlotTarget {
  svg: SVGSVGElement;
  canvas: HTMLCanvasElement;
  width: number;
  height: number;
}

function makeScale(values: Float64Array, log: boolean, range: [number, number], reverse = false): Scale | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return null;
  if (hi === lo) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  const domain: [number, number] = reverse ? [hi, lo] : [lo, hi];
  return (log ? scaleLog().domain(domain) : scaleLinear().domain(domain)).range(range).nice();
}

function prepare(t: PlotTarget, xLabel: string, yLabel: string, x: Scale, y: Scale): void {
  const svg = select(t.svg);
  svg.selectAll('*').remove();
  svg.attr('width', t.width).attr('height', t.height);
  const tickFormat = (s: Scale) => (s.domain().some((d) => Math.abs(d) >= 1e4 || (Math.abs(d) < 1e-2 && d !== 0)) ? '.1e' : '~g');
  svg.append('g').attr('transform', `translate(0,${t.height - MARGIN.bottom})`).call(axisBottom(x).ticks(6, tickFormat(x)));
  svg.append('g').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5, tickFormat(y)));
  svg.append('text').attr('x', t.width - MARGIN.right).attr('y', t.height - 2).attr('text-anchor', 'end').attr('class', 'axis-label').text(xLabel);
  svg.append('text').attr('x', 4).attr('y', 2).attr('class', 'axis-label').attr('dominant-baseline', 'hanging').text(yLabel);
  const dpr = window.devicePixelRatio || 1;
  t.canvas.width = Math.round(t.width * dpr);
  t.canvas.height = Math.round(t.height * dpr);
  t.canvas.style.width = `${t.width}px`;
  t.canvas.style.height = `${t.height}px`;
  const ctx = t.canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, t.width, t.height);
}

/** Histogram of one column (log-spaced bins on a log axis, log counts optional); brushing selects the rows in range. */
export function drawHistogram(
  t: PlotTarget,
  label: string,
  values: Float64Array,
  selected: Uint8Array,
  opts: { logX: boolean; logY: boolean },
  onBrush: (lo: number, hi: number) => void,
): boolean {
  const x = makeScale(values, opts.logX, [MARGIN.left, t.width - MARGIN.right]);
  if (!x) return false;
  const [d0, d1] = x.domain() as [number, number];
  const nb = 40;
  const thresholds = Array.from({ length: nb - 1 }, (_, i) => (opts.logX ? d0 * (d1 / d0) ** ((i + 1) / nb) : d0 + ((d1 - d0) * (i + 1)) / nb));
  const ok = (v: number) => Number.isFinite(v) && (!opts.logX || v > 0);
  const all: number[] = [];
  const sel: number[] = [];
  values.forEach((v, i) => {
    if (!ok(v)) return;
    all.push(v);
    if (selected[i]) sel.push(v);
  });
  const binner = bin().domain([d0, d1]).thresholds(thresholds);
  const bins = binner(all);
  const selBins = binner(sel);
  const maxCount = Math.max(1, ...bins.map((b) => b.length));
  const y = (opts.logY ? scaleLog().domain([0.8, maxCount * 1.2]) : scaleLinear().domain([0, maxCount * 1.05])).range([t.height - MARGIN.bottom, MARGIN.top]);
  prepare(t, label, opts.logY ? 'count (log)' : 'count', x, y);
  const ctx = t.canvas.getContext('2d')!;
  const bar = (b: { x0?: number; x1?: number; length: number }, colour: string): void => {
    if (!b.length || b.x0 === undefined || b.x1 === undefined) return;
    const top = y(b.length);
    ctx.fillStyle = colour;
    ctx.fillRect(x(b.x0) + 0.5, top, Math.max(1, x(b.x1) - x(b.x0) - 1), t.height - MARGIN.bottom - top);
  };
  bins.forEach((b) => bar(b, 'rgba(79, 179, 255, 0.75)'));
  selBins.forEach((b) => bar(b, SELECTED));
  const g = select(t.svg).append('g');
  g.call(
    brushX()
      .extent([[MARGIN.left, MARGIN.top], [t.width - MARGIN.right, t.height - MARGIN.bottom]])
      .on('end', (e: { selection: [number, number] | null; sourceEvent?: Event }) => {
        if (!e.selection || !e.sourceEvent) return;
        const [a, b] = e.selection.map((px) => x.invert(px));
        onBrush(Math.min(a!, b!), Math.max(a!, b!));
      }),
  );
  return true;
}

/** Scatter of two columns; density shading (viridis, log counts) beyond DENSITY_THRESHOLD points; brushing selects. */
export function drawScatter(
  t: PlotTarget,
  labels: [string, string],
  xs: Float64Array,
  ys: Float64Array,
  selected: Uint8Array,
  opts: { logX: boolean; logY: boolean; reverseX?: boolean },
  onBrush: (x0: number, x1: number, y0: number, y1: number) => void,
): boolean {
  const x = makeScale(xs, opts.logX, [MARGIN.left, t.width - MARGIN.right], opts.reverseX);
  const y = makeScale(ys, opts.logY, [t.height - MARGIN.bottom, MARGIN.top]);
  if (!x || !y) return false;
  prepare(t, labels[0], labels[1], x, y);
  const ctx = t.canvas.getContext('2d')!;
  const ok = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (ok(xs[i]!, opts.logX) && ok(ys[i]!, opts.logY)) n++;
  if (n > DENSITY_THRESHOLD) {
    const cell = 3;
    const gw = Math.ceil(t.width / cell);
    const gh = Math.ceil(t.height / cell);
    const grid = new Uint32Array(gw * gh);
    let max = 1;
    for (let i = 0; i < xs.length; i++) {
      if (!ok(xs[i]!, opts.logX) || !ok(ys[i]!, opts.logY)) continue;
      const gx = Math.floor(x(xs[i]!) / cell);
      const gy = Math.floor(y(ys[i]!) / cell);
      if (gx < 0 || gy < 0 || gx >= gw || gy >= gh) continue;
      max = Math.max(max, ++grid[gy * gw + gx]!);
    }
    for (let k = 0; k < grid.length; k++) {
      if (!grid[k]) continue;
      ctx.fillStyle = interpolateViridis(0.15 + (0.85 * Math.log1p(grid[k]!)) / Math.log1p(max));
      ctx.fillRect((k % gw) * cell, Math.floor(k / gw) * cell, cell, cell);
    }
  } else {
    ctx.fillStyle = 'rgba(79, 179, 255, 0.8)';
    for (let i = 0; i < xs.length; i++) if (ok(xs[i]!, opts.logX) && ok(ys[i]!, opts.logY)) ctx.fillRect(x(xs[i]!) - 1, y(ys[i]!) - 1, 2.5, 2.5);
  }
  ctx.fillStyle = SELECTED;
  for (let i = 0; i < xs.length; i++) if (selected[i] && ok(xs[i]!, opts.logX) && ok(ys[i]!, opts.logY)) ctx.fillRect(x(xs[i]!) - 2, y(ys[i]!) - 2, 4, 4);
  select(t.svg)
    .append('g')
    .call(
      brush()
        .extent([[MARGIN.left, MARGIN.top], [t.width - MARGIN.right, t.height - MARGIN.bottom]])
        .on('end', (e: { selection: [[number, number], [number, number]] | null; sourceEvent?: Event }) => {
          if (!e.selection || !e.sourceEvent) return;
          const [[px0, py0], [px1, py1]] = e.selection;
          const a = x.invert(px0);
          const b = x.invert(px1);
          const c = y.invert(py0);
          const d = y.invert(py1);
          onBrush(Math.min(a, b), Math.max(a, b), Math.min(c, d), Math.max(c, d));
        }),
    );
  return true;
}

/** Euclidean-normalised differential counts with Poisson error bars on log-log axes. */
export function drawCounts(t: PlotTarget, bins: CountsBin[]): boolean {
  if (bins.length === 0) return false;
  const x = scaleLog()
    .domain([bins[0]!.loJy, bins.at(-1)!.hiJy])
    .range([MARGIN.left, t.width - MARGIN.right]);
  const pos = bins.filter((b) => b.value - b.error > 0);
  const lo = Math.min(...bins.map((b) => (b.value - b.error > 0 ? b.value - b.error : b.value / 2)));
  const hi = Math.max(...bins.map((b) => b.value + b.error));
  const y = scaleLog().domain([lo / 1.5, hi * 1.5]).range([t.height - MARGIN.bottom, MARGIN.top]);
  prepare(t, 'S [Jy]', 'S^2.5 dN/dS [Jy^1.5 sr^-1]', x, y);
  const ctx = t.canvas.getContext('2d')!;
  ctx.strokeStyle = 'rgba(79, 179, 255, 0.9)';
  ctx.fillStyle = 'rgba(79, 179, 255, 1)';
  for (const b of bins) {
    const cx = x(b.sJy);
    const top = y(b.value + b.error);
    const bottom = pos.includes(b) ? y(b.value - b.error) : t.height - MARGIN.bottom;
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx, bottom);
    ctx.stroke();
    ctx.fillRect(cx - 3, y(b.value) - 3, 6, 6);
  }
  return true;
}
