import { AppError } from '../../shared/contract/errors';
import type { Store } from '../store';
import type { Handlers } from '../transport/bindContract';
import type { CatalogueService } from './catalogueService';
import { regionFilter } from './regionFilter';
import { SessionService } from './sessionService';

export type SessionMethod =
  | 'catalogue.regionFilter' | 'session.save' | 'session.load' | 'subsets.list' | 'subsets.save' | 'subsets.remove'
  | 'columns.list' | 'columns.define' | 'columns.remove';

const METHODS: readonly SessionMethod[] = [
  'catalogue.regionFilter', 'session.save', 'session.load', 'subsets.list', 'subsets.save', 'subsets.remove', 'columns.list', 'columns.define', 'columns.remove',
];

/**
 * Contract handlers of region filters, session files, saved subsets and computed columns over the store
 * and the catalogue service (or answering why there is none).
 */
export function sessionHandlers(store: Store | AppError, svc: CatalogueService | null = null, who = 'user'): Pick<Handlers, SessionMethod> {
  if (!('db' in store) || !svc) {
    const why = 'db' in store ? new AppError('internal', 'the catalogue service is not running') : store;
    const fail = async (): Promise<never> => {
      throw why;
    };
    return Object.fromEntries(METHODS.map((m) => [m, fail])) as unknown as Pick<Handlers, SessionMethod>;
  }
  const sessions = new SessionService(store, svc, who);
  const defs = svc.definitions;
  const summary = (catalogueId: number) => {
    const s = store.catalogues.get(catalogueId);
    if (!s) throw new AppError('notFound', `no catalogue ${catalogueId} in the store`, { catalogueId });
    return s;
  };
  return {
    'catalogue.regionFilter': (input) => regionFilter(store, input),
    'session.save': (input) => sessions.save(input),
    'session.load': (input) => sessions.load(input),
    'subsets.list': async ({ catalogueId }) => {
      summary(catalogueId);
      return defs.listSubsets(catalogueId);
    },
    'subsets.save': async ({ catalogueId, name, filter, sourceIds }) => {
      summary(catalogueId);
      if (filter === undefined && sourceIds === undefined) {
        throw new AppError('validation', `subset ${name}: give a filter or source ids`, { field: 'filter' });
      }
      let ids: ArrayLike<number> = filter !== undefined ? svc.filteredIds(catalogueId, filter) : sourceIds!;
      if (filter !== undefined && sourceIds !== undefined) {
        const wanted = new Set(sourceIds);
        ids = Array.from(ids).filter((id) => wanted.has(id));
      }
      return defs.saveSubset(catalogueId, name, ids, filter?.trim() || undefined, who);
    },
    'subsets.remove': async ({ catalogueId, name }) => {
      summary(catalogueId);
      defs.removeSubset(catalogueId, name);
    },
    'columns.list': async ({ catalogueId }) => {
      summary(catalogueId);
      return defs.listComputed(catalogueId);
    },
    'columns.define': async ({ catalogueId, name, expression }) => defs.defineComputed(catalogueId, name, expression, who, summary(catalogueId).beam),
    'columns.remove': async ({ catalogueId, name }) => {
      summary(catalogueId);
      defs.removeComputed(catalogueId, name);
    },
  };
}
