import { useState } from 'react';
import { Modal } from '../../ui/Modal';
import { PathPicker } from '../export/PathPicker';
import { useImageStore } from '../image/imageStore';
import { useCatalogueStore } from './catalogueStore';

/** File › Open catalogue…: a path (VOTable, CSV, FITS table, DS9 regions, finder outputs) imported against the open image. */
export function OpenCatalogueModal({ onClose }: { onClose(): void }) {
  const image = useImageStore((s) => s.image);
  const importing = useCatalogueStore((s) => s.importing);
  const error = useCatalogueStore((s) => s.error);
  const [path, setPath] = useState(() => (image ? image.path.slice(0, image.path.lastIndexOf('/') + 1) : ''));
  const [useImage, setUseImage] = useState(true);

  const submit = async (): Promise<void> => {
    if (!path.trim() || importing) return;
    const summary = await useCatalogueStore.getState().importPath(path.trim(), useImage && image ? image.path : undefined);
    if (summary) onClose();
  };

  return (
    <Modal title="Open catalogue" onClose={onClose} wide>
      <p className="muted" style={{ marginTop: 0 }}>
        VOTable, CSV, FITS binary table, DS9 region file, or a finder's output (CAESAR, SExtractor, Aegean, CIRASA JSON). The folder list shows
        folders and FITS files; type the catalogue's file name.
      </p>
      <PathPicker value={path} onChange={setPath} onEnter={() => void submit()} testId="catalogue-path-input" />
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
