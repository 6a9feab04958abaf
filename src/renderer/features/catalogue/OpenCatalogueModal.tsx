import { useState } from 'react';
import { Modal } from '../../ui/Modal';
import { PathPicker } from '../export/PathPicker';
import { useImageStore } from '../image/imageStore';
import { useCatalogueStore } from './catalogueStore';

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

  const submit = async (): Promise<void> => {
    if (!path.trim() || importing) return;
    const summary = await useCatalogueStore.getState().importPath(path.trim(), useImage && image ? image.path : undefined, format || undefined);
    if (summary) onClose();
  };

  return (
    <Modal title="Open catalogue" onClose={onClose} wide>
      <p className="muted" style={{ marginTop: 0 }}>
        VOTable, CSV, FITS binary table, DS9 region file, or a finder's output (CAESAR, SExtractor, Aegean, CIRASA JSON). The folder list shows
        folders and FITS files; type the catalogue's file name.
      </p>
      <PathPicker value={path} onChange={setPath} onEnter={() => void submit()} testId="catalogue-path-input" />
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
      {error && (
        <div className="form-error" data-testid="catalogue-open-error">
          {error}
        </div>
      )}
      <div className="button-row">
        <button onClick={() => void submit()} disabled={!path.trim() || Boolean(importing)} data-testid="catalogue-open-submit">
          {importing ? 'Importing…' : 'Open'}
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
