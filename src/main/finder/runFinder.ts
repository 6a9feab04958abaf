/**
 * The finder core on one in-memory plane (a whole image or a tile with its margin):
 * background/noise → islands → deblend + Gaussian fits.
 */
import { wholeImageFrame } from './background';
import { estimateBackground } from './backgroundMask';
import { findExtended } from './extended';
import { applyFalseDetectionControl, searchedPixels } from './falseDetections';
import { fitIsland } from './fitIsland';
import { detectIslands } from './measure';
import { median } from './robustStats';
import type { BackgroundMaps, BeamPx, Component, FinderOptions, FinderResult, ImagePlane } from './types';
import { beamFwhmPx, finderOptions } from './types';

export interface RunFinderParams {
  /** Noise correlation FWHM in pixels for the fit errors (default: the beam FWHM). */
  noiseFwhmPx?: number;
  /** Precomputed maps (e.g. from a tile pass); estimated when absent. */
  maps?: BackgroundMaps;
  /** Checked between islands; an aborted run throws the signal's reason. */
  signal?: AbortSignal;
}

export interface FinderRun extends FinderResult {
  maps: BackgroundMaps;
  labels: Int32Array;
}

export function runFinder(
  plane: ImagePlane,
  beam: BeamPx,
  options: Partial<FinderOptions> = {},
  params: RunFinderParams = {},
): FinderRun {
  const opts = finderOptions(options);
  const maps = params.maps ?? estimateBackground(plane, beam, opts);
  params.signal?.throwIfAborted();
  const found = detectIslands(plane, maps, beam, opts);
  const noiseFwhmPx = params.noiseFwhmPx ?? beamFwhmPx(beam);
  const ctx = { plane, maps, found, beam, opts, noiseFwhmPx, frame: wholeImageFrame(plane) };
  const fitted: Component[] = [];
  for (const island of found.islands) {
    params.signal?.throwIfAborted();
    fitted.push(...fitIsland(ctx, island));
  }
  // image-wide, before the extended search (which works on the residual of the kept components);
  // island ids are not renumbered (the label map refers to them)
  const { islands, components, falseDetections } = applyFalseDetectionControl(
    { islands: found.islands, components: fitted },
    searchedPixels(plane, maps),
    beam,
    opts,
    noiseFwhmPx,
  );
  // the same summary as the tiled run: median over the background grid nodes (else a pixel sample)
  const nodes = 'grid' in maps ? (maps as { grid: { rms: Float32Array } }).grid.rms : undefined;
  let medianRms: number;
  if (nodes) medianRms = median(Float32Array.from(nodes), nodes.length);
  else {
    const step = Math.max(1, Math.floor(maps.rms.length / 100_000));
    const sample = new Float32Array(Math.ceil(maps.rms.length / step));
    let n = 0;
    for (let i = 0; i < maps.rms.length; i += step) if (Number.isFinite(maps.rms[i])) sample[n++] = maps.rms[i];
    medianRms = median(sample, n);
  }
  const extended = opts.extendedScalesBeams.length > 0 ? { extended: findExtended(plane, maps, components, beam, opts) } : {};
  return { islands, components, medianRms, maps, labels: found.labels, falseDetections, ...extended };
}
