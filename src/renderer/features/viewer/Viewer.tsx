import { useEffect, useRef, type MutableRefObject } from 'react';
import { call, on } from '../../api/client';
import { useImageStore } from '../image/imageStore';
import { installAutomationHook } from './automation';
import { buildLut, sameDisplay, type DisplaySettings } from './colourApi';
import { useViewerStore } from './viewerStore';
import { useDisplayStore } from './displayStore';
import { FitsViewer } from './fitsViewer';
import { drawBeam, drawGrid } from './overlayDrawing';
import { useWcs } from './useWcs';

const VALUE_THROTTLE_MS = 60;

/** The tiled image with its overlay canvas (grid, beam). Owns the FitsViewer, handed out through `viewerRef`. */
export function Viewer({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const osdRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const frameRequest = useRef(0);
  const image = useImageStore((s) => s.image);
  const settings = useDisplayStore((s) => s.settings);
  const grid = useDisplayStore((s) => s.grid);
  const gridFrame = useDisplayStore((s) => s.gridFrame);
  const showBeam = useDisplayStore((s) => s.beam);
  const wcs = useWcs(image);
  // Latest values for the imperative redraw (called from OSD events, outside React's render).
  const overlayState = useRef({ wcs, grid, gridFrame, showBeam, image });
  overlayState.current = { wcs, grid, gridFrame, showBeam, image };

  const redrawOverlay = (): void => {
    cancelAnimationFrame(frameRequest.current);
    frameRequest.current = requestAnimationFrame(() => {
      const canvas = overlayRef.current;
      const viewer = viewerRef.current;
      if (!canvas || !viewer) return;
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const s = overlayState.current;
      const zoom = viewer.zoomRatio();
      if (Math.abs(zoom - useViewerStore.getState().zoom) > 1e-6) useViewerStore.getState().setZoom(zoom);
      const view = viewer.visiblePixels();
      if (!s.image || !s.wcs || !view) return;
      const toElement = (p: { x: number; y: number }) => viewer.pixelToElement(p);
      try {
        if (s.grid) drawGrid(ctx, s.wcs, view, s.gridFrame, toElement);
        if (s.showBeam && s.image.beam) drawBeam(ctx, s.wcs, s.image.beam, view, toElement);
      } catch (err) {
        console.warn('overlay:', err);
      }
    });
  };

  const openedId = useRef<string | null>(null);
  const colouredWith = useRef<DisplaySettings | null>(null);
  useEffect(() => {
    openedId.current = null;
    const viewer = new FitsViewer(osdRef.current!, {
      onViewChange: redrawOverlay,
      onTileError: (message) => useViewerStore.getState().addTileFailure(message),
    });
    viewerRef.current = viewer;
    const uninstall = installAutomationHook(viewer);
    // Tiles shown as sampled previews while the pyramid was building become exact once it is done.
    const offReady = on('tiles.ready', ({ imageId }) => void viewer.replacePreviews(imageId));
    const resize = new ResizeObserver(redrawOverlay);
    resize.observe(hostRef.current!);
    return () => {
      resize.disconnect();
      offReady();
      uninstall();
      viewer.destroy();
      viewerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A new image: reopen. Colour settings only: recolour the cached float tiles (no refetch).
  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer) return;
    if (!image) {
      openedId.current = null;
      viewer.close();
      return;
    }
    if (openedId.current !== image.imageId) {
      openedId.current = image.imageId;
      colouredWith.current = settings;
      useViewerStore.getState().resetTileFailures();
      viewer.open(image, buildLut(settings, image.stats));
    } else if (!colouredWith.current || !sameDisplay(colouredWith.current, settings)) {
      colouredWith.current = settings;
      void viewer.setLut(buildLut(settings, image.stats));
    }
  }, [image, settings, viewerRef]);

  useEffect(redrawOverlay, [wcs, grid, gridFrame, showBeam, image]);

  // Cursor readout: position immediately, exact value from main (throttled, latest wins).
  const valueTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): void => {
    const viewer = viewerRef.current;
    const img = overlayState.current.image;
    if (!viewer || !img) return;
    const r = e.currentTarget.getBoundingClientRect();
    const p = viewer.elementToPixel(e.clientX - r.left, e.clientY - r.top);
    const inside = p && p.x >= -0.5 && p.y >= -0.5 && p.x < img.width - 0.5 && p.y < img.height - 0.5;
    useViewerStore.getState().setPixel(inside ? p : null);
    if (!inside || valueTimer.current) return;
    valueTimer.current = setTimeout(() => {
      valueTimer.current = null;
      const at = useViewerStore.getState().pixel;
      if (!at) return;
      call('image.pixelValue', { imageId: img.imageId, x: at.x, y: at.y }).then(
        (v) => useViewerStore.getState().setValue({ x: v.x, y: v.y }, v.value),
        () => undefined,
      );
    }, VALUE_THROTTLE_MS);
  };

  return (
    <div className="viewer" ref={hostRef} onPointerMove={onPointerMove} onPointerLeave={() => useViewerStore.getState().setPixel(null)}>
      <div className="viewer-osd" ref={osdRef} data-testid="viewer" />
      <canvas className="viewer-overlay" ref={overlayRef} />
      {!image && <div className="viewer-empty">Open a FITS image (Ctrl+O) or drop one here</div>}
    </div>
  );
}
