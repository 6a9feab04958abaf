import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { isPermissionAllowed, isSameDocument, safeExternalUrl, withContentSecurityPolicy } from './security';

export interface WindowOptions {
  /** dist/renderer/index.html */
  rendererFile: string;
  /** Its file:// URL (what the window's document URL must be). */
  rendererUrl: string;
  /** dist/preload/index.cjs */
  preloadFile: string;
  dev: boolean;
}

/** Open a validated https URL in the OS browser; anything else is dropped (and logged). */
export function openExternalSafely(raw: string): void {
  const url = safeExternalUrl(raw);
  if (url) void shell.openExternal(url);
  else console.warn(`cirasa: refused to open external URL ${JSON.stringify(raw.slice(0, 200))}`);
}

/** Session-wide rules: CSP on every response, permissions denied (bar clipboard write from our page). */
export function hardenSession(session: Session, rendererUrl: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), rendererUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, rendererUrl),
  );
  session.setDevicePermissionHandler(() => false);
}

/**
 * Rules for every webContents the app ever creates (called from app 'web-contents-created'): no
 * navigation away from our document, no new windows (https links go to the OS browser), no webviews.
 */
export function hardenWebContents(contents: WebContents, rendererUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (isSameDocument(url, rendererUrl)) return;
    event.preventDefault();
    if (url.startsWith('https:')) openExternalSafely(url);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The main window: sandboxed, context-isolated renderer from dist/renderer, shown once painted. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 800,
    minHeight: 520,
    show: false,
    title: 'CIRASA',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: options.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.dev,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(options.rendererFile);
  return win;
}
