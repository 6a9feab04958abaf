import type { FrameStats } from './overlayRenderer';
import { useCatalogueStore } from './catalogueStore';

/**
 * Automation hook of the review features (tests, benches), installed as `window.cirasaReview` beside
 * `window.cirasaViewer`:
 * - overlayFrameMs(): wall time of the last catalogue overlay frame (cull + draw);
 * - redrawOverlayNow(): draw a frame now, resolves with its time;
 * - overlayStats(): what the last frame drew (ellipses, markers, dots, dense mode);
 * - overlayCount(catalogueId): sources in that catalogue's loaded overlay (after its filter), or null;
 * - selectedSourceId(), selection(), activeCatalogueId(): the review state.
 */
export interface CirasaReviewHook {
  overlayFrameMs(): number;
  redrawOverlayNow(): Promise<number>;
  overlayStats(): FrameStats | null;
  overlayCount(catalogueId: number): number | null;
  selectedSourceId(): number | null;
  selection(): number[];
  activeCatalogueId(): number | null;
}

declare global {
  interface Window {
    cirasaReview?: CirasaReviewHook;
  }
}

export function installReviewHook(overlay: Pick<CirasaReviewHook, 'overlayFrameMs' | 'redrawOverlayNow' | 'overlayStats' | 'overlayCount'>): () => void {
  const hook: CirasaReviewHook = {
    ...overlay,
    selectedSourceId: () => useCatalogueStore.getState().focusId,
    selection: () => [...useCatalogueStore.getState().selection],
    activeCatalogueId: () => useCatalogueStore.getState().activeId,
  };
  window.cirasaReview = hook;
  return () => {
    if (window.cirasaReview === hook) delete window.cirasaReview;
  };
}
