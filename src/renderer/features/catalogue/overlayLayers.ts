import type { SourceRow } from '../../../shared/contract/catalogues';
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
}

/** A filter whose result can change when labels do. */
export function dependsOnLabels(filter: string): boolean {
  return /\b(label|sourceness|class|morphology|notes)\b/i.test(filter);
}

/**
 * The decoded, indexed overlays of the catalogues on screen, keyed by catalogue and filter, refetched
 * only when the filter changes. Label changes patch `labelCode` in place (no 10⁶-row refetch per key).
 */
export class OverlayLayers {
  private loaded = new Map<number, Loaded>();
  private inflight = new Map<number, string>();

  constructor(private readonly onChange: () => void) {}

  get(catalogueId: number): IndexedOverlay | undefined {
    return this.loaded.get(catalogueId)?.overlay;
  }

  entries(): [number, IndexedOverlay][] {
    return [...this.loaded].map(([id, l]) => [id, l.overlay]);
  }

  /** Make the loaded set match `wanted` (catalogue → filter); fetches what is missing or stale. */
  sync(wanted: Map<number, string>): void {
    for (const id of [...this.loaded.keys()]) if (!wanted.has(id)) this.loaded.delete(id);
    for (const [id, filter] of wanted) {
      const key = `${id}|${filter}`;
      if (this.loaded.get(id)?.key === key || this.inflight.get(id) === key) continue;
      this.inflight.set(id, key);
      void this.fetch(id, filter, key);
    }
    this.onChange();
  }

  private async fetch(catalogueId: number, filter: string, key: string): Promise<void> {
    try {
      const res = await fetch(resourceUrl(overlayPath(catalogueId, filter)), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const overlay = new IndexedOverlay(decodeOverlay(await res.arrayBuffer()));
      if (this.inflight.get(catalogueId) !== key) return; // superseded by a newer filter
      this.loaded.set(catalogueId, { key, filter, overlay });
    } catch (err) {
      // A bad filter is reported by the table's query; the overlay keeps what it showed.
      console.warn(`overlay of catalogue ${catalogueId}:`, err);
    } finally {
      if (this.inflight.get(catalogueId) === key) this.inflight.delete(catalogueId);
      this.onChange();
    }
  }

  /** Fetch again (the old overlay stays on screen until the new one arrives). */
  private refetch(catalogueId: number, filter: string): void {
    const key = `${catalogueId}|${filter}`;
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
