import type { MutableRefObject } from 'react';
import type { FitsViewer } from '../viewer/fitsViewer';
import { useCatalogueStore } from './catalogueStore';
import { FilterBar } from './FilterBar';
import { SourceTable } from './SourceTable';

/** Below the image: the filter bar and the linked source table (absent until a catalogue is open, so the image keeps the room). */
export function ReviewDock({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const any = useCatalogueStore((s) => s.catalogues.length > 0);
  if (!any) return null;
  return (
    <div className="review-dock" data-testid="review-dock">
      <FilterBar />
      <SourceTable viewerRef={viewerRef} />
    </div>
  );
}
