/** FITS reading (positioned reads, headers only on open) and writing (streamed), for main-process code. */
export type { Bitpix, FitsHeader, FitsImage, HduSummary, OpenOptions, WriteImageOptions } from './types';
export { isBitpix } from './types';
export { buildHeader, parseCard } from './cards';
export { listHdus } from './hdus';
export { openFitsImage, readHeaderOnly } from './image';
export { findBeam } from './beam';
export { formatCard } from './formatCard';
export { writeFitsImage } from './writer';
