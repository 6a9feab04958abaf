import { useEffect, type MutableRefObject } from 'react';
import type { FitsViewer } from '../features/viewer/fitsViewer';
import { useDisplayStore } from '../features/viewer/displayStore';
import { useUiStore } from './uiStore';

/** f = fit, 1 = 1:1, +/- = zoom, arrows = pan, g = grid, h = header, Ctrl/Cmd+O = open. Ignored while typing in a field. */
export function useShortcuts(viewerRef: MutableRefObject<FitsViewer | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      const ui = useUiStore.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        ui.setModal('files');
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const v = viewerRef.current;
      switch (e.key) {
        case 'f':
          v?.zoomToFit();
          break;
        case '1':
          v?.zoomOneToOne();
          break;
        case '+':
        case '=':
          v?.zoomBy(1.5);
          break;
        case '-':
          v?.zoomBy(1 / 1.5);
          break;
        case 'ArrowLeft':
          v?.panBy(-0.2, 0);
          break;
        case 'ArrowRight':
          v?.panBy(0.2, 0);
          break;
        case 'ArrowUp':
          v?.panBy(0, -0.2);
          break;
        case 'ArrowDown':
          v?.panBy(0, 0.2);
          break;
        case 'g': {
          const d = useDisplayStore.getState();
          d.setGrid(!d.grid);
          break;
        }
        case 'h':
          ui.toggleModal('header');
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewerRef]);
}
