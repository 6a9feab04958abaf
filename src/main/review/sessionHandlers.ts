import type { AppError } from '../../shared/contract/errors';
import type { Store } from '../store';
import type { Handlers } from '../transport/bindContract';
import { regionFilter } from './regionFilter';

export type SessionMethod = 'catalogue.regionFilter';

/** Contract handlers of region filters (and, later, session files) over the store (or answering why there is none). */
export function sessionHandlers(store: Store | AppError): Pick<Handlers, SessionMethod> {
  if (!('db' in store)) {
    return {
      'catalogue.regionFilter': async () => {
        throw store;
      },
    };
  }
  return {
    'catalogue.regionFilter': (input) => regionFilter(store, input),
  };
}
