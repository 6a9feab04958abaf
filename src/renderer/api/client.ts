import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api';
import type { CirasaBridge } from '../../shared/contract/bridge';
import { BRIDGE_GLOBAL } from '../../shared/contract/bridge';
import { isErrorCode, type ErrorCode, type Result, type SerializedError } from '../../shared/contract/errors';
import type { EventMap, EventName } from '../../shared/contract/events';
import { TILE_HEIGHT_HEADER, TILE_PREVIEW_HEADER, TILE_WIDTH_HEADER, tilePath, UPLOAD_PATH_PREFIX, type TileAddress } from '../../shared/contract/resources';

/** A failed contract call as seen by the renderer: the wire error's code, message and details. */
export class ClientError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'ClientError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** Anything thrown, as a wire-shaped error (for display through errorMessages). */
export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof ClientError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled' };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export interface FloatTile {
  width: number;
  height: number;
  data: Float32Array;
  /** A sampled preview (pyramid not built yet): replace it with the exact tile after 'tiles.ready'. */
  preview: boolean;
}

/** The transport-specific part; everything else in the client is shared. */
interface Transport {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  resourceUrl(path: string): string;
}

function bridgeTransport(bridge: CirasaBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input),
    on: (event, listener) => bridge.on(event, listener),
    resourceUrl: (path) => bridge.resourceBase + path,
  };
}

function asResult(body: unknown, status: number): Result<unknown> {
  if (body && typeof body === 'object' && 'ok' in body) {
    const r = body as Result<unknown>;
    if (r.ok || isErrorCode(r.error?.code)) return r;
  }
  return { ok: false, error: { code: status === 401 ? 'auth.required' : 'internal', message: `HTTP ${status}: unexpected response` } };
}

function httpTransport(): Transport {
  // One EventSource shared by every listener; created lazily.
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ensureSource = (event: string): void => {
    source ??= new EventSource('/api/events');
    if (listeners.has(event)) return;
    listeners.set(event, new Set());
    source.addEventListener(event, (e) => {
      let payload: unknown;
      try {
        payload = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners.get(event) ?? []) l(payload);
    });
  };
  return {
    async invoke(method, input) {
      let res: Response;
      try {
        res = await fetch(`/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: `Server unreachable: ${(err as Error).message}` } };
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // non-JSON answer: handled by asResult
      }
      return asResult(body, res.status);
    },
    on(event, listener) {
      ensureSource(event);
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
    resourceUrl: (path) => path,
  };
}

function pickTransport(): Transport {
  const bridge = (globalThis as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as CirasaBridge | undefined;
  return bridge ? bridgeTransport(bridge) : httpTransport();
}

const transport = pickTransport();

/** True when running inside the desktop shell (preload bridge present). */
export const isDesktop = Boolean((globalThis as unknown as Record<string, unknown>)[BRIDGE_GLOBAL]);

/** Call a contract method; throws ClientError with the server's code and message when it fails. */
export async function call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await transport.invoke(name, input);
  if (!result.ok) throw new ClientError(result.error);
  return result.value as MethodOutput<M>;
}

/** Listen to a contract event; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return transport.on(event, listener as (payload: unknown) => void);
}

/** Fetch one float32 tile (display orientation, row 0 at the top). */
export async function fetchTile(t: TileAddress, signal?: AbortSignal): Promise<FloatTile> {
  const res = await fetch(transport.resourceUrl(tilePath(t)), { signal, credentials: 'same-origin' });
  if (!res.ok) {
    let error: SerializedError = { code: 'tiles.notFound', message: `Tile ${tilePath(t)}: HTTP ${res.status}` };
    try {
      const body = (await res.json()) as Result<unknown>;
      if (!body.ok && isErrorCode(body.error.code)) error = body.error;
    } catch {
      // keep the generic error
    }
    throw new ClientError(error);
  }
  const width = Number(res.headers.get(TILE_WIDTH_HEADER));
  const height = Number(res.headers.get(TILE_HEIGHT_HEADER));
  const buf = await res.arrayBuffer();
  if (!(width > 0 && height > 0) || buf.byteLength !== width * height * 4) {
    throw new ClientError({ code: 'internal', message: `Tile ${tilePath(t)}: ${buf.byteLength} bytes for ${width}×${height}` });
  }
  // Float32Array reads host byte order; every platform we run on is little-endian like the wire format.
  return { width, height, data: new Float32Array(buf), preview: res.headers.get(TILE_PREVIEW_HEADER) === '1' };
}

/** Browser mode: send a dropped file to the server; answers the server-side path to open. */
export async function uploadFile(file: File): Promise<string> {
  const res = await fetch(UPLOAD_PATH_PREFIX + encodeURIComponent(file.name), {
    method: 'PUT',
    body: file,
    credentials: 'same-origin',
  });
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // handled below
  }
  const result = asResult(body, res.status);
  if (!result.ok) throw new ClientError(result.error);
  return (result.value as { path: string }).path;
}

/** Desktop: the absolute path of a dropped file; null in browser mode. */
export function desktopPathForFile(file: File): string | null {
  const bridge = (globalThis as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as CirasaBridge | undefined;
  return bridge ? bridge.pathForFile(file) : null;
}
