/** Events pushed from main to every client (IPC `webContents.send` on desktop, server-sent events in browser mode). */
export interface EventMap {
  /** Pyramid build progress for an open image; fraction in [0, 1]. */
  'tiles.progress': { imageId: string; fraction: number };
  /** All levels of the image's pyramid are built (or loaded from cache). */
  'tiles.ready': { imageId: string; elapsedMs: number };
  /** Pyramid build failed (the image stays viewable at full resolution). */
  'tiles.failed': { imageId: string; message: string };
  /** Main asks the renderer to open a file (menu, command line, second instance, OS drop). */
  'app.openRequested': { path: string };
}

export type EventName = keyof EventMap;

export const EVENT_NAMES: readonly EventName[] = ['tiles.progress', 'tiles.ready', 'tiles.failed', 'app.openRequested'];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
