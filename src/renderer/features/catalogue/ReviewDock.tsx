import { useState, type MutableRefObject } from 'react';
import { PlotsPanel } from '../plots/PlotsPanel';
import type { FitsViewer } from '../viewer/fitsViewer';
import { useCatalogueStore } from './catalogueStore';
import { FilterBar } from './FilterBar';
import { SourceTable } from './SourceTable';

/** Below the image: the filter bar and the linked source table (absent until a catalogue is open, so the image keeps the room). */
export function ReviewDock({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const any = useCatalogueStore((s) => s.catalogues.length > 0);
  const [tab, setTab] = useState<'table' | 'plots'>('table');
  if (!any) return null;
  return (
    <div className="review-dock" data-testid="review-dock">
      <div style={{ display: 'flex', alignItems: 'flex-start' }}>
        <div style={{ flex: 1 }}>
          <FilterBar />
        </div>
        <div className="dock-tabs" style={{ padding: '4px 8px' }}>
          <button className={tab === 'table' ? 'active' : ''} onClick={() => setTab('table')} data-testid="tab-table">
            Table
          </button>
          <button className={tab === 'plots' ? 'active' : ''} onClick={() => setTab('plots')} data-testid="tab-plots">
            Plots
          </button>
        </div>
      </div>
      {tab === 'table' ? <SourceTable viewerRef={viewerRef} /> : <PlotsPanel />}
    </div>
  );
}
