import { create } from 'zustand';
import type { ComputedColumn, SubsetInfo } from '../../../shared/contract/session';
import { catalogueFilterSchema, parseNumericExpression, type ComputedRef, type FilterSchema, type SubsetRef } from '../../../shared/filter';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';

interface DefinitionsState {
  /** Catalogue the lists below belong to. */
  catalogueId: number | null;
  subsets: SubsetInfo[];
  columns: ComputedColumn[];
  /** Incremented when the computed columns change: the table and plots refetch their columns and rows. */
  version: number;
  error: string | null;
  /** 0-based character of the failing expression, when the error is a parse error. */
  errorPosition: number | null;
  load(catalogueId: number | null): Promise<void>;
  saveSubset(name: string, filter: string | undefined, sourceIds: number[] | undefined): Promise<boolean>;
  removeSubset(name: string): Promise<void>;
  defineColumn(name: string, expression: string): Promise<boolean>;
  removeColumn(name: string): Promise<void>;
  clearError(): void;
}

/** Saved subsets and computed columns of the active catalogue (the source of truth is main's store). */
export const useDefinitionsStore = create<DefinitionsState>()((set, get) => {
  const fail = (err: unknown): false => {
    const e = toSerializedError(err);
    const pos = e.details?.['position'];
    set({ error: `${describeError(e).title}\n${e.message}`, errorPosition: typeof pos === 'number' ? pos : null });
    return false;
  };
  const reload = async (): Promise<void> => {
    const id = get().catalogueId;
    if (id === null) return;
    const [subsets, columns] = await Promise.all([call('subsets.list', { catalogueId: id }), call('columns.list', { catalogueId: id })]);
    if (get().catalogueId !== id) return;
    // Keep the same array when the columns did not change (saving a subset must not refetch the table).
    if (JSON.stringify(columns) === JSON.stringify(get().columns)) set({ subsets });
    else set((s) => ({ subsets, columns, version: s.version + 1 }));
  };
  return {
    catalogueId: null,
    subsets: [],
    columns: [],
    version: 0,
    error: null,
    errorPosition: null,
    async load(catalogueId) {
      const changed = catalogueId !== get().catalogueId;
      set((s) => ({ catalogueId, error: null, errorPosition: null, ...(changed ? { subsets: [], columns: [], version: s.version + 1 } : {}) }));
      if (catalogueId === null) return;
      await reload().catch(() => undefined);
    },
    async saveSubset(name, filter, sourceIds) {
      const id = get().catalogueId;
      if (id === null) return false;
      try {
        await call('subsets.save', { catalogueId: id, name, ...(filter !== undefined ? { filter } : {}), ...(sourceIds ? { sourceIds } : {}) });
        set({ error: null, errorPosition: null });
        await reload();
        return true;
      } catch (err) {
        return fail(err);
      }
    },
    async removeSubset(name) {
      const id = get().catalogueId;
      if (id === null) return;
      await call('subsets.remove', { catalogueId: id, name }).catch(fail);
      await reload().catch(() => undefined);
    },
    async defineColumn(name, expression) {
      const id = get().catalogueId;
      if (id === null) return false;
      try {
        await call('columns.define', { catalogueId: id, name, expression });
        set({ error: null, errorPosition: null });
        await reload();
        return true;
      } catch (err) {
        return fail(err);
      }
    },
    async removeColumn(name) {
      const id = get().catalogueId;
      if (id === null) return;
      await call('columns.remove', { catalogueId: id, name }).catch(fail);
      await reload().catch(() => undefined);
    },
    clearError: () => set({ error: null, errorPosition: null }),
  };
});

/**
 * The filter schema as the renderer knows it (for checking as the user types): the catalogue columns plus
 * the active catalogue's subset names and computed columns. Membership is main's business: never evaluated here.
 */
export function clientFilterSchema(): FilterSchema {
  const { subsets, columns } = useDefinitionsStore.getState();
  const base = catalogueFilterSchema();
  const subsetRefs = new Map<string, SubsetRef>(subsets.map((s, i) => [s.name, { subsetId: i + 1, members: () => new Set<number>() }]));
  const computed = new Map<string, ComputedRef>();
  for (const c of columns) {
    try {
      computed.set(c.name, { expr: parseNumericExpression(c.expression, base) });
    } catch {
      continue;
    }
  }
  return catalogueFilterSchema(undefined, { subsets: subsetRefs, computed });
}
