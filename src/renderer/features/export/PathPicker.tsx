import { useEffect, useState } from 'react';
import type { DirEntry } from '../../../shared/contract/images';
import { call } from '../../api/client';

/**
 * A typed path plus a folder browser over files.list (folders and the files it lists). Picking a folder
 * keeps the typed file name; picking a file takes its path.
 */
export function PathPicker({
  value, onChange, onEnter, testId, kind,
}: {
  value: string;
  onChange(path: string): void;
  onEnter?(): void;
  testId: string;
  /** Which files the folder list shows (files.list kind; default images). */
  kind?: 'image' | 'catalogue';
}) {
  const [dir, setDir] = useState<string | null>(null);
  const [listing, setListing] = useState<{ dir: string; parent: string | null; entries: DirEntry[] } | null>(null);

  useEffect(() => {
    const slash = value.lastIndexOf('/');
    const start = dir ?? (slash > 0 ? value.slice(0, slash) : undefined);
    const k = kind ? { kind } : {};
    void call('files.list', start ? { dir: start, ...k } : k).then(setListing, () => (start ? call('files.list', k).then(setListing, () => setListing(null)) : setListing(null)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dir]);

  const baseName = value.slice(value.lastIndexOf('/') + 1);
  return (
    <div>
      <input
        className="search"
        style={{ width: '100%', boxSizing: 'border-box' }}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onEnter?.()}
        data-testid={testId}
      />
      {listing && (
        <div className="path-list">
          <div className="muted" title={listing.dir}>
            {listing.dir}
          </div>
          {listing.parent && <div onClick={() => setDir(listing.parent)}>📁 ..</div>}
          {listing.entries.map((e) => (
            <div
              key={e.path}
              onClick={() => {
                if (e.kind === 'dir') {
                  setDir(e.path);
                  onChange(`${e.path}/${baseName}`);
                } else onChange(e.path);
              }}
            >
              {e.kind === 'dir' ? '📁 ' : '📄 '}
              {e.name}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
