import { useEffect, useRef, useState } from 'react';
import { call } from './api/client';
import { CatalogueOverlay } from './features/catalogue/CatalogueOverlay';
import { CataloguePanel } from './features/catalogue/CataloguePanel';
import { subscribeCatalogueEvents, useCatalogueStore } from './features/catalogue/catalogueStore';
import { OpenCatalogueModal } from './features/catalogue/OpenCatalogueModal';
import { ReviewDock } from './features/catalogue/ReviewDock';
import { useCatalogueShortcuts } from './features/catalogue/useCatalogueShortcuts';
import { ExportDialog } from './features/export/ExportDialog';
import { JobLogsModal, JobsPanel } from './features/jobs/JobsPanel';
import { subscribeJobEvents, useJobsStore } from './features/jobs/jobsStore';
import { SubmitWizard } from './features/jobs/SubmitWizard';
import { LabelPanel } from './features/labels/LabelPanel';
import { useLabelStore } from './features/labels/labelStore';
import { ReviewPanel } from './features/labels/ReviewPanel';
import { useLabelKeys } from './features/labels/useLabelKeys';
import { Colourbar } from './features/display/Colourbar';
import { DisplayPanel } from './features/display/DisplayPanel';
import { Histogram } from './features/display/Histogram';
import { FileBrowser } from './features/files/FileBrowser';
import { HeaderModal } from './features/header/HeaderModal';
import { subscribeImageEvents, useImageStore } from './features/image/imageStore';
import { PlanePanel } from './features/image/PlanePanel';
import { SessionMount } from './features/session/SessionMount';
import { SubsetsPanel } from './features/subsets/SubsetsPanel';
import { CursorReadout } from './features/viewer/CursorReadout';
import type { FitsViewer } from './features/viewer/fitsViewer';
import { Viewer } from './features/viewer/Viewer';
import { ErrorBanner } from './ui/ErrorBanner';
import { StatusBar } from './ui/StatusBar';
import { Toolbar } from './ui/Toolbar';
import { useShortcuts } from './ui/useShortcuts';
import { useUiStore } from './ui/uiStore';

export function App() {
  const viewerRef = useRef<FitsViewer | null>(null);
  const modal = useUiStore((s) => s.modal);
  const setModal = useUiStore((s) => s.setModal);
  const [dragging, setDragging] = useState(false);
  useShortcuts(viewerRef);
  useLabelKeys();
  useCatalogueShortcuts();
  const reviewDialog = useCatalogueStore((s) => s.dialog);
  const reviewOpen = useLabelStore((s) => s.reviewOpen);

  useEffect(subscribeCatalogueEvents, []);
  useEffect(subscribeJobEvents, []);
  const jobWizardOpen = useJobsStore((s) => s.wizardOpen);

  useEffect(() => {
    const off = subscribeImageEvents();
    // First start: show the bundled sample image, unless something is already open.
    void call('app.info', {})
      .then((info) => {
        const store = useImageStore.getState();
        if (info.sampleImagePath && !store.image && !store.opening) void store.openPath(info.sampleImagePath);
      })
      .catch((err: unknown) => console.warn('app.info:', err));
    void useImageStore.getState().refreshRecent();
    return off;
  }, []);

  const onDrop = (e: React.DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void useImageStore.getState().openDroppedFile(file);
  };

  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <Toolbar viewerRef={viewerRef} />
      <ErrorBanner />
      <main className="workspace">
        <div className="viewer-column" style={{ position: 'relative' }}>
          <Viewer viewerRef={viewerRef} />
          <CatalogueOverlay viewerRef={viewerRef} />
          {reviewOpen && <ReviewPanel viewerRef={viewerRef} />}
          <ReviewDock viewerRef={viewerRef} />
        </div>
        <aside className="sidebar">
          <section className="panel">
            <h2>Cursor</h2>
            <CursorReadout />
          </section>
          <CataloguePanel />
          <SubsetsPanel />
          <LabelPanel />
          <JobsPanel />
          <PlanePanel />
          <DisplayPanel />
          <Colourbar />
          <Histogram />
        </aside>
      </main>
      <StatusBar />
      {modal === 'header' && <HeaderModal onClose={() => setModal('none')} />}
      {modal === 'files' && <FileBrowser onClose={() => setModal('none')} />}
      {reviewDialog === 'openCatalogue' && <OpenCatalogueModal onClose={() => useCatalogueStore.getState().setDialog('none')} />}
      {reviewDialog === 'export' && <ExportDialog onClose={() => useCatalogueStore.getState().setDialog('none')} />}
      {jobWizardOpen && <SubmitWizard onClose={() => useJobsStore.getState().setWizardOpen(false)} />}
      <JobLogsModal />
      <SessionMount viewerRef={viewerRef} />
      {dragging && <div className="drop-hint">Drop a FITS file to open it</div>}
    </div>
  );
}
