import OpenSeadragon from 'openseadragon';
import type { FitsViewer } from '../viewer/fitsViewer';

export interface ViewState {
  /** Centre of the view, Pixel0. */
  centre: { x: number; y: number };
  /** Screen (CSS) pixels per image pixel. */
  zoom: number;
}

/** The viewer's current centre (Pixel0) and zoom, or null when no image is shown. */
export function currentView(viewer: FitsViewer): ViewState | null {
  const el = viewer.osd.element;
  const centre = viewer.elementToPixel(el.clientWidth / 2, el.clientHeight / 2);
  return centre ? { centre, zoom: viewer.zoomRatio() } : null;
}

/** Show `view` at once (no animation). */
export function applyView(viewer: FitsViewer, view: ViewState): boolean {
  const info = viewer.image();
  const item = viewer.osd.world.getItemAt(0);
  if (!info || !item) return false;
  viewer.osd.viewport.zoomTo(item.imageToViewportZoom(view.zoom), undefined, true);
  viewer.osd.viewport.panTo(item.imageToViewportCoordinates(new OpenSeadragon.Point(view.centre.x + 0.5, info.height - 0.5 - view.centre.y)), true);
  return true;
}

/** Resolves once the viewer shows image `imageId` (its tile source opened), or false after `timeoutMs`. */
export function whenShowing(viewer: () => FitsViewer | null, imageId: string, timeoutMs = 20_000): Promise<boolean> {
  const start = performance.now();
  return new Promise((resolve) => {
    const tick = (): void => {
      const v = viewer();
      if (v && v.image()?.imageId === imageId && v.osd.world.getItemAt(0)) return resolve(true);
      if (performance.now() - start > timeoutMs) return resolve(false);
      setTimeout(tick, 50);
    };
    tick();
  });
}
