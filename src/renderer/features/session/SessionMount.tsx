import { useEffect, type MutableRefObject } from 'react';
import { on } from '../../api/client';
import type { FitsViewer } from '../viewer/fitsViewer';
import { SessionDialog } from './SessionDialog';
import { useSessionStore } from './sessionStore';
import { useSessionShortcuts } from './useSessionShortcuts';

/** Toolbar buttons of session files. */
export function SessionButtons() {
  const setDialog = useSessionStore((s) => s.setDialog);
  return (
    <>
      <button onClick={() => setDialog('save')} title="Save the review session: image, catalogues, labels, view (Ctrl+S)" data-testid="session-save-button">
        Save session…
      </button>
      <button onClick={() => setDialog('open')} title="Open a saved review session (Ctrl+Shift+S)" data-testid="session-open-button">
        Open session…
      </button>
    </>
  );
}

/** The session dialog when one is open, and the Ctrl+S shortcuts. */
export function SessionMount({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  useSessionShortcuts();
  // Desktop File menu.
  useEffect(() => on('app.menuCommand', ({ command }) => useSessionStore.getState().setDialog(command === 'session.save' ? 'save' : 'open')), []);
  const dialog = useSessionStore((s) => s.dialog);
  const setDialog = useSessionStore((s) => s.setDialog);
  return dialog === 'none' ? null : <SessionDialog mode={dialog} viewerRef={viewerRef} onClose={() => setDialog('none')} />;
}
