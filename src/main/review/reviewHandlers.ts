import type { Handlers } from '../transport/bindContract';
import type { CatalogueService } from './catalogueService';

export type ReviewMethod =
  | 'catalogue.import' | 'catalogue.list' | 'catalogue.remove' | 'catalogue.columns' | 'catalogue.query'
  | 'catalogue.filterIds' | 'catalogue.source' | 'labels.set' | 'labels.undo' | 'labels.redo'
  | 'labels.vocabularies' | 'review.queue' | 'catalogue.export';

/** Contract handlers of the catalogue review methods over one CatalogueService. */
export function reviewHandlers(svc: CatalogueService): Pick<Handlers, ReviewMethod> {
  return {
    'catalogue.import': (input) => svc.import(input),
    'catalogue.list': async () => svc.list(),
    'catalogue.remove': async ({ catalogueId }) => svc.remove(catalogueId),
    'catalogue.columns': async ({ catalogueId }) => svc.columns(catalogueId),
    'catalogue.query': async (input) => svc.query(input),
    'catalogue.filterIds': async ({ catalogueId, filter }) => svc.filterIds(catalogueId, filter),
    'catalogue.source': async ({ sourceId }) => svc.source(sourceId),
    'labels.set': async (input) => svc.setLabels(input),
    'labels.undo': async () => svc.undo(),
    'labels.redo': async () => svc.redo(),
    'labels.vocabularies': async () => svc.vocabularies(),
    'review.queue': async (input) => svc.reviewQueue(input),
    'catalogue.export': (input) => svc.export(input),
  };
}
