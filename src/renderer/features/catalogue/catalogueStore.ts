import { create } from 'zustand';
import type { CatalogueSummary, CsvMapping } from '../../../shared/contract/catalogues';
import { call, ClientError, on } from '../../api/client';
import type { DrawnShape } from '../../../shared/contract/session';
import type { CatalogueStyle } from './styleRules';

/** Colours given to catalogues in turn (unlabelled sources); label colours override them. */
export const LAYER_COLOURS = ['#00e5ff', '#ff9100', '#d500f9', '#76ff03', '#2979ff', '#ff4081'] as const;

export interface FilterProblem {
  message: string;
  /** 0-based character of the expression where parsing failed, when known. */
  position: number | null;
}

export type ReviewDialog = 'none' | 'openCatalogue' | 'export' | 'review';

interface CatalogueState {
  catalogues: CatalogueSummary[];
  /** The catalogue the table, filter, review and export work on. */
  activeId: number | null;
  /** Per catalogue: overlay colour, visibility, colour and size rules. */
  styles: Record<number, CatalogueStyle>;
  /** The filter applied to the active catalogue's table and overlay ('' = everything). */
  filter: string;
  filterProblem: FilterProblem | null;
  /** Rows matching the filter (from the table's query). */
  filteredCount: number | null;
  /** Selected source ids (any catalogue); `focusId` is the one labelled by the keys and shown in the table. */
  selection: number[];
  focusId: number | null;
  hoverId: number | null;
  /** Incremented when labels change: the table refetches its visible rows. */
  labelsVersion: number;
  dialog: ReviewDialog;
  /** The last rectangle (shift-drag) or lasso (alt-drag) drawn on the image, Pixel0: what "filter to shape" uses. */
  lastShape: DrawnShape | null;
  /** The region filter applied to the active catalogue (its members are the subset `region`), or null. */
  region: { label: string; count: number } | null;
  importing: string | null;
  error: string | null;
  refresh(): Promise<void>;
  importPath(path: string, imagePath?: string, format?: string, csvMapping?: CsvMapping): Promise<CatalogueSummary | null>;
  remove(catalogueId: number): Promise<void>;
  setActive(catalogueId: number | null): void;
  setStyle(catalogueId: number, style: Partial<CatalogueStyle>): void;
  setFilter(filter: string): void;
  setFilterProblem(problem: FilterProblem | null): void;
  setFilteredCount(count: number | null): void;
  select(ids: number[], focusId?: number | null): void;
  setHover(id: number | null): void;
  setDialog(dialog: ReviewDialog): void;
  setLastShape(shape: DrawnShape | null): void;
  setRegion(region: { label: string; count: number } | null): void;
  setError(error: string | null): void;
}

export const useCatalogueStore = create<CatalogueState>()((set, get) => ({
  catalogues: [],
  activeId: null,
  styles: {},
  filter: '',
  filterProblem: null,
  filteredCount: null,
  selection: [],
  focusId: null,
  hoverId: null,
  labelsVersion: 0,
  dialog: 'none',
  lastShape: null,
  region: null,
  importing: null,
  error: null,
  async refresh() {
    const catalogues = await call('catalogue.list', {});
    const styles = { ...get().styles };
    catalogues.forEach((c, i) => (styles[c.catalogueId] ??= { colour: LAYER_COLOURS[i % LAYER_COLOURS.length]!, visible: true }));
    const activeId = catalogues.some((c) => c.catalogueId === get().activeId) ? get().activeId : (catalogues.at(-1)?.catalogueId ?? null);
    set({ catalogues, styles, activeId });
  },
  async importPath(path, imagePath, format, csvMapping) {
    set({ importing: path, error: null });
    const load = (fmt: string | undefined) =>
      call('catalogue.import', { path, ...(imagePath ? { imagePath } : {}), ...(fmt ? { format: fmt } : {}), ...(csvMapping ? { csvMapping } : {}) });
    try {
      let summary: CatalogueSummary;
      try {
        summary = await load(format);
      } catch (err) {
        // Detection knows the CSV our exporters write; any other .csv/.tsv is read as a plain table.
        if (format || csvMapping || !/\.(csv|tsv)$/i.test(path) || !(err instanceof ClientError) || err.code !== 'catalogue.parseFailed') throw err;
        summary = await load('csv');
      }
      await get().refresh();
      set({ activeId: summary.catalogueId, selection: [], focusId: null, filter: '', filterProblem: null });
      return summary;
    } catch (err) {
      set({ error: err instanceof ClientError ? `${err.message}` : String(err) });
      return null;
    } finally {
      set({ importing: null });
    }
  },
  async remove(catalogueId) {
    await call('catalogue.remove', { catalogueId });
    await get().refresh();
  },
  setActive: (activeId) => set({ activeId, filter: '', filterProblem: null, selection: [], focusId: null, region: null }),
  setStyle: (id, style) => set((s) => ({ styles: { ...s.styles, [id]: { ...(s.styles[id] ?? { colour: LAYER_COLOURS[0], visible: true }), ...style } } })),
  setFilter: (filter) => set({ filter }),
  setFilterProblem: (filterProblem) => set({ filterProblem }),
  setFilteredCount: (filteredCount) => set({ filteredCount }),
  select: (ids, focusId) => set({ selection: ids, focusId: focusId === undefined ? (ids.at(-1) ?? null) : focusId }),
  setHover: (hoverId) => set({ hoverId }),
  setDialog: (dialog) => set({ dialog }),
  setLastShape: (lastShape) => set({ lastShape }),
  setRegion: (region) => set({ region }),
  setError: (error) => set({ error }),
}));

/** Keep the catalogue list and label version in step with main's events (returns the unsubscribe). */
export function subscribeCatalogueEvents(): () => void {
  const offs = [
    on('catalogue.changed', () => void useCatalogueStore.getState().refresh().catch(() => undefined)),
    on('labels.changed', () => useCatalogueStore.setState((s) => ({ labelsVersion: s.labelsVersion + 1 }))),
  ];
  void useCatalogueStore.getState().refresh().catch(() => undefined);
  return () => offs.forEach((off) => off());
}

/** The filter error of a failed call, with the position main reported (details.position). */
export function filterProblemOf(err: unknown): FilterProblem | null {
  if (!(err instanceof ClientError) || err.code !== 'filter.parseFailed') return null;
  const pos = err.details?.['position'];
  return { message: err.message, position: typeof pos === 'number' ? pos : null };
}
