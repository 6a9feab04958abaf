// The renderer's single import point for the pure WCS module (src/main/wcs) and coordinate types.
export type { Pixel0, SkyFrame, World } from '../../../shared/domain/coords';
export { parseWcs, convertFrame, formatSexagesimal, type Wcs } from '../../../main/wcs';
export { computeGrid, type Grid, type GridLine } from '../../../main/wcs/grid';
