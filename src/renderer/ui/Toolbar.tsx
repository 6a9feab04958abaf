import type { MutableRefObject } from 'react';
import type { FitsViewer } from '../features/viewer/fitsViewer';
import { useDisplayStore } from '../features/viewer/displayStore';
import { useImageStore } from '../features/image/imageStore';
import { SessionButtons } from '../features/session/SessionMount';
import { useUiStore } from './uiStore';

/** Top bar: open, zoom, overlays, header. Every button has a keyboard shortcut (in its tooltip). */
export function Toolbar({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const image = useImageStore((s) => s.image);
  const grid = useDisplayStore((s) => s.grid);
  const setModal = useUiStore((s) => s.setModal);
  const v = () => viewerRef.current;
  return (
    <header className="toolbar">
      <span className="brand">CIRASA</span>
      <button onClick={() => setModal('files')} title="Open a FITS image (Ctrl+O)" data-testid="open-button">
        Open…
      </button>
      <SessionButtons />
      <span className="sep" />
      <button disabled={!image} onClick={() => v()?.zoomToFit()} title="Zoom to fit (f)">
        Fit
      </button>
      <button disabled={!image} onClick={() => v()?.zoomOneToOne()} title="One screen pixel per image pixel (1)">
        1:1
      </button>
      <button disabled={!image} onClick={() => v()?.zoomBy(1 / 1.5)} title="Zoom out (-)">
        −
      </button>
      <button disabled={!image} onClick={() => v()?.zoomBy(1.5)} title="Zoom in (+)">
        +
      </button>
      <span className="sep" />
      <button className={grid ? 'active' : ''} disabled={!image} onClick={() => useDisplayStore.getState().setGrid(!grid)} title="Coordinate grid (g)">
        Grid
      </button>
      <button disabled={!image} onClick={() => setModal('header')} title="FITS header (h)" data-testid="header-button">
        Header
      </button>
      <span className="toolbar-title" title={image?.path} data-testid="image-title">
        {image ? `${image.fileName} — ${image.width}×${image.height}${image.wcsSummary ? ` — ${image.wcsSummary}` : ''}` : ''}
      </span>
    </header>
  );
}
