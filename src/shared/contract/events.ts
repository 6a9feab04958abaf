import type { JobInfo } from './jobs';

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
  /** Catalogue import progress; fraction in [0, 1]. */
  'catalogue.importProgress': { path: string; fraction: number };
  /** A catalogue was imported or removed (refresh the list, overlays, table). */
  'catalogue.changed': { catalogueId: number };
  /** Labels of these sources changed (set, undo, redo). */
  'labels.changed': { sourceIds: number[] };
  /** A job was submitted or changed state (or got its catalogue). */
  'job.statusChanged': { job: JobInfo };
  /** A desktop menu command for the renderer (File > Save Session…, Open Session…). */
  'app.menuCommand': { command: 'session.save' | 'session.open' };
}

export type EventName = keyof EventMap;

export const EVENT_NAMES: readonly EventName[] = ['tiles.progress', 'tiles.ready', 'tiles.failed', 'app.openRequested',
  'catalogue.importProgress', 'catalogue.changed', 'labels.changed', 'job.statusChanged', 'app.menuCommand'];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
