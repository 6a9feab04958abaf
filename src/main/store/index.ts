/** The project store (better-sqlite3). Build one with `openStore(path)` in the composition root. */
export { openStore, type Store, type StoreOptions } from './openStore';
export type { CatalogueInput, CatalogueSummary, ImportResult, StoredSource } from './cataloguesRepo';
export type { HistoryEntry, LabelActionResult, LabelChange, LabelEditor, LabelField, StoredLabels } from './labelsRepo';
export { LABEL_FIELDS } from './labelsRepo';
export type { SavedSubset, SubsetInput } from './subsetsRepo';
export type { SourceFilter, Range } from './sourceFilter';
export type { StoredImage, ImageRecordInput } from './imagesRepo';
export type { VocabularyField } from './vocabulariesRepo';
