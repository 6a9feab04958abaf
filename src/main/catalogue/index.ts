/** Catalogue readers (foreign formats → the normalized model in src/shared/domain/source.ts). */
export type { CatalogueReader, ReadOptions } from './types';
export { CatalogueReaderRegistry, DEFAULT_READERS, geometryFromImage, readCatalogue, streamCatalogue } from './registry';
export { NotStreamable } from './readers/flatRows';
export { type PixelGeometry, thetaToPaDeg, paToThetaDeg, arcsecPerPixel, paInFrame, positionAngleDeg } from './skyGeometry';
export { readFitsTable, type FitsTable, type FitsColumn } from './fitsTable';
export { previewCsv } from './readers/csvMapped';
