import type { Result } from './errors';

/**
 * What the desktop preload exposes to the renderer as `window.cirasa` (contextBridge). It passes
 * contract names only: `invoke` and `on` refuse names that are not in the method/event tables.
 * In browser mode there is no bridge and the renderer talks HTTP + SSE instead.
 */
export interface CirasaBridge {
  /** Call a contract method by name; always resolves (errors travel as data). */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Listen to a contract event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Absolute path of a file dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: unknown): string;
  /** Base URL for binary resources on the desktop: `cirasa-tile://local` (+ tilePath(...)). */
  readonly resourceBase: string;
}

export const BRIDGE_GLOBAL = 'cirasa';
