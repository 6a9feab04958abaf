import { currentView } from '../session/sessionView';
import type { FitsViewer } from './fitsViewer';

/**
 * Automation hook for tests and scripting, installed as `window.cirasaViewer`:
 * - pixelToClient(x, y): client (page) coordinates of a Pixel0 position, or null when no image;
 * - visibleTileCount(): tiles drawn in the last frame;
 * - tileRequestCount(): tile downloads started since the image was opened;
 * - lastRecolourMs(): wall time of the last recolour (LUT change → all cached tiles redrawn).
 * - fullyLoaded(): every tile needed for the current view is loaded.
 * - previewTileCount(): tiles shown as sampled previews while the pyramid builds (0 once replaced).
 * - overlayFrameMs(): wall time of the last catalogue overlay frame (the review hook `window.cirasaReview` has more).
 * - view(): centre (Pixel0) and zoom (screen px per image px) of the view, as a session file stores it.
 */
export interface CirasaViewerHook {
  pixelToClient(x: number, y: number): { x: number; y: number } | null;
  visibleTileCount(): number;
  tileRequestCount(): number;
  lastRecolourMs(): number;
  fullyLoaded(): boolean;
  /** Tiles currently shown as sampled previews (0 once the pyramid is complete and they are replaced). */
  previewTileCount(): number;
  overlayFrameMs(): number;
  /** Centre (Pixel0) and zoom (screen px per image px) of the view; null when no image. */
  view(): { centre: { x: number; y: number }; zoom: number } | null;
}

declare global {
  interface Window {
    cirasaViewer?: CirasaViewerHook;
  }
}

export function installAutomationHook(viewer: FitsViewer): () => void {
  const hook: CirasaViewerHook = {
    pixelToClient: (x, y) => viewer.pixelToClient(x, y),
    visibleTileCount: () => viewer.visibleTileCount(),
    tileRequestCount: () => viewer.tileRequestCount(),
    lastRecolourMs: () => viewer.lastRecolourMs(),
    fullyLoaded: () => viewer.fullyLoaded(),
    previewTileCount: () => viewer.previewTileCount(),
    overlayFrameMs: () => window.cirasaReview?.overlayFrameMs() ?? 0,
    view: () => currentView(viewer),
  };
  window.cirasaViewer = hook;
  return () => {
    if (window.cirasaViewer === hook) delete window.cirasaViewer;
  };
}
