/** Tile pyramid (one streaming pass in a worker, disk cache), image statistics from a sample, tile reads. */
export type { RowSource } from './rowSource';
export { memoryRowSource } from './rowSource';
export { TILE_SIZE, pyramidLayout, tileRect, type PyramidLayout, type LevelGeometry } from './pyramidLayout';
export { runPyramidPass } from './pyramidPass';
export {
  PYRAMID_FORMAT_VERSION,
  cacheFilePath,
  identityKey,
  openPyramidFile,
  pruneCache,
  touchPyramidFile,
  readPyramidTile,
  removeStaleTempFiles,
  type OpenedPyramid,
  type PyramidMeta,
  type SourceIdentity,
} from './pyramidCache';
export { PyramidBuild, type StartWorker } from './pyramidBuild';
export { computePreviewBand, computeTileDirect, readLevel0Tile, TileLru, type Tile } from './tileReads';
export { sampleImageStats } from './sampleStats';
export { computeStats } from './stats';
export { zscaleLimits, zscaleGrid, DS9_ZSCALE } from './zscale';
