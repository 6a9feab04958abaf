// Electron entry (bundled to dist/main/index.js, ESM). Thin: it builds the services through the
// composition root, binds them to IPC and the tile protocol, and owns the window, menu and app lifecycle.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices, type Services } from './app/createServices';
import { packageRoot } from './app/paths';
import { bindIpc, forwardEvents, RendererRegistry, type IpcBinding } from './transport/ipc';
import { registerTileScheme, serveTileProtocol } from './transport/tileProtocol';
import type { Handlers } from './transport/bindContract';
import { fileArgument, readHandOver, type InstanceHandOver } from './window/launchArgs';
import { createMainWindow, hardenSession, hardenWebContents } from './window/mainWindow';
import { buildMenuTemplate, OPEN_DIALOG_FILTERS } from './window/menu';

const root = packageRoot();
const rendererFile = join(root, 'dist', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererFile).href;
const preloadFile = join(root, 'dist', 'preload', 'index.cjs');
const dev = !app.isPackaged;

// Before `ready`: sandbox every renderer, and give the tile scheme fetch/CORS privileges.
app.enableSandbox();
registerTileScheme(protocol);

const startupFile = fileArgument(process.argv, { packaged: app.isPackaged, cwd: process.cwd() });
const handOver: InstanceHandOver = { path: startupFile };

if (!app.requestSingleInstanceLock(handOver as unknown as Record<string, unknown>)) {
  // Another CIRASA is running: it receives our file through 'second-instance' and we leave.
  app.quit();
} else {
  main();
}

function main(): void {
  let services: Services | null = null;
  let window: BrowserWindow | null = null;
  let binding: IpcBinding | null = null;
  let stopEvents: (() => void) | null = null;
  let stopTiles: (() => void) | null = null;
  const registry = new RendererRegistry();
  // Files to open that arrived before the window could take them (command line, macOS open-file).
  const pendingOpens: string[] = startupFile ? [startupFile] : [];

  const requestOpen = (path: string): void => {
    if (!services || !window || window.webContents.isLoading()) {
      pendingOpens.push(path);
      if (services && !window) openWindow(); // macOS: a file opened with no window left
      return;
    }
    services.events.emit('app.openRequested', { path });
  };
  const flushOpens = (): void => {
    for (const path of pendingOpens.splice(0)) services?.events.emit('app.openRequested', { path });
  };

  const refreshMenu = async (): Promise<void> => {
    const recent = services ? await services.recent.list().catch(() => []) : [];
    const template = buildMenuTemplate({
      platform: process.platform,
      dev,
      recent,
      actions: {
        open: () => void showOpenDialog(),
        openRecent: (path) => requestOpen(path),
        clearRecent: () => void services?.recent.clear().then(refreshMenu),
        saveSession: () => services?.events.emit('app.menuCommand', { command: 'session.save' }),
        openSession: () => services?.events.emit('app.menuCommand', { command: 'session.open' }),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const showOpenDialog = async (): Promise<void> => {
    const options = { title: 'Open a FITS image', properties: ['openFile' as const], filters: OPEN_DIALOG_FILTERS };
    const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const path = choice.canceled ? undefined : choice.filePaths[0];
    if (path) requestOpen(path);
  };

  const openWindow = (): void => {
    const win = createMainWindow({ rendererFile, rendererUrl, preloadFile, dev });
    const contents = win.webContents;
    const id = contents.id;
    registry.add(contents);
    contents.on('did-finish-load', flushOpens);
    win.on('closed', () => {
      registry.remove(id);
      if (window === win) window = null;
    });
    window = win;
  };

  const focusWindow = (): void => {
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  };

  // The menu reflects opens made from the renderer too: wrap the two handlers that change the list.
  const withMenuRefresh = (handlers: Handlers): Handlers => ({
    ...handlers,
    'fits.open': async (input, ctx) => {
      const info = await handlers['fits.open'](input, ctx);
      app.addRecentDocument(info.path);
      void refreshMenu();
      return info;
    },
    'recent.clear': async (input, ctx) => {
      await handlers['recent.clear'](input, ctx);
      app.clearRecentDocuments();
      void refreshMenu();
    },
  });

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const path = readHandOver(additionalData) ?? fileArgument(argv, { packaged: app.isPackaged, cwd: workingDirectory });
    focusWindow();
    if (path) requestOpen(path);
  });
  // macOS: a file double-clicked in Finder or dropped on the Dock icon (may arrive before `ready`).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requestOpen(path);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && services && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault(); // finish disposing (worker threads, open files), then quit for real
    disposed = true;
    stopEvents?.();
    stopTiles?.();
    binding?.dispose();
    void (services?.dispose() ?? Promise.resolve())
      .catch((err: unknown) => console.error('cirasa: error while closing:', err))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, rendererUrl);
      // backend-profile secrets are encrypted with the OS keychain when Electron has one (else 0600 files, said in the UI)
      services = await createServices({ mode: 'desktop', ...(safeStorage.isEncryptionAvailable() ? { secretEncryptor: safeStorage } : {}) });
      binding = bindIpc({ ipcMain, handlers: withMenuRefresh(services.handlers), registry, rendererUrl });
      stopEvents = forwardEvents(services.events, registry);
      stopTiles = serveTileProtocol(protocol, services.images, services.catalogues ?? undefined);
      await refreshMenu();
      openWindow();
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('CIRASA could not start', `${message}\n\nBrowser mode may still work: npm run web`);
      app.exit(1);
    });
}
