import { EventEmitter } from 'node:events';

/*
 * A stand-in for the `electron` module, just deep enough to run src/main/index.ts under plain Node
 * (the real binary cannot be downloaded here). It records what the entry asks of Electron.
 */

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  url?: string;
}

export function fakeEvent(url?: string): FakeEvent {
  const e: FakeEvent = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  if (url !== undefined) e.url = url;
  return e;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: Array<[string, unknown]> = [];
  url = '';
  loading = true;
  destroyed = false;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  getURL(): string {
    return this.url;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

export const record = {
  calls: [] as string[],
  windows: [] as FakeBrowserWindow[],
  externalOpened: [] as string[],
  menuTemplate: null as unknown,
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (r: Request) => Response | Promise<Response>>(),
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  headersHook: null as null | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: { requestingUrl?: string }) => void),
  lockData: undefined as unknown,
  ready: null as null | (() => void),
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  private readyFlag = false;
  private readonly readyPromise = new Promise<void>((resolve) => {
    record.ready = () => {
      this.readyFlag = true;
      resolve();
    };
  });
  enableSandbox(): void {
    record.calls.push(this.readyFlag ? 'enableSandbox after ready' : 'enableSandbox');
  }
  requestSingleInstanceLock(data?: unknown): boolean {
    record.lockData = data;
    return true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.readyFlag;
  }
  quit(): void {
    record.calls.push('quit');
    const e = fakeEvent();
    this.emit('will-quit', e);
  }
  exit(code: number): void {
    record.calls.push(`exit ${code}`);
  }
  addRecentDocument(p: string): void {
    record.calls.push(`addRecentDocument ${p}`);
  }
  clearRecentDocuments(): void {
    record.calls.push('clearRecentDocuments');
  }
}

export const app = new FakeApp();

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedFile = '';
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    record.windows.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  async loadFile(path: string): Promise<void> {
    this.loadedFile = path;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    record.calls.push('focus');
  }
  show(): void {}
  static getAllWindows(): FakeBrowserWindow[] {
    return record.windows;
  }
}
export { FakeBrowserWindow as BrowserWindow };

export const ipcMain = {
  handle: (channel: string, h: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
    if (record.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
    record.ipcHandlers.set(channel, h);
  },
  removeHandler: (channel: string) => record.ipcHandlers.delete(channel),
};

export const protocol = {
  registerSchemesAsPrivileged: (s: unknown[]) => {
    record.calls.push(app.isReady() ? 'registerSchemes after ready' : 'registerSchemes');
    record.privilegedSchemes.push(...s);
  },
  handle: (scheme: string, h: (r: Request) => Response | Promise<Response>) => record.protocolHandlers.set(scheme, h),
  unhandle: (scheme: string) => record.protocolHandlers.delete(scheme),
};

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (h: typeof record.headersHook) => (record.headersHook = h) },
    setPermissionRequestHandler: (h: typeof record.permissionRequest) => (record.permissionRequest = h),
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
  },
};

export const Menu = {
  buildFromTemplate: (t: unknown) => t,
  setApplicationMenu: (m: unknown) => (record.menuTemplate = m),
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: false, filePaths: ['/picked/c.fits'] }),
  showErrorBox: (title: string, body: string) => record.calls.push(`errorBox ${title}: ${body}`),
};

export const shell = { openExternal: async (url: string) => void record.externalOpened.push(url) };

export const webUtils = { getPathForFile: () => '' };
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = {};
/** No OS keychain in tests: the app keeps profile secrets in 0600 files (src/main/jobs/secretStore). */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: (plain: string) => Buffer.from(plain),
  decryptString: (data: Buffer) => data.toString(),
};
