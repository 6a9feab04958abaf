/** Pure WCS module (no node or DOM imports): used by the main process, the CLI and the renderer. */
export type { Wcs } from './wcs';
export { parseWcs, describeFrame } from './wcs';
export { convertFrame, type FrameOptions } from './frames';
export { formatSexagesimal, formatHms, formatDms, parseSkyCoordinate } from './sexagesimal';
export { SUPPORTED_PROJECTIONS } from './projections';

import type { World } from '../../shared/domain/coords';
import { convertFrame } from './frames';
import { separationDeg } from './angles';

/** Great-circle distance in degrees; `b` is converted to `a`'s frame first. */
export function angularSeparationDeg(a: World, b: World): number {
  const bb = b.frame === a.frame ? b : convertFrame(b, a.frame);
  return separationDeg(a.lon, a.lat, bb.lon, bb.lat);
}
export { computeGrid, type Grid, type GridLine, type GridOptions, type GridView } from './grid';
