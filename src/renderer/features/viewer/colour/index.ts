/** The renderer's colour pipeline: clip → stretch → colormap, as one LUT applied to float32 tiles. */
export type { StretchName, ColormapName, ClipMode, DisplaySettings, ColourLut, Rgba } from './types';
export { DEFAULT_DISPLAY, STRETCHES, COLORMAPS, PERCENT_CLIPS, packRgba, unpackRgba } from './types';
export { stretchForward, stretchInverse, DEFAULT_LOG_EXPONENT, DEFAULT_ASINH_SOFTENING } from './stretch';
export type { StretchCdf } from './stretch';
export { clipLimits, quantileAt, valueCdf, histeqCdf } from './clip';
export { colormapTable, colormapRgb, COLORMAP_SIZE } from './colormaps';
export { buildLut, colourTile, LUT_SIZE } from './lut';
export { colourbarTicks, colourbarPixels } from './colourbar';
export type { ColourbarTick } from './colourbar';
export { histogramBins } from './histogram';
export type { HistogramBins } from './histogram';
