/**
 * The finder with the extended-emission search on a tiled run: the compact sources are found tiled
 * (worker threads, bounded memory), then the multi-scale search runs once over the whole plane in
 * memory on the residual of those components, with the same background grid. The result equals
 * `runFinder` on the whole image (canonical island ids), only faster. The extended stage itself is
 * not tiled: it needs the whole plane and ~10 plane-sized work arrays (README, "Not done yet").
 */
import { wholeImageFrame } from './background';
import { interpolateGrid } from './gridInterpolation';
import { findExtended } from './extended';
import { runFinderTiled, type TiledFinderResult, type TiledRunOptions } from './tiledFinder';
import { openPixelReader, type PixelSourceSpec } from './tileTasks';
import type { BeamPx, FinderOptions } from './types';
import { finderOptions } from './types';

export async function runFinderTiledWithExtended(
  spec: PixelSourceSpec,
  beam: BeamPx,
  options: Partial<FinderOptions> = {},
  run: TiledRunOptions = {},
): Promise<TiledFinderResult> {
  const opts = finderOptions(options);
  const compact = await runFinderTiled(spec, beam, { ...opts, extendedScalesBeams: [] }, run);
  if (opts.extendedScalesBeams.length === 0) return compact;
  const reader = await openPixelReader(spec);
  try {
    const { width, height } = reader;
    const plane = { width, height, data: await reader.read({ x0: 0, y0: 0, width, height }) };
    const maps = interpolateGrid(compact.grid, plane, wholeImageFrame(plane));
    // components carry canonical island ids already: the links need no renumbering
    return { ...compact, extended: findExtended(plane, maps, compact.components, beam, opts) };
  } finally {
    await reader.close();
  }
}
