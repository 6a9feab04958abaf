import type { EventBus } from '../app/eventBus';
import type { MethodName } from '../../shared/contract/api';
import type { Result } from '../../shared/contract/errors';
import { bindContract, type CallContext, type Dispatch, type Handlers } from './bindContract';

/*
 * Electron IPC binding, written against small structural interfaces (no runtime `electron` import) so
 * it runs under plain Node with fakes. index.ts passes the real ipcMain and webContents.
 */

/** The part of a WebFrameMain the sender check reads. */
export interface IpcFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: IpcFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The part of a WebContents the binding uses. */
export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * The windows allowed to call the contract and to receive its events. Each one gets an AbortSignal
 * that fires when it goes away, so long calls from a closed window are cancelled.
 */
export class RendererRegistry {
  private readonly entries = new Map<number, { contents: WebContentsLike; abort: AbortController }>();

  add(contents: WebContentsLike): void {
    this.entries.set(contents.id, { contents, abort: new AbortController() });
  }

  remove(id: number): void {
    this.entries.get(id)?.abort.abort();
    this.entries.delete(id);
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  signalFor(id: number): AbortSignal | undefined {
    return this.entries.get(id)?.abort.signal;
  }

  /** Registered windows that are still alive (destroyed ones are dropped on the way). */
  live(): WebContentsLike[] {
    const out: WebContentsLike[] = [];
    for (const [id, { contents }] of this.entries) {
      if (contents.isDestroyed()) this.remove(id);
      else out.push(contents);
    }
    return out;
  }
}

/**
 * Comparable form of a document URL: no query or fragment (the renderer may use a hash router), path
 * percent-decoded and Windows drive letter upper-cased (Chromium and Node encode file URLs differently).
 */
export function documentUrl(url: string): string | null {
  try {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname).replace(/^\/([a-z]):/, (_m, d: string) => `/${d.toUpperCase()}:`);
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return null;
  }
}

/**
 * Only our own windows may call: the sender is a registered webContents, the message comes from its
 * top frame (not an iframe), and that frame shows our renderer's file:// document.
 */
export function isTrustedSender(event: IpcInvokeEventLike, registry: RendererRegistry, rendererUrl: string): boolean {
  if (!registry.has(event.sender.id)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const actual = documentUrl(frame.url);
  return actual !== null && actual.startsWith('file:') && actual === documentUrl(rendererUrl);
}

export interface IpcBindingOptions {
  ipcMain: IpcMainLike;
  handlers: Handlers;
  registry: RendererRegistry;
  /** file:// URL of dist/renderer/index.html (the only document allowed to call). */
  rendererUrl: string;
}

export interface IpcBinding {
  /** Channels registered (one per contract method, channel = method name). */
  readonly channels: readonly MethodName[];
  /** Same dispatcher as the IPC handlers use (menu actions, tests). */
  readonly dispatch: Dispatch;
  dispose(): void;
}

const REFUSED: Result<never> = {
  ok: false,
  error: { code: 'auth.required', message: 'IPC refused: the sender is not a CIRASA window' },
};

/**
 * ONE `ipcMain.handle` per contract method, registered while bindContract walks the method table.
 * Every answer is a Result (Electron's invoke would drop custom error fields).
 */
export function bindIpc(options: IpcBindingOptions): IpcBinding {
  const { ipcMain, registry, rendererUrl } = options;
  const channels: MethodName[] = [];
  const dispatch = bindContract(options.handlers, (name, call) => {
    ipcMain.handle(name, async (event, input) => {
      if (!isTrustedSender(event, registry, rendererUrl)) return REFUSED;
      const signal = registry.signalFor(event.sender.id);
      const ctx: CallContext = signal ? { transport: 'ipc', signal } : { transport: 'ipc' };
      return call(input, ctx);
    });
    channels.push(name);
  });
  return {
    channels,
    dispatch,
    dispose: () => {
      for (const name of channels) ipcMain.removeHandler(name);
    },
  };
}

/** Push every contract event to every live window (`webContents.send(name, payload)`); returns unsubscribe. */
export function forwardEvents(events: EventBus, registry: RendererRegistry): () => void {
  return events.subscribe((name, payload) => {
    for (const contents of registry.live()) {
      try {
        contents.send(name, payload);
      } catch {
        // The window closed between live() and send(): the next event drops it.
      }
    }
  });
}
