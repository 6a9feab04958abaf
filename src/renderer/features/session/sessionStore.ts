import { create } from 'zustand';
import type { SessionLoadResult, SessionState } from '../../../shared/contract/session';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { useImageStore } from '../image/imageStore';
import { useDisplayStore } from '../viewer/displayStore';
import type { FitsViewer } from '../viewer/fitsViewer';
import { useDefinitionsStore } from '../subsets/definitionsStore';
import { applyView, currentView, whenShowing } from './sessionView';

export type SessionDialog = 'none' | 'save' | 'open';

interface SessionStoreState {
  dialog: SessionDialog;
  /** Last session file saved or opened (the dialogs start from it). */
  path: string | null;
  busy: boolean;
  /** Outcome of the last save/open, shown in the dialog. */
  message: string | null;
  warnings: string[];
  error: string | null;
  setDialog(dialog: SessionDialog): void;
  save(path: string, viewer: FitsViewer | null): Promise<boolean>;
  open(path: string, viewer: () => FitsViewer | null): Promise<boolean>;
}

/** What the renderer contributes to a session file: image, view, display settings, catalogue styles, filter. */
export function collectState(viewer: FitsViewer | null): SessionState {
  const image = useImageStore.getState().image;
  const cat = useCatalogueStore.getState();
  const d = useDisplayStore.getState();
  const view = viewer ? currentView(viewer) : null;
  return {
    ...(image ? { image: { path: image.path, hdu: image.hdu, plane: image.plane } } : {}),
    ...(view ? { view } : {}),
    display: { settings: d.settings, grid: d.grid, gridFrame: d.gridFrame, beam: d.beam },
    catalogues: cat.catalogues.map((c) => ({ catalogueId: c.catalogueId, style: { ...(cat.styles[c.catalogueId] ?? {}) } })),
    activeCatalogueId: cat.activeId,
    filter: cat.filter,
  };
}

/** Put the renderer back as the session left it: image (then its view), display, catalogue styles, active catalogue and filter. */
async function restoreState(r: SessionLoadResult, viewer: () => FitsViewer | null): Promise<string[]> {
  const problems: string[] = [];
  const s = r.state;
  const display = s.display as { settings?: object; grid?: boolean; gridFrame?: string; beam?: boolean } | undefined;
  if (display) {
    const d = useDisplayStore.getState();
    if (display.settings) d.setSettings(display.settings as Parameters<typeof d.setSettings>[0]);
    if (typeof display.grid === 'boolean') d.setGrid(display.grid);
    if (display.gridFrame === 'fk5' || display.gridFrame === 'icrs' || display.gridFrame === 'galactic') d.setGridFrame(display.gridFrame);
    if (typeof display.beam === 'boolean') d.setBeam(display.beam);
  }
  const cat = useCatalogueStore.getState();
  await cat.refresh();
  for (const c of s.catalogues ?? []) if (c.style) cat.setStyle(c.catalogueId, c.style as Parameters<typeof cat.setStyle>[1]);
  if (s.activeCatalogueId !== undefined && s.activeCatalogueId !== null) {
    cat.setActive(s.activeCatalogueId);
    await useDefinitionsStore.getState().load(s.activeCatalogueId);
    if (s.filter !== undefined) cat.setFilter(s.filter);
  }
  if (s.image) {
    const images = useImageStore.getState();
    const same = images.image && images.image.path === s.image.path && images.image.hdu === (s.image.hdu ?? images.image.hdu)
      && JSON.stringify(images.image.plane) === JSON.stringify(s.image.plane ?? images.image.plane);
    if (!same && !(await images.openPath(s.image.path, { ...(s.image.hdu !== undefined ? { hdu: s.image.hdu } : {}), ...(s.image.plane ? { plane: s.image.plane } : {}) }))) {
      problems.push(`could not open ${s.image.path}`);
      return problems;
    }
  }
  const info = useImageStore.getState().image;
  if (s.view && info) {
    if (!(await whenShowing(viewer, info.imageId))) problems.push('the image did not show in time; the view was not restored');
    else {
      // The viewer fits a newly opened image once its first frame is laid out: apply after that, and again if it moved.
      await new Promise((res) => setTimeout(res, 150));
      applyView(viewer()!, s.view);
    }
  }
  return problems;
}

/** Run a save or open with the busy flag up; its failure becomes the dialog's error. Resolves whether it worked. */
async function busyWhile(set: (p: Partial<SessionStoreState>) => void, action: () => Promise<void>): Promise<boolean> {
  set({ busy: true, message: null, warnings: [], error: null });
  try {
    await action();
    return true;
  } catch (err) {
    const d = describeError(toSerializedError(err));
    set({ error: `${d.title}\n${d.detail}` });
    return false;
  } finally {
    set({ busy: false });
  }
}

export const useSessionStore = create<SessionStoreState>()((set) => ({
  dialog: 'none',
  path: null,
  busy: false,
  message: null,
  warnings: [],
  error: null,
  setDialog: (dialog) => set({ dialog, message: null, warnings: [], error: null }),
  save: (path, viewer) =>
    busyWhile(set, async () => {
      const r = await call('session.save', { path, state: collectState(viewer) });
      set({ path: r.path, message: `Saved ${r.catalogues} catalogue(s) and ${r.labels} labelled source(s) to ${r.path}` });
    }),
  open: (path, viewer) =>
    busyWhile(set, async () => {
      const r = await call('session.load', { path });
      const problems = await restoreState(r, viewer);
      set({
        path: r.path,
        message: `Opened ${r.path}: ${Object.keys(r.catalogueIds).length} catalogue(s) (${r.imported} imported), ${r.labelsApplied} label(s) applied`,
        warnings: [...r.warnings, ...problems],
      });
    }),
}));
