import { join } from 'node:path';
import { AppError, serializeError } from '../../shared/contract/errors';
import { openStore, type Store } from '../store';
import { CatalogueService, type Emit } from './catalogueService';

export interface ReviewBackend {
  store: Store | null;
  catalogues: CatalogueService | null;
  /** Why the store could not be opened (the review methods answer it); null when open. */
  error: AppError | null;
}

/**
 * Open the project store at <dataDir>/cirasa.sqlite and the catalogue service over it. A store that cannot
 * be opened (damaged file, newer schema, native module built for another runtime) must not stop the app
 * from viewing images: the error is logged and returned, and the review methods answer it.
 */
export function openReviewBackend(dataDir: string, emit: Emit): ReviewBackend {
  const path = join(dataDir, 'cirasa.sqlite');
  try {
    const store = openStore(path);
    return { store, catalogues: new CatalogueService({ store, emit }), error: null };
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('internal', `${path}: cannot open the catalogue store (${serializeError(err).message})`, { path });
    console.error(`cirasa: ${e.message}`);
    return { store: null, catalogues: null, error: e };
  }
}
