import { AppError } from '../../shared/contract/errors';
import type { Handlers } from '../transport/bindContract';

/** Review methods not wired to a store yet: answer a clear error instead of a missing handler. */
export type ReviewMethod =
  | 'catalogue.import' | 'catalogue.list' | 'catalogue.remove' | 'catalogue.columns' | 'catalogue.query'
  | 'catalogue.filterIds' | 'catalogue.source' | 'labels.set' | 'labels.undo' | 'labels.redo'
  | 'labels.vocabularies' | 'review.queue' | 'catalogue.export';

export function pendingReviewHandlers(): Pick<Handlers, ReviewMethod> {
  const pending = async (): Promise<never> => {
    throw new AppError('internal', 'catalogue review backend is being wired (CatalogueService)');
  };
  return {
    'catalogue.import': pending, 'catalogue.list': pending, 'catalogue.remove': pending, 'catalogue.columns': pending,
    'catalogue.query': pending, 'catalogue.filterIds': pending, 'catalogue.source': pending, 'labels.set': pending,
    'labels.undo': pending, 'labels.redo': pending, 'labels.vocabularies': pending, 'review.queue': pending,
    'catalogue.export': pending,
  };
}
