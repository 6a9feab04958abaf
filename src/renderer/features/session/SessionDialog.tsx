import { useState, type MutableRefObject } from 'react';
import { Modal } from '../../ui/Modal';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { PathPicker } from '../export/PathPicker';
import { withExtension } from '../export/paths';
import { useImageStore } from '../image/imageStore';
import type { FitsViewer } from '../viewer/fitsViewer';
import { useSessionStore } from './sessionStore';

export const SESSION_EXTENSION = '.cirasa.json';

function defaultPath(): string {
  const last = useSessionStore.getState().path;
  if (last) return last;
  const image = useImageStore.getState().image?.path ?? useCatalogueStore.getState().catalogues[0]?.imagePath ?? null;
  if (!image) return `session${SESSION_EXTENSION}`;
  return withExtension(image.replace(/\.(fits?|fts)(\.gz)?$/i, ''), SESSION_EXTENSION);
}

/** Save the review session (Ctrl+S) or open one: a session file path chosen with the PathPicker. */
export function SessionDialog({ mode, viewerRef, onClose }: { mode: 'save' | 'open'; viewerRef: MutableRefObject<FitsViewer | null>; onClose(): void }) {
  const { busy, message, warnings, error } = useSessionStore();
  const [path, setPath] = useState(defaultPath);
  const submit = async (): Promise<void> => {
    const p = path.trim();
    if (!p || busy) return;
    const s = useSessionStore.getState();
    const ok = mode === 'save' ? await s.save(p, viewerRef.current) : await s.open(p, () => viewerRef.current);
    if (ok && mode === 'open' && useSessionStore.getState().warnings.length === 0) onClose();
  };
  return (
    <Modal title={mode === 'save' ? 'Save session' : 'Open session'} onClose={onClose} wide>
      <div className="export-form">
        <p className="muted">
          {mode === 'save'
            ? 'A session file keeps the image, the catalogues (by file), every label and note, subsets, computed columns, the view, colours and styles.'
            : 'Reopens the image and catalogues (importing those not in this project), re-applies labels (undoable) and restores the view.'}
        </p>
        <PathPicker value={path} onChange={setPath} onEnter={() => void submit()} testId="session-path-input" />
        {error && <div className="form-error" data-testid="session-error">{error}</div>}
        {message && <p data-testid="session-result">{message}</p>}
        {warnings.length > 0 && (
          <ul className="form-error" data-testid="session-warnings">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        <div className="button-row">
          <button onClick={() => void submit()} disabled={busy || !path.trim()} data-testid="session-submit">
            {busy ? (mode === 'save' ? 'Saving…' : 'Opening…') : mode === 'save' ? 'Save' : 'Open'}
          </button>
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </Modal>
  );
}
