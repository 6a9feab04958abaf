import { useMemo, useState } from 'react';
import { useImageStore } from '../image/imageStore';
import { Modal } from '../../ui/Modal';

/** The FITS header as 80-character cards, filtered by a search string. */
export function HeaderModal({ onClose }: { onClose(): void }) {
  const image = useImageStore((s) => s.image);
  const [query, setQuery] = useState('');
  const cards = useMemo(() => {
    const lines = image?.headerText ?? [];
    const q = query.trim().toLowerCase();
    return q ? lines.filter((l) => l.toLowerCase().includes(q)) : lines;
  }, [image, query]);
  return (
    <Modal title={image ? `Header — ${image.fileName} (HDU ${image.hdu})` : 'Header'} onClose={onClose} wide>
      <input
        className="search"
        autoFocus
        placeholder="Search keywords, values, comments…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="header-search"
      />
      <div className="muted small">
        {cards.length} of {image?.headerText.length ?? 0} cards
      </div>
      <pre className="header-text" data-testid="header-text">
        {cards.join('\n')}
      </pre>
    </Modal>
  );
}
