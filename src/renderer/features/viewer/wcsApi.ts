// The renderer's single import point for the pure WCS module (src/main/wcs) and coordinate types.
export type { Pixel0, SkyFrame, World } from '../../../shared/domain/coords';
export { parseWcs, convertFrame, formatSexagesimal, type Wcs } from '../../../main/wcs';
import type { Pixel0, SkyFrame } from '../../../shared/domain/coords';
import type { Wcs } from '../../../main/wcs';

// TEMPORARY until src/main/wcs/grid.ts lands: no grid lines.
export interface GridLine { axis: 'lon' | 'lat'; valueDeg: number; label: string; points: Pixel0[][] }
export function computeGrid(_wcs: Wcs, _view: { x0: number; y0: number; x1: number; y1: number }, _frame: SkyFrame): { lines: GridLine[] } {
  return { lines: [] };
}
