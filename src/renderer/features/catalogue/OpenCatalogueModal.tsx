import { useState } from 'react';
import type { CsvMapping, CsvPreview } from '../../../shared/contract/catalogues';
import { call } from '../../api/client';
import { Modal } from '../../ui/Modal';
import { PathPicker } from '../export/PathPicker';
import { useImageStore } from '../image/imageStore';
import { useCatalogueStore } from './catalogueStore';
import { completeMapping, CsvMappingForm } from './CsvMappingForm';

/** Delimited text tables that get the column-mapping step when their columns are not recognised. */
const TEXT_TABLE = /\.(csv|tsv|txt|dat|ascii|tab)$/i;

/** Reader names of src/main/catalogue's registry ('' = detect from the content). */
const FORMATS: [string, string][] = [
  ['', 'Detect from the file'],
  ['votable', 'VOTable'],
  ['csv', 'CSV'],
  ['json', 'CIRASA JSON'],
  ['caesar-json', 'CAESAR JSON (sources)'],
  ['caesar-components-json', 'CAESAR JSON (components)'],
  ['caesar-ascii', 'CAESAR ASCII (sources)'],
  ['caesar-components-ascii', 'CAESAR ASCII (components)'],
  ['sextractor-ascii', 'SExtractor ASCII'],
  ['sextractor-ldac', 'SExtractor FITS-LDAC'],
  ['ds9', 'DS9 regions'],
];

/** File › Open catalogue…: a path (VOTable, CSV, FITS table, DS9 regions, finder outputs) imported against the open image. */
export function OpenCatalogueModal({ onClose }: { onClose(): void }) {
  const image = useImageStore((s) => s.image);
  const importing = useCatalogueStore((s) => s.importing);
  const error = useCatalogueStore((s) => s.error);
  const [path, setPath] = useState(() => (image ? image.path.slice(0, image.path.lastIndexOf('/') + 1) : ''));
  const [useImage, setUseImage] = useState(true);
  const [format, setFormat] = useState('');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<Partial<CsvMapping>>({});
  const ready = preview ? completeMapping(mapping) : null;

  const changePath = (p: string): void => {
    setPath(p);
    setPreview(null);
  };

  const submit = async (): Promise<void> => {
    const file = path.trim();
    if (!file || importing || (preview && !ready)) return;
    const st = useCatalogueStore.getState();
    const summary = await st.importPath(file, useImage && image ? image.path : undefined, preview ? 'csv' : format || undefined, ready ?? undefined);
    if (summary) return onClose();
    // Columns not recognised: show them and let the user say which is which (guesses pre-filled).
    if (preview || !TEXT_TABLE.test(file) || (format !== '' && format !== 'csv')) return;
    await showMapping(file, false);
  };

  /** The mapping step for `file` (`always`: even for our own CSV, on the user's request). */
  const showMapping = async (file: string, always: boolean): Promise<void> => {
    const st = useCatalogueStore.getState();
    try {
      const p = await call('catalogue.csvPreview', { path: file });
      if (p.native && !always) return;
      setPreview(p);
      setMapping(p.guess);
      st.setError(null);
    } catch (err) {
      // Not a readable table: an import's error stays on screen; asked for explicitly, say why.
      if (always) st.setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Modal title="Open catalogue" onClose={onClose} wide>
      <p className="muted" style={{ marginTop: 0 }}>
        VOTable, CSV, FITS binary table, DS9 region file, or a finder's output (CAESAR, SExtractor, Aegean, CIRASA JSON). The folder list shows
        folders and catalogue files. A table whose columns are not recognised opens the column mapping.
      </p>
      <PathPicker value={path} onChange={changePath} onEnter={() => void submit()} testId="catalogue-path-input" kind="catalogue" />
      <div className="field" style={{ justifyContent: 'flex-start' }}>
        <span>Format</span>
        <select value={format} onChange={(e) => setFormat(e.target.value)} data-testid="catalogue-format">
          {FORMATS.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <label style={{ display: 'block', margin: '6px 0' }}>
        <input type="checkbox" checked={useImage} disabled={!image} onChange={(e) => setUseImage(e.target.checked)} /> Use the WCS of the open image
        {image ? ` (${image.fileName})` : ''} to fill pixel or sky positions
      </label>
      {preview && (
        <>
          <p className="muted" data-testid="csv-mapping-hint">
            The columns of this table were not recognised: say which column holds the position, flux, size... (guesses pre-filled).
          </p>
          <CsvMappingForm preview={preview} mapping={mapping} onChange={setMapping} />
        </>
      )}
      {error && (
        <div className="form-error" data-testid="catalogue-open-error">
          {error}
        </div>
      )}
      <div className="button-row">
        <button onClick={() => void submit()} disabled={!path.trim() || Boolean(importing) || (preview !== null && !ready)} data-testid="catalogue-open-submit">
          {importing ? 'Importing…' : preview ? 'Import with this mapping' : 'Open'}
        </button>
        {!preview && TEXT_TABLE.test(path.trim()) && (
          <button onClick={() => void showMapping(path.trim(), true)} disabled={Boolean(importing)} data-testid="catalogue-map-columns" title="Choose which columns hold the position, flux, size…">
            Map columns…
          </button>
        )}
        <button onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
