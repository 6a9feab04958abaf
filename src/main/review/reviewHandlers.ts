import type { AppError } from '../../shared/contract/errors';
import type { Handlers } from '../transport/bindContract';
import type { CatalogueService } from './catalogueService';

export type ReviewMethod =
  | 'catalogue.import' | 'catalogue.list' | 'catalogue.remove' | 'catalogue.columns' | 'catalogue.query'
  | 'catalogue.filterIds' | 'catalogue.source' | 'labels.set' | 'labels.undo' | 'labels.redo'
  | 'labels.vocabularies' | 'review.queue' | 'catalogue.export' | 'catalogue.csvPreview';

/** Contract handlers of the catalogue review methods over one CatalogueService (or answering why there is none). */
export function reviewHandlers(svc: CatalogueService | AppError): Pick<Handlers, ReviewMethod> {
  if (!('query' in svc)) {
    const fail = async (): Promise<never> => {
      throw svc;
    };
    return {
      'catalogue.import': fail, 'catalogue.list': fail, 'catalogue.remove': fail, 'catalogue.columns': fail,
      'catalogue.query': fail, 'catalogue.filterIds': fail, 'catalogue.source': fail, 'labels.set': fail,
      'labels.undo': fail, 'labels.redo': fail, 'labels.vocabularies': fail, 'review.queue': fail, 'catalogue.export': fail,
      'catalogue.csvPreview': fail,
    };
  }
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
    'catalogue.csvPreview': ({ path }) => svc.csvPreview(path),
  };
}
