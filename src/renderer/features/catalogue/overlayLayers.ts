import { decodeOverlayColumn, type SourceRow } from '../../../shared/contract/catalogues';
import { overlayPath } from '../../../shared/contract/resources';
import { call } from '../../api/client';
import { decodeOverlay, IndexedOverlay, labelCodeOf } from './overlayData';
import { resourceUrl } from './viewerNav';

/** Above this many changed sources a label event refetches the overlays instead of patching them. */
const PATCH_LIMIT = 200;

interface Loaded {
  key: string;
  filter: string;
  overlay: IndexedOverlay;
  /** Numeric columns for colour/size rules, one value per overlay entry (fetched with the same filter). */
  columns: Map<string, Float32Array>;
}

/** A filter whose result can change when labels do. */
export function dependsOnLabels(filter: string): boolean {
  return /\b(label|sourceness|class|morphology|notes)\b/i.test(filter);
}

/**
 * The decoded, indexed overlays of the catalogues on screen, keyed by catalogue and filter, refetched
 * only when the filter changes. Label changes patch `labelCode` in place (no 10⁶-row refetch per key).
 * The columns a layer's colour/size rules read come with it, one bulk fetch each, and are refetched
 * whenever the overlay is (their order is the overlay's).
 */
export class OverlayLayers {
  private loaded = new Map<number, Loaded>();
  private inflight = new Map<number, string>();
  private wantedColumns = new Map<number, string[]>();
  private columnInflight = new Set<string>();
  /** Bumped when saved subsets or computed columns change: a filter naming them may select other sources. */
  private epoch = 0;

  constructor(private readonly onChange: () => void) {}

  get(catalogueId: number): IndexedOverlay | undefined {
    return this.loaded.get(catalogueId)?.overlay;
  }

  entries(): [number, IndexedOverlay][] {
    return [...this.loaded].map(([id, l]) => [id, l.overlay]);
  }

  /** A rule column of a loaded overlay (same length and order), or undefined until it has arrived. */
  column(catalogueId: number, name: string): Float32Array | undefined {
    return this.loaded.get(catalogueId)?.columns.get(name);
  }

  /**
   * Make the loaded set match `wanted` (catalogue → filter) and `columns` (catalogue → rule columns);
   * fetches what is missing or stale.
   */
  sync(wanted: Map<number, string>, columns: Map<number, string[]> = new Map(), epoch = 0): void {
    this.wantedColumns = columns;
    this.epoch = epoch;
    for (const id of [...this.loaded.keys()]) if (!wanted.has(id)) this.loaded.delete(id);
    for (const [id, filter] of wanted) {
      const key = `${id}|${epoch}|${filter}`;
      if (this.inflight.get(id) === key) continue;
      const loaded = this.loaded.get(id);
      if (loaded?.key !== key) {
        this.inflight.set(id, key);
        void this.fetch(id, filter, key);
        continue;
      }
      for (const name of columns.get(id) ?? []) if (!loaded.columns.has(name)) void this.fetchColumn(id, loaded, name);
    }
    this.onChange();
  }

  private async fetch(catalogueId: number, filter: string, key: string): Promise<void> {
    try {
      const names = this.wantedColumns.get(catalogueId) ?? [];
      const [body, ...columnBodies] = await Promise.all([
        fetchBody(overlayPath(catalogueId, filter)),
        ...names.map((name) => fetchBody(overlayPath(catalogueId, filter, name)).catch(() => null)),
      ]);
      const overlay = new IndexedOverlay(decodeOverlay(body!));
      if (this.inflight.get(catalogueId) !== key) return; // superseded by a newer filter
      const columns = new Map<string, Float32Array>();
      names.forEach((name, i) => {
        const col = columnBodies[i] ? decodeOverlayColumn(columnBodies[i]) : null;
        if (col && col.length === overlay.data.n) columns.set(name, col);
      });
      this.loaded.set(catalogueId, { key, filter, overlay, columns });
    } catch (err) {
      // A bad filter is reported by the table's query; the overlay keeps what it showed.
      console.warn(`overlay of catalogue ${catalogueId}:`, err);
    } finally {
      if (this.inflight.get(catalogueId) === key) this.inflight.delete(catalogueId);
      this.onChange();
    }
  }

  /** One rule column for an overlay already on screen (a rule changed); dropped if the overlay was replaced meanwhile. */
  private async fetchColumn(catalogueId: number, loaded: Loaded, name: string): Promise<void> {
    const tag = `${loaded.key}|${name}`;
    if (this.columnInflight.has(tag)) return;
    this.columnInflight.add(tag);
    try {
      const col = decodeOverlayColumn(await fetchBody(overlayPath(catalogueId, loaded.filter, name)));
      if (this.loaded.get(catalogueId) === loaded && col.length === loaded.overlay.data.n) loaded.columns.set(name, col);
    } catch (err) {
      console.warn(`column ${name} of catalogue ${catalogueId}:`, err);
    } finally {
      this.columnInflight.delete(tag);
      this.onChange();
    }
  }

  /** Fetch again (the old overlay stays on screen until the new one arrives). */
  private refetch(catalogueId: number, filter: string): void {
    const key = `${catalogueId}|${this.epoch}|${filter}`;
    this.inflight.set(catalogueId, key);
    void this.fetch(catalogueId, filter, key);
  }

  /**
   * Labels changed on these sources: patch their sourceness codes in place (few sources), or refetch (many);
   * overlays whose filter names a label column are refetched too, as membership may have changed.
   */
  async applyLabelChange(sourceIds: number[]): Promise<void> {
    const many = sourceIds.length > PATCH_LIMIT;
    for (const [id, l] of this.loaded) if (many || dependsOnLabels(l.filter)) this.refetch(id, l.filter);
    if (many) return;
    const rows = await Promise.all(sourceIds.map((sourceId) => call('catalogue.source', { sourceId }).then((d) => d.row, () => null)));
    this.patch(rows.filter((r): r is SourceRow => r !== null));
  }

  patch(rows: SourceRow[]): void {
    for (const { overlay } of this.loaded.values()) {
      for (const r of rows) {
        const i = overlay.rowOf(r.sourceId);
        if (i !== undefined) overlay.data.labelCode[i] = labelCodeOf(r.values['sourceness'] as string | null);
      }
    }
    this.onChange();
  }
}

async function fetchBody(path: string): Promise<ArrayBuffer> {
  const res = await fetch(resourceUrl(path), { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.arrayBuffer();
}
