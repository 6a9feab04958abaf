import type { CirasaBridge } from '../shared/contract/bridge';
import type { Result } from '../shared/contract/errors';
import { isContractEventName, isContractMethodName } from '../shared/contract/names';
import { TILE_SCHEME } from '../shared/contract/resources';

/** What the bridge needs from Electron's ipcRenderer and webUtils (structural, so tests use fakes). */
export interface RendererIpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface BridgeDeps {
  ipc: RendererIpcLike;
  getPathForFile(file: unknown): string;
}

export const RESOURCE_BASE = `${TILE_SCHEME}://local`;

/**
 * Main may announce a file to open (command line, second instance) before the renderer has
 * subscribed; these events are kept and replayed to the first listener instead of being lost.
 */
const REPLAYED_EVENTS = new Set<string>(['app.openRequested']);
const MAX_PENDING = 16;

function refused(code: 'notFound' | 'validation', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** The object exposed as `window.cirasa`: contract names only, never the IpcRendererEvent. */
export function createBridge(deps: BridgeDeps): CirasaBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<string, unknown[]>();

  const deliver = (event: string, payload: unknown): void => {
    const set = listeners.get(event);
    if (!set || set.size === 0) {
      if (REPLAYED_EVENTS.has(event)) {
        const queue = pending.get(event) ?? [];
        if (queue.length < MAX_PENDING) queue.push(payload);
        pending.set(event, queue);
      }
      return;
    }
    for (const l of [...set]) {
      try {
        l(payload);
      } catch (err) {
        console.error(`cirasa: listener of ${event} failed`, err);
      }
    }
  };

  // One IPC subscription per event name, made up front: the IpcRendererEvent stops here.
  for (const event of REPLAYED_EVENTS) {
    deps.ipc.on(event, (_e, payload) => deliver(event, payload));
  }
  const subscribed = new Set<string>(REPLAYED_EVENTS);

  return {
    resourceBase: RESOURCE_BASE,

    async invoke(method: string, input: unknown): Promise<Result<unknown>> {
      if (!isContractMethodName(method)) return refused('notFound', `Unknown method: ${String(method)}`);
      try {
        return (await deps.ipc.invoke(method, input)) as Result<unknown>;
      } catch (err) {
        // Only reached when IPC itself fails (input that cannot be cloned, main gone): still data.
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, error: { code: 'internal', message: `IPC call ${method} failed: ${message}` } };
      }
    },

    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isContractEventName(event) || typeof listener !== 'function') return () => undefined;
      if (!subscribed.has(event)) {
        subscribed.add(event);
        deps.ipc.on(event, (_e, payload) => deliver(event, payload));
      }
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      const queued = pending.get(event);
      if (queued) {
        pending.delete(event);
        for (const payload of queued) deliver(event, payload);
      }
      return () => {
        set.delete(listener);
      };
    },

    pathForFile(file: unknown): string {
      try {
        return deps.getPathForFile(file);
      } catch {
        return ''; // not a File (or one made in script): no path, as webUtils answers for those
      }
    },
  };
}
