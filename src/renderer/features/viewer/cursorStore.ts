import { create } from 'zustand';

interface CursorState {
  /** Pixel0 position under the mouse, or null when the mouse is off the image. */
  pixel: { x: number; y: number } | null;
  /** Exact value from image.pixelValue for `valueAt` (null: NaN/blank; undefined: not known yet). */
  value: number | null | undefined;
  valueAt: { x: number; y: number } | null;
  setPixel(pixel: { x: number; y: number } | null): void;
  setValue(at: { x: number; y: number }, value: number | null): void;
}

export const useCursorStore = create<CursorState>()((set) => ({
  pixel: null,
  value: undefined,
  valueAt: null,
  setPixel: (pixel) => set({ pixel }),
  setValue: (valueAt, value) => set({ valueAt, value }),
}));
