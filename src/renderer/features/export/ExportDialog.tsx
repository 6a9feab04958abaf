import { useState } from 'react';
import type { ExportFormat, ExportFrame, ExportResult } from '../../../shared/contract/catalogues';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';
import { Modal } from '../../ui/Modal';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { PathPicker } from './PathPicker';
import { withExtension } from './paths';

const EXTENSIONS: Record<ExportFormat, string> = { ds9: '.reg', votable: '.vot', csv: '.csv', json: '.json' };
type Scope = 'all' | 'filtered' | 'selection';

/** Export the active catalogue (all, the filtered rows or the selection) with its labels: DS9, VOTable, CSV, JSON. */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const catalogue = useCatalogueStore((s) => s.catalogues.find((c) => c.catalogueId === s.activeId) ?? null);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const selection = useCatalogueStore((s) => s.selection);
  const [format, setFormat] = useState<ExportFormat>('ds9');
  const [frame, setFrame] = useState<ExportFrame>('fk5');
  const [scope, setScope] = useState<Scope>(selection.length > 0 ? 'selection' : filter.trim() && !filterProblem ? 'filtered' : 'all');
  const [path, setPath] = useState(() => {
    const dir = catalogue?.imagePath ? catalogue.imagePath.slice(0, catalogue.imagePath.lastIndexOf('/') + 1) : '';
    return `${dir}${(catalogue?.name ?? 'catalogue').replace(/[^\w.-]+/g, '_')}${EXTENSIONS.ds9}`;
  });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const changeFormat = (f: ExportFormat): void => {
    setFormat(f);
    setPath((p) => withExtension(p, EXTENSIONS[f]));
  };

  const submit = async (): Promise<void> => {
    if (!catalogue || !path.trim()) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await call('catalogue.export', {
        catalogueId: catalogue.catalogueId,
        format,
        path: path.trim(),
        ...(format === 'csv' || format === 'json' ? {} : { frame }),
        ...(scope === 'selection' ? { sourceIds: selection } : {}),
        ...(scope === 'filtered' && filter.trim() ? { filter } : {}),
      });
      setResult(r);
    } catch (err) {
      const d = describeError(toSerializedError(err));
      setError(`${d.title}\n${d.detail}`);
    } finally {
      setBusy(false);
    }
  };

  if (!catalogue) {
    return (
      <Modal title="Export catalogue" onClose={onClose}>
        <p>Open a catalogue first.</p>
      </Modal>
    );
  }
  return (
    <Modal title={`Export ${catalogue.name}`} onClose={onClose} wide>
      <div className="export-form">
        <div className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => changeFormat(e.target.value as ExportFormat)} data-testid="export-format">
            <option value="ds9">DS9 regions (.reg)</option>
            <option value="votable">VOTable 1.4 (.vot)</option>
            <option value="csv">CSV (.csv)</option>
            <option value="json">CIRASA JSON (.json)</option>
          </select>
        </div>
        <div className="field">
          <span>Frame</span>
          <select value={frame} onChange={(e) => setFrame(e.target.value as ExportFrame)} disabled={format === 'csv' || format === 'json'} data-testid="export-frame">
            <option value="fk5">FK5 (J2000)</option>
            <option value="icrs">ICRS</option>
            <option value="galactic">Galactic</option>
            <option value="image">Image pixels</option>
          </select>
        </div>
        <div className="field">
          <span>Sources</span>
          <span>
            <label>
              <input type="radio" checked={scope === 'all'} onChange={() => setScope('all')} data-testid="export-scope-all" /> all ({catalogue.sourceCount})
            </label>{' '}
            <label>
              <input type="radio" checked={scope === 'filtered'} disabled={!filter.trim() || Boolean(filterProblem)} onChange={() => setScope('filtered')} data-testid="export-scope-filtered" />{' '}
              filtered
            </label>{' '}
            <label>
              <input type="radio" checked={scope === 'selection'} disabled={selection.length === 0} onChange={() => setScope('selection')} data-testid="export-scope-selection" />{' '}
              selection ({selection.length})
            </label>
          </span>
        </div>
        <PathPicker value={path} onChange={setPath} onEnter={() => void submit()} testId="export-path-input" />
        {error && <div className="form-error">{error}</div>}
        {result && (
          <p data-testid="export-result">
            Wrote {result.rows} rows to <code>{result.path}</code>
          </p>
        )}
        <div className="button-row">
          <button onClick={() => void submit()} disabled={busy || !path.trim()} data-testid="export-submit">
            {busy ? 'Exporting…' : 'Export'}
          </button>
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </Modal>
  );
}
