import { create } from 'zustand';

/** Viewer feedback for panels: cursor position and value, zoom, tile failures (serializable only). */
interface ViewerState {
  /** Pixel0 position under the mouse, or null when the mouse is off the image. */
  pixel: { x: number; y: number } | null;
  /** Exact value from image.pixelValue for `valueAt` (null: NaN/blank; undefined: not known yet). */
  value: number | null | undefined;
  valueAt: { x: number; y: number } | null;
  /** Screen pixels per image pixel of the current view. */
  zoom: number;
  setZoom(zoom: number): void;
  /** Tiles of the current image that failed to load, and the last reason. */
  tileFailures: number;
  lastTileFailure: string | null;
  addTileFailure(message: string): void;
  resetTileFailures(): void;
  setPixel(pixel: { x: number; y: number } | null): void;
  setValue(at: { x: number; y: number }, value: number | null): void;
}

export const useViewerStore = create<ViewerState>()((set) => ({
  pixel: null,
  value: undefined,
  valueAt: null,
  zoom: 1,
  setZoom: (zoom) => set({ zoom }),
  tileFailures: 0,
  lastTileFailure: null,
  addTileFailure: (message) => set((s) => ({ tileFailures: s.tileFailures + 1, lastTileFailure: message })),
  resetTileFailures: () => set({ tileFailures: 0, lastTileFailure: null }),
  setPixel: (pixel) => set({ pixel }),
  setValue: (valueAt, value) => set({ valueAt, value }),
}));
