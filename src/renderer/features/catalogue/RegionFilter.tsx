import { useState } from 'react';
import { decodeIdsBase64 } from '../../../shared/contract/catalogues';
import type { DrawnShape } from '../../../shared/contract/session';
import { call, ClientError } from '../../api/client';
import { Modal } from '../../ui/Modal';
import { PathPicker } from '../export/PathPicker';
import { useImageStore } from '../image/imageStore';
import { useDefinitionsStore } from '../subsets/definitionsStore';
import { useCatalogueStore } from './catalogueStore';

/** The saved subset holding a region filter's members; the filter expression names it. */
export const REGION_SUBSET = 'region';
const CLAUSE = `subset('${REGION_SUBSET}')`;

/** `filter` restricted to the region subset (the clause appended once). */
export function withRegion(filter: string): string {
  const base = withoutRegion(filter).trim();
  return base === '' ? CLAUSE : `(${base}) && ${CLAUSE}`;
}

/** `filter` without the region clause withRegion added. */
export function withoutRegion(filter: string): string {
  const f = filter.trim();
  if (f === CLAUSE) return '';
  const m = /^\((.*)\) && subset\('region'\)$/s.exec(f);
  return m ? m[1]! : f;
}

function describeShape(s: DrawnShape): string {
  return s.kind === 'box' ? 'drawn rectangle' : s.kind === 'polygon' ? `drawn polygon (${s.points.length} vertices)` : 'drawn circle';
}

/**
 * Region filters beside the expression: the sources inside a DS9 region file, or inside the last rectangle
 * (shift-drag) or lasso (alt-drag) drawn on the image. The members are saved as the subset `region` and the
 * filter becomes `(expression) && subset('region')`, so the table, overlay, plots and export all follow.
 */
export function RegionFilter() {
  const activeId = useCatalogueStore((s) => s.activeId);
  const lastShape = useCatalogueStore((s) => s.lastShape);
  const region = useCatalogueStore((s) => s.region);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const apply = async (input: { regionPath: string } | { shapes: DrawnShape[] }, label: string): Promise<boolean> => {
    if (activeId === null) return false;
    setBusy(true);
    setError(null);
    try {
      const res = await call('catalogue.regionFilter', { catalogueId: activeId, ...input });
      const ids = Array.from(decodeIdsBase64(res.idsBase64));
      const defs = useDefinitionsStore.getState();
      if (defs.catalogueId !== activeId) await defs.load(activeId);
      if (!(await defs.saveSubset(REGION_SUBSET, undefined, ids))) throw new Error(useDefinitionsStore.getState().error ?? 'could not save the region subset');
      const st = useCatalogueStore.getState();
      st.setRegion({ label, count: res.count });
      st.setFilterProblem(null);
      st.setFilter(withRegion(st.filter));
      return true;
    } catch (err) {
      setError(err instanceof ClientError || err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const clear = async (): Promise<void> => {
    const st = useCatalogueStore.getState();
    st.setFilter(withoutRegion(st.filter));
    st.setRegion(null);
    await useDefinitionsStore.getState().removeSubset(REGION_SUBSET);
  };

  return (
    <span className="region-filter">
      <button disabled={activeId === null || busy} onClick={() => setPicking(true)} data-testid="region-file-button" title="Keep the sources inside a DS9 region file">
        Region file…
      </button>
      <button
        disabled={activeId === null || busy || !lastShape}
        onClick={() => lastShape && void apply({ shapes: [lastShape] }, describeShape(lastShape))}
        data-testid="region-shape-button"
        title="Keep the sources inside the last rectangle (shift-drag) or lasso (alt-drag) drawn on the image"
      >
        Filter to shape
      </button>
      {region && (
        <span className="region-chip" data-testid="region-chip">
          {region.label}: {region.count.toLocaleString('en-US')} sources
          <button className="icon" onClick={() => void clear()} data-testid="region-clear" title="Clear the region filter">
            ×
          </button>
        </span>
      )}
      {error && !picking && (
        <span className="form-error" data-testid="region-error">
          {error}
        </span>
      )}
      {picking && <RegionFileModal onClose={() => setPicking(false)} onApply={(path) => apply({ regionPath: path }, path.slice(path.lastIndexOf('/') + 1))} error={error} />}
    </span>
  );
}

function RegionFileModal({ onClose, onApply, error }: { onClose(): void; onApply(path: string): Promise<boolean>; error: string | null }) {
  const image = useImageStore((s) => s.image);
  const [path, setPath] = useState(() => (image ? image.path.slice(0, image.path.lastIndexOf('/') + 1) : ''));
  const submit = async (): Promise<void> => {
    if (path.trim() && (await onApply(path.trim()))) onClose();
  };
  return (
    <Modal title="Filter by a DS9 region file" onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>
        Sources inside any include region and outside every exclude (<code>-</code>) region. Sky regions use the WCS of the catalogue's image.
      </p>
      <PathPicker value={path} onChange={setPath} onEnter={() => void submit()} testId="region-path-input" kind="catalogue" />
      {error && <div className="form-error">{error}</div>}
      <div className="button-row">
        <button onClick={() => void submit()} disabled={!path.trim()} data-testid="region-file-apply">
          Apply
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
