// TEMPORARY stand-in for the pure WCS module (src/main/wcs), same API names: it reports "no celestial
// axes" so the UI works without sky coordinates. Reduced to a re-export as soon as src/main/wcs lands.
import { AppError } from '../../../shared/contract/errors';
import type { HeaderCards } from '../../../shared/contract/images';

export type SkyFrame = 'icrs' | 'fk5' | 'fk4' | 'galactic';
export interface Pixel0 { x: number; y: number }
export interface World { lon: number; lat: number; frame: SkyFrame }
export interface Wcs {
  readonly frame: SkyFrame;
  readonly projection: string;
  readonly pixelScaleDeg: { x: number; y: number };
  pixelToWorld(p: Pixel0): World | null;
  worldToPixel(w: World): Pixel0 | null;
  describe(): string;
}
export interface GridLine { axis: 'lon' | 'lat'; valueDeg: number; label: string; points: Pixel0[][] }

export function parseWcs(_cards: HeaderCards): Wcs {
  throw new AppError('wcs.noCelestialAxes', 'WCS module not available yet');
}
export function convertFrame(w: World, _to: SkyFrame): World {
  return w;
}
export function formatSexagesimal(w: World): { lon: string; lat: string } {
  return { lon: w.lon.toFixed(6), lat: w.lat.toFixed(6) };
}
export function computeGrid(_wcs: Wcs, _view: { x0: number; y0: number; x1: number; y1: number }, _frame: SkyFrame): { lines: GridLine[] } {
  return { lines: [] };
}
