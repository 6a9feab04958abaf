import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirEntry } from '../../../shared/contract/images';
import { call, toSerializedError } from '../../api/client';
import { Modal } from '../../ui/Modal';
import { describeError } from '../../ui/errorMessages';
import { useImageStore } from '../image/imageStore';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

interface Listing {
  dir: string;
  parent: string | null;
  entries: DirEntry[];
}

/** File > Open: browse the server's (or this computer's) folders over files.list; recent files below. */
export function FileBrowser({ onClose }: { onClose(): void }) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [pathText, setPathText] = useState('');
  // Bumped on every keystroke: a listing that arrives after the user typed must not overwrite the field.
  const edits = useRef(0);
  const [error, setError] = useState<string | null>(null);
  const recent = useImageStore((s) => s.recent);
  const openPath = useImageStore((s) => s.openPath);

  const list = useCallback(async (dir?: string) => {
    const editsAtCall = edits.current;
    try {
      const l = await call('files.list', dir === undefined ? {} : { dir });
      setListing(l);
      if (edits.current === editsAtCall) setPathText(l.dir);
      setError(null);
    } catch (err) {
      const e = describeError(toSerializedError(err));
      setError(`${e.title} ${e.detail}`);
    }
  }, []);

  useEffect(() => {
    void list();
    void useImageStore.getState().refreshRecent();
  }, [list]);

  const open = (path: string): void => {
    onClose();
    void openPath(path);
  };

  return (
    <Modal title="Open FITS image" onClose={onClose} wide>
      <form
        className="path-row"
        onSubmit={(e) => {
          e.preventDefault();
          const p = pathText.trim();
          if (/\.(fits?|fts|fit\.gz)$/i.test(p)) open(p);
          else void list(p);
        }}
      >
        <button type="button" disabled={!listing?.parent} onClick={() => listing?.parent && void list(listing.parent)} title="Parent folder">
          ↑
        </button>
        <input className="search" value={pathText} onChange={(e) => {
            edits.current++;
            setPathText(e.target.value);
          }} data-testid="path-input" aria-label="Folder or file path" />
        <button type="submit">Go</button>
      </form>
      {error && <div className="error-inline">{error}</div>}
      <ul className="file-list" data-testid="file-list">
        {listing?.entries.map((e) => (
          <li key={e.path}>
            <button className={e.kind} onDoubleClick={() => (e.kind === 'dir' ? void list(e.path) : open(e.path))} onClick={() => (e.kind === 'dir' ? void list(e.path) : open(e.path))}>
              <span className="file-icon">{e.kind === 'dir' ? '📁' : '▦'}</span>
              <span className="file-name">{e.name}</span>
              <span className="file-size">{e.kind === 'file' ? formatSize(e.sizeBytes) : ''}</span>
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 && <li className="muted">No FITS files or folders here.</li>}
      </ul>
      <div className="recent-header">
        <h2>Recent</h2>
        {recent.length > 0 && (
          <button className="link" onClick={() => void useImageStore.getState().clearRecent()}>
            Clear
          </button>
        )}
      </div>
      <ul className="file-list recent" data-testid="recent-list">
        {recent.map((r) => (
          <li key={r.path}>
            <button className="file" onClick={() => open(r.path)} title={r.path}>
              <span className="file-icon">▦</span>
              <span className="file-name">{r.fileName}</span>
              <span className="file-size">{new Date(r.openedAt).toLocaleString()}</span>
            </button>
          </li>
        ))}
        {recent.length === 0 && <li className="muted">None yet.</li>}
      </ul>
    </Modal>
  );
}
