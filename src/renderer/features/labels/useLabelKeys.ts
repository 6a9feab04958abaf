import { useEffect } from 'react';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { redoLabel, setLabel, undoLabel } from './labelActions';
import { classForDigit, useLabelStore } from './labelStore';

const SOURCENESS_KEYS: Record<string, string> = { r: 'REAL', f: 'FAKE', c: 'CANDIDATE' };

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable));
}

/**
 * Labelling keys on the current selection (bulk when several are selected): r REAL, f FAKE, c CANDIDATE,
 * 1..9 class (0 UNKNOWN), m morphology menu (then 1..6), n note, Esc clears; Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z
 * (or Ctrl+Y) redo. Listens in the capture phase so, while sources are selected, these keys win over the
 * viewer's (f = fit, 1 = 1:1); with nothing selected the viewer keys work as before. Review mode has its own keys.
 */
export function useLabelKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target) || e.altKey) return;
      const labels = useLabelStore.getState();
      if (labels.reviewOpen) return;
      const cat = useCatalogueStore.getState();
      const consume = (): void => {
        e.preventDefault();
        e.stopImmediatePropagation();
      };
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === 'z' || e.key === 'Z')) {
        if (cat.activeId === null) return;
        consume();
        void (e.shiftKey ? redoLabel() : undoLabel());
        return;
      }
      if (mod && e.key === 'y') {
        if (cat.activeId === null) return;
        consume();
        void redoLabel();
        return;
      }
      if (mod || cat.selection.length === 0) return;
      const ids = cat.selection;
      const key = e.key.toLowerCase();
      if (labels.menu === 'morphology' && /^[0-9]$/.test(key)) {
        consume();
        const term = labels.vocabularies.morphology[Number(key) === 0 ? 0 : Number(key) - 1];
        labels.setMenu('none');
        if (term) void setLabel(ids, 'morphology', term);
        return;
      }
      if (SOURCENESS_KEYS[key]) {
        consume();
        void setLabel(ids, 'sourceness', SOURCENESS_KEYS[key]!);
      } else if (/^[0-9]$/.test(key)) {
        consume();
        const term = key === '0' ? 'UNKNOWN' : classForDigit(labels.vocabularies.class, Number(key));
        if (term) void setLabel(ids, 'class', term);
      } else if (key === 'm') {
        consume();
        labels.setMenu(labels.menu === 'morphology' ? 'none' : 'morphology');
      } else if (key === 'n') {
        consume();
        labels.setMenu('note');
      } else if (e.key === 'Escape') {
        if (labels.menu !== 'none') labels.setMenu('none');
        else cat.select([], null);
        consume();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
