import OpenSeadragon from 'openseadragon';
import { BRIDGE_GLOBAL, type CirasaBridge } from '../../../shared/contract/bridge';
import type { FitsViewer } from '../viewer/fitsViewer';
import type { ScreenTransform } from './overlayRenderer';

/** Pixel0 → viewer element transform of the current view (OSD has no rotation: two points define it). */
export function screenTransform(viewer: FitsViewer): ScreenTransform | null {
  const a = viewer.pixelToElement({ x: 0, y: 0 });
  const b = viewer.pixelToElement({ x: 1, y: 1 });
  if (!a || !b) return null;
  return { ox: a.x, oy: a.y, sx: b.x - a.x, sy: b.y - a.y };
}

/** Centre the view on a Pixel0 position; zoom in to at least `minZoomRatio` screen px per image px. */
export function centreOn(viewer: FitsViewer, x: number, y: number, minZoomRatio = 1): void {
  const info = viewer.image();
  const item = viewer.osd.world.getItemAt(0);
  if (!info || !item) return;
  const target = item.imageToViewportCoordinates(new OpenSeadragon.Point(x + 0.5, info.height - 0.5 - y));
  if (viewer.zoomRatio() < minZoomRatio) viewer.osd.viewport.zoomTo(item.imageToViewportZoom(minZoomRatio), undefined, true);
  viewer.osd.viewport.panTo(target, true);
}

/** URL of a binary resource path: same origin in the browser, the desktop protocol's base in Electron. */
export function resourceUrl(path: string): string {
  const bridge = (globalThis as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as CirasaBridge | undefined;
  return bridge ? bridge.resourceBase + path : path;
}
