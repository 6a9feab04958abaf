import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import { createPortal } from 'react-dom';
import type { SourceRow } from '../../../shared/contract/catalogues';
import { call, on } from '../../api/client';
import { useImageStore } from '../image/imageStore';
import type { FitsViewer } from '../viewer/fitsViewer';
import { useDefinitionsStore } from '../subsets/definitionsStore';
import { useCatalogueStore } from './catalogueStore';
import { OverlayLayers } from './overlayLayers';
import { drawFocusDetail, drawOverlayFrame, type FocusDetail, type FrameStats, type OverlayLayer } from './overlayRenderer';
import { installReviewHook } from './reviewHook';
import { layerPaint, ruleColumns } from './styleRules';
import { StyleLegend } from './StyleLegend';
import { screenTransform } from './viewerNav';
import './catalogue.css';

const HIT_RADIUS_PX = 6;
const VIEW_EVENTS = ['animation', 'resize', 'open', 'viewport-change', 'update-viewport'] as const;

/**
 * The FitsViewer once Viewer has created it (its effect runs after ours when we mount beside it). A slow
 * check keeps following it should Viewer ever recreate it (StrictMode remounts in development).
 */
export function useFitsViewer(viewerRef: MutableRefObject<FitsViewer | null>): FitsViewer | null {
  const [viewer, setViewer] = useState<FitsViewer | null>(viewerRef.current);
  useEffect(() => {
    const check = (): void => {
      if (viewerRef.current !== viewer) setViewer(viewerRef.current);
    };
    const frame = requestAnimationFrame(check);
    const timer = setInterval(check, 250);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(timer);
    };
  }, [viewerRef, viewer]);
  return viewer;
}

/**
 * Catalogue overlays on a canvas above the image: culled with each catalogue's Flatbush index, dots
 * when dense, ellipses when big enough; hover tooltip, click selects, shift-drag selects a rectangle.
 */
export function CatalogueOverlay({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const viewer = useFitsViewer(viewerRef);
  const host = viewer?.osd.element.parentElement ?? null;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frameMs = useRef(0);
  const lastStats = useRef<FrameStats | null>(null);
  const request = useRef(0);
  const [tooltip, setTooltip] = useState<{ x: number; y: number; row: SourceRow | null; id: number } | null>(null);
  const [band, setBand] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [lasso, setLasso] = useState<{ x: number; y: number }[] | null>(null);
  const image = useImageStore((s) => s.image);
  const catalogues = useCatalogueStore((s) => s.catalogues);
  const styles = useCatalogueStore((s) => s.styles);
  const activeId = useCatalogueStore((s) => s.activeId);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const selection = useCatalogueStore((s) => s.selection);
  const hoverId = useCatalogueStore((s) => s.hoverId);
  const focusId = useCatalogueStore((s) => s.focusId);
  /** Subsets or computed columns changed (e.g. a new region): filters naming them are fetched again. */
  const definitionsVersion = useDefinitionsStore((s) => s.version);
  const focusDetail = useRef<FocusDetail | null>(null);

  const redraw = useRef<() => void>(() => undefined);
  redraw.current = () => {
    cancelAnimationFrame(request.current);
    request.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      if (!canvas || !viewer) return;
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const info = viewer.image();
      const view = viewer.visiblePixels();
      const t = screenTransform(viewer);
      if (!info || !view || !t) return;
      const st = useCatalogueStore.getState();
      const list: OverlayLayer[] = layers.current.entries().map(([catalogueId, overlay]) => {
        const style = st.styles[catalogueId] ?? { colour: '#00e5ff', visible: true };
        return { catalogueId, overlay, style, paint: layerPaint(style, (name) => layers.current.column(catalogueId, name)) };
      });
      lastStats.current = drawOverlayFrame(ctx, {
        layers: list,
        view,
        t,
        width: w,
        height: h,
        dpr,
        imageWidth: info.width,
        imageHeight: info.height,
        selected: new Set(st.selection),
        hovered: st.hoverId,
      });
      if (focusDetail.current && focusDetail.current.sourceId === st.focusId) drawFocusDetail(ctx, t, focusDetail.current);
      frameMs.current = performance.now() - started;
    });
  };
  const [layersVersion, setLayersVersion] = useState(0);
  const layers = useRef(
    new OverlayLayers(() => {
      redraw.current();
      setLayersVersion((v) => v + 1);
    }),
  );

  // Which overlays to show: every visible catalogue; the active one with the current filter; the columns its rules read.
  useEffect(() => {
    const wanted = new Map<number, string>();
    const columns = new Map<number, string[]>();
    for (const c of catalogues) {
      const style = styles[c.catalogueId];
      if (style?.visible === false) continue;
      wanted.set(c.catalogueId, c.catalogueId === activeId && !filterProblem ? filter : '');
      columns.set(c.catalogueId, ruleColumns(style));
    }
    layers.current.sync(wanted, columns, definitionsVersion);
  }, [catalogues, styles, activeId, filter, filterProblem, definitionsVersion]);

  useEffect(() => on('labels.changed', ({ sourceIds }) => void layers.current.applyLabelChange(sourceIds)), []);
  useEffect(() => redraw.current(), [selection, hoverId, image, styles]);

  // The focused source's island contour and fitted components (not in the bulk overlay: fetched per source).
  useEffect(() => {
    if (focusId === null) return;
    let live = true;
    void call('catalogue.source', { sourceId: focusId }).then(({ source }) => {
      if (!live) return;
      focusDetail.current = { sourceId: focusId, contour: source.contour ?? null, components: source.components };
      redraw.current();
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [focusId]);

  useEffect(() => {
    if (!viewer) return;
    const handler = (): void => redraw.current();
    for (const ev of VIEW_EVENTS) viewer.osd.addHandler(ev, handler);
    const uninstall = installReviewHook({
      overlayFrameMs: () => frameMs.current,
      overlayStats: () => lastStats.current,
      redrawOverlayNow: () => {
        redraw.current();
        return new Promise<number>((r) => requestAnimationFrame(() => r(frameMs.current)));
      },
      overlayCount: (id) => layers.current.get(id)?.data.n ?? null,
    });
    // Click (not drag) on the image: the nearest source within a few screen pixels, or clear.
    const onClick = (e: OpenSeadragon.CanvasClickEvent): void => {
      if (!e.quick) return;
      const hit = hitTest(e.position.x, e.position.y);
      const st = useCatalogueStore.getState();
      if (!hit) {
        if (!(e.originalEvent as MouseEvent).shiftKey) st.select([], null);
        return;
      }
      if ((e.originalEvent as MouseEvent).shiftKey) {
        const has = st.selection.includes(hit.id);
        st.select(has ? st.selection.filter((s) => s !== hit.id) : [...st.selection, hit.id], hit.id);
      } else st.select([hit.id], hit.id);
      if (hit.catalogueId !== st.activeId) st.setActive(hit.catalogueId), st.select([hit.id], hit.id);
    };
    viewer.osd.addHandler('canvas-click', onClick);
    return () => {
      for (const ev of VIEW_EVENTS) viewer.osd.removeHandler(ev, handler);
      viewer.osd.removeHandler('canvas-click', onClick);
      uninstall();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewer]);

  const hitTest = (ex: number, ey: number): { id: number; catalogueId: number } | null => {
    if (!viewer) return null;
    const p = viewer.elementToPixel(ex, ey);
    const zoom = viewer.zoomRatio();
    if (!p || !(zoom > 0)) return null;
    const st = useCatalogueStore.getState();
    let best: { id: number; catalogueId: number; d: number } | null = null;
    for (const [catalogueId, ov] of layers.current.entries()) {
      if (st.styles[catalogueId]?.visible === false) continue;
      const i = ov.nearest(p.x, p.y, HIT_RADIUS_PX / zoom);
      if (i === null) continue;
      const d = Math.hypot(ov.data.x[i]! - p.x, ov.data.y[i]! - p.y);
      if (!best || d < best.d) best = { id: ov.data.ids[i]!, catalogueId, d };
    }
    return best;
  };

  // Hover and shift-drag rectangles, listened to on the viewer host in the capture phase so OSD does not pan.
  useEffect(() => {
    if (!host || !viewer) return;
    let drag: { x0: number; y0: number } | null = null;
    let path: { x: number; y: number }[] | null = null;
    let hoverSeq = 0;
    const local = (e: PointerEvent) => {
      const r = host.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const activeOverlay = () => {
      const st = useCatalogueStore.getState();
      const id = st.activeId ?? layers.current.entries()[0]?.[0];
      return id !== undefined ? layers.current.get(id) : undefined;
    };
    // Shift-drag: rectangle; Alt-drag: free polygon (lasso). Both select the active catalogue's sources inside.
    const onDown = (e: PointerEvent): void => {
      if (!(e.shiftKey || e.altKey) || e.button !== 0) return;
      e.stopPropagation();
      e.preventDefault();
      const p = local(e);
      if (e.altKey) {
        path = [p];
        setLasso([p]);
      } else {
        drag = { x0: p.x, y0: p.y };
        setBand({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
      }
    };
    const onMove = (e: PointerEvent): void => {
      const p = local(e);
      if (path) {
        e.stopPropagation();
        const last = path[path.length - 1]!;
        if (Math.hypot(p.x - last.x, p.y - last.y) >= 3) {
          path = [...path, p];
          setLasso(path);
        }
        return;
      }
      if (drag) {
        e.stopPropagation();
        setBand({ x0: drag.x0, y0: drag.y0, x1: p.x, y1: p.y });
        return;
      }
      const hit = hitTest(p.x, p.y);
      const st = useCatalogueStore.getState();
      if ((hit?.id ?? null) !== st.hoverId) st.setHover(hit?.id ?? null);
      if (!hit) return setTooltip(null);
      const seq = ++hoverSeq;
      setTooltip((t) => (t?.id === hit.id ? { ...t, x: p.x, y: p.y } : { x: p.x, y: p.y, row: null, id: hit.id }));
      void call('catalogue.source', { sourceId: hit.id }).then(
        (d) => seq === hoverSeq && setTooltip((t) => (t?.id === hit.id ? { ...t, row: d.row } : t)),
        () => undefined,
      );
    };
    const onUp = (e: PointerEvent): void => {
      if (path) {
        e.stopPropagation();
        const poly = path.map((q) => viewer.elementToPixel(q.x, q.y)).filter((q): q is { x: number; y: number } => q !== null);
        path = null;
        setLasso(null);
        if (poly.length >= 3) useCatalogueStore.getState().setLastShape({ kind: 'polygon', points: poly.map((q) => [q.x, q.y]) });
        const ov = activeOverlay();
        if (!ov || poly.length < 3) return;
        const ids = ov.idsInPolygon(poly);
        useCatalogueStore.getState().select(ids, ids[0] ?? null);
        return;
      }
      if (!drag) return;
      e.stopPropagation();
      const p = local(e);
      const a = viewer.elementToPixel(drag.x0, drag.y0);
      const b = viewer.elementToPixel(p.x, p.y);
      drag = null;
      setBand(null);
      if (a && b) {
        const box = { kind: 'box' as const, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) };
        useCatalogueStore.getState().setLastShape(box);
      }
      const ov = activeOverlay();
      if (!a || !b || !ov) return;
      const ids = ov.idsInRect(a.x, a.y, b.x, b.y);
      useCatalogueStore.getState().select(ids, ids[0] ?? null);
    };
    const onLeave = (): void => {
      useCatalogueStore.getState().setHover(null);
      setTooltip(null);
    };
    host.addEventListener('pointerdown', onDown, true);
    window.addEventListener('pointermove', onMove, true);
    window.addEventListener('pointerup', onUp, true);
    host.addEventListener('pointerleave', onLeave);
    return () => {
      host.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerup', onUp, true);
      host.removeEventListener('pointerleave', onLeave);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [host, viewer]);

  if (!host) return null;
  return createPortal(
    <>
      <canvas className="catalogue-overlay" ref={canvasRef} data-testid="catalogue-overlay" />
      {band && (
        <div
          className="select-band"
          style={{ left: Math.min(band.x0, band.x1), top: Math.min(band.y0, band.y1), width: Math.abs(band.x1 - band.x0), height: Math.abs(band.y1 - band.y0) }}
        />
      )}
      {lasso && (
        <svg className="select-lasso">
          <polygon points={lasso.map((p) => `${p.x},${p.y}`).join(' ')} />
        </svg>
      )}
      <StyleLegend layers={layers.current} version={layersVersion} />
      {tooltip && (
        <div className="source-tooltip" style={{ left: tooltip.x + 14, top: tooltip.y + 14 }} data-testid="source-tooltip">
          {tooltip.row ? <TooltipBody row={tooltip.row} /> : <span className="muted">source {tooltip.id}…</span>}
        </div>
      )}
    </>,
    host,
  );
}

function TooltipBody({ row }: { row: SourceRow }) {
  const v = row.values;
  const num = (x: unknown, digits: number): string => (typeof x === 'number' ? x.toPrecision(digits) : '—');
  return (
    <>
      <b>{String(v['name'] ?? row.sourceId)}</b>
      <span>S/N {num(v['snr'], 3)}</span>
      <span>flux {typeof v['flux'] === 'number' ? `${(v['flux'] * 1e3).toPrecision(3)} mJy` : '—'}</span>
      {v['sourceness'] ? <span className={`label-chip ${String(v['sourceness'])}`}>{String(v['sourceness'])}</span> : null}
    </>
  );
}
