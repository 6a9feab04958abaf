import type { Handlers } from '../../src/main/transport/bindContract';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from '../../src/main/transport/ipc';
import { AppError } from '../../src/shared/contract/errors';

/** Minimal handlers: what is under test is the binding, not the services. */
export function fakeHandlers(mode: 'desktop' | 'web' = 'desktop'): Handlers {
  const notUsed = async (): Promise<never> => {
    throw new AppError('internal', 'not used in this test');
  };
  return {
    'app.info': async () => ({ version: 't', mode, sampleImagePath: null, homeDir: '/' }),
    'fits.open': async ({ path }) => {
      throw new AppError('fits.notFits', `${path} is not FITS`, { file: path });
    },
    'fits.close': notUsed,
    'image.pixelValue': notUsed,
    'files.list': notUsed,
    'app.requestOpen': notUsed,
    'recent.list': async () => [],
    'recent.clear': async () => undefined,
    'catalogue.import': notUsed,
    'catalogue.list': notUsed,
    'catalogue.remove': notUsed,
    'catalogue.columns': notUsed,
    'catalogue.query': notUsed,
    'catalogue.filterIds': notUsed,
    'catalogue.source': notUsed,
    'labels.set': notUsed,
    'labels.undo': notUsed,
    'labels.redo': notUsed,
    'labels.vocabularies': notUsed,
    'review.queue': notUsed,
    'catalogue.export': notUsed,
    'catalogue.regionFilter': notUsed,
    'jobs.apps': notUsed,
    'jobs.profiles': notUsed,
    'jobs.submit': notUsed,
    'jobs.list': notUsed,
    'jobs.cancel': notUsed,
    'jobs.logs': notUsed,
    'jobs.openResult': notUsed,
    'session.save': notUsed,
    'session.load': notUsed,
    'subsets.list': notUsed,
    'subsets.save': notUsed,
    'subsets.remove': notUsed,
    'columns.list': notUsed,
    'columns.define': notUsed,
    'columns.remove': notUsed,
    'catalogue.csvPreview': notUsed,
    'jobs.presets': notUsed,
    'jobs.savePreset': notUsed,
    'jobs.deletePreset': notUsed,
    'jobs.profile': notUsed,
    'jobs.saveProfile': notUsed,
    'jobs.deleteProfile': notUsed,
    'jobs.testProfile': notUsed,
    'jobs.accounting': notUsed,
    'jobs.remoteApps': notUsed,
  };
}

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** ipcMain stand-in: records handlers and lets a test "invoke" them as a given sender. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`); // as Electron does
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(channel: string, event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    // Electron structured-clones the answer; JSON round trip is close enough for Results.
    return JSON.parse(JSON.stringify(await h(event, ...args)));
  }
}

export class FakeWebContents implements WebContentsLike {
  readonly sent: Array<[string, unknown]> = [];
  destroyed = false;
  constructor(readonly id: number) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export const RENDERER_URL = 'file:///opt/cirasa/resources/app/dist/renderer/index.html';

export function eventFrom(senderId: number, url = RENDERER_URL, parent: unknown = null): IpcInvokeEventLike {
  return { sender: { id: senderId }, senderFrame: { url, parent } };
}
