import { create } from 'zustand';

interface CursorState {
  /** Pixel0 position under the mouse, or null when the mouse is off the image. */
  pixel: { x: number; y: number } | null;
  /** Exact value from image.pixelValue for `valueAt` (null: NaN/blank; undefined: not known yet). */
  value: number | null | undefined;
  valueAt: { x: number; y: number } | null;
  /** Screen pixels per image pixel of the current view. */
  zoom: number;
  setZoom(zoom: number): void;
  setPixel(pixel: { x: number; y: number } | null): void;
  setValue(at: { x: number; y: number }, value: number | null): void;
}

export const useCursorStore = create<CursorState>()((set) => ({
  pixel: null,
  value: undefined,
  valueAt: null,
  zoom: 1,
  setZoom: (zoom) => set({ zoom }),
  setPixel: (pixel) => set({ pixel }),
  setValue: (valueAt, value) => set({ valueAt, value }),
}));
