import { create } from 'zustand';
import { DEFAULT_DISPLAY, type DisplaySettings } from './colourApi';
import type { SkyFrame } from './wcsApi';

export type GridFrame = Extract<SkyFrame, 'icrs' | 'fk5' | 'galactic'>;

interface DisplayState {
  settings: DisplaySettings;
  grid: boolean;
  gridFrame: GridFrame;
  beam: boolean;
  setSettings(patch: Partial<DisplaySettings>): void;
  setGrid(on: boolean): void;
  setGridFrame(frame: GridFrame): void;
  setBeam(on: boolean): void;
}

/** How the image is shown: colour settings and overlay toggles (serializable only). */
export const useDisplayStore = create<DisplayState>()((set) => ({
  settings: DEFAULT_DISPLAY,
  grid: true,
  gridFrame: 'fk5',
  beam: true,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  setGrid: (grid) => set({ grid }),
  setGridFrame: (gridFrame) => set({ gridFrame }),
  setBeam: (beam) => set({ beam }),
}));
