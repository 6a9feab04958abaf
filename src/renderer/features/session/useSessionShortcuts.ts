import { useEffect } from 'react';
import { useSessionStore } from './sessionStore';

/** Ctrl/Cmd+S = Save session…, Ctrl/Cmd+Shift+S = Open session… (also while typing: the browser's own save is never wanted). */
export function useSessionShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 's') return;
      e.preventDefault();
      useSessionStore.getState().setDialog(e.shiftKey ? 'open' : 'save');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
