import type { MenuItemConstructorOptions } from 'electron';
import type { RecentFile } from '../../shared/contract/images';

export interface MenuActions {
  /** File > Open…: show the native dialog (the entry emits 'app.openRequested' with the choice). */
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  /** File > Save Session… / Open Session… (the renderer shows its dialogs); items absent without them. */
  saveSession?(): void;
  openSession?(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development build: adds Reload and Developer Tools. */
  dev: boolean;
  recent: readonly RecentFile[];
  actions: MenuActions;
}

const MAX_RECENT_IN_MENU = 10;

/**
 * The application menu, kept minimal: File (Open…, Open Recent, Quit), Edit (the standard roles, so
 * copy/paste shortcuts work in text fields on macOS), View (full screen; reload/devtools in development),
 * Window. Viewer actions (zoom to fit `f`, 1:1 `1`, grid `g`, header `h`) are renderer shortcuts.
 * Pure: built from data so it is testable without Electron.
 */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { platform, dev, recent, actions } = options;
  const mac = platform === 'darwin';

  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent files', enabled: false }]
      : recent.slice(0, MAX_RECENT_IN_MENU).map((r) => ({
          // Escape '&' so Windows/Linux do not read it as a mnemonic marker.
          label: r.fileName.replace(/&/g, '&&'),
          sublabel: r.path,
          toolTip: r.path,
          click: () => actions.openRecent(r.path),
        }));
  recentItems.push({ type: 'separator' }, { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() });

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'CIRASA',
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Open &Recent', submenu: recentItems },
      // The renderer handles the keys itself (also in the browser), so the accelerators are only shown.
      ...(actions.saveSession && actions.openSession
        ? ([
            { type: 'separator' },
            { label: '&Save Session…', accelerator: 'CmdOrCtrl+S', registerAccelerator: false, click: () => actions.saveSession!() },
            { label: 'Open Sessio&n…', accelerator: 'CmdOrCtrl+Shift+S', registerAccelerator: false, click: () => actions.openSession!() },
          ] as MenuItemConstructorOptions[])
        : []),
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'quit', label: '&Quit', accelerator: 'CmdOrCtrl+Q' }] as MenuItemConstructorOptions[])),
    ],
  });
  template.push({ label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] });
  template.push({
    label: '&View',
    submenu: [
      { role: 'togglefullscreen' },
      ...(dev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}

/** File-dialog filters: FITS first, then anything (some surveys use odd extensions). */
export const OPEN_DIALOG_FILTERS = [
  { name: 'FITS images', extensions: ['fits', 'fit', 'fts', 'FITS', 'FIT', 'FTS'] },
  { name: 'All files', extensions: ['*'] },
];
