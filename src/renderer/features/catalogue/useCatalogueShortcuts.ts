import { useEffect } from 'react';
import { useLabelStore } from '../labels/labelStore';
import { isTyping } from '../labels/useLabelKeys';
import { useCatalogueStore } from './catalogueStore';

/** Ctrl/Cmd+Shift+O open a catalogue, Ctrl/Cmd+E export, Shift+R review mode (capture phase: before the viewer's Ctrl+O). */
export function useCatalogueShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      const st = useCatalogueStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      let handled = true;
      if (mod && e.shiftKey && e.key.toLowerCase() === 'o') st.setDialog('openCatalogue');
      else if (mod && !e.shiftKey && e.key.toLowerCase() === 'e' && st.activeId !== null) st.setDialog('export');
      else if (!mod && e.shiftKey && e.key === 'R' && st.activeId !== null) useLabelStore.getState().setReviewOpen(!useLabelStore.getState().reviewOpen);
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
