/**
 * The renderer's colour pipeline: clip → stretch → colormap, as one LUT applied to float32 tiles.
 *
 * Use: keep the float32 tiles; on every settings change build one LUT, then recolour each visible tile
 *   const lut = buildLut(settings, info.stats);               // < 1 ms
 *   colourTile(tileFloats, lut, imageData.data);              // ~0.2–0.7 ms per 256² tile
 *   ctx.putImageData(imageData, 0, 0);
 * No refetch is ever needed. The packed colours assume a little-endian platform (every x86/ARM
 * desktop and browser). Stats-derived helpers (clipLimits, histogramBins, colourbarTicks) read only
 * ImageStats, never pixels.
 */
export type { StretchName, ColormapName, ClipMode, DisplaySettings, ColourLut, Rgba } from './types';
export { DEFAULT_DISPLAY, STRETCHES, COLORMAPS, PERCENT_CLIPS, packRgba, unpackRgba, sameDisplay } from './types';
export { stretchForward, stretchInverse, DEFAULT_LOG_EXPONENT, DEFAULT_ASINH_SOFTENING } from './stretch';
export type { StretchCdf } from './stretch';
export { clipLimits, quantileAt, valueCdf, histeqCdf } from './clip';
export { colormapTable, colormapRgb, COLORMAP_SIZE } from './colormaps';
export { buildLut, colourTile, LUT_SIZE, MAX_LUT_SIZE } from './lut';
export { colourbarTicks, colourbarPixels } from './colourbar';
export type { ColourbarTick } from './colourbar';
export { histogramBins } from './histogram';
export type { HistogramBins } from './histogram';
