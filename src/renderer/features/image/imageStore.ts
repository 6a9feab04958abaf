import { create } from 'zustand';
import type { SerializedError } from '../../../shared/contract/errors';
import type { ImageInfo, RecentFile } from '../../../shared/contract/images';
import { call, desktopPathForFile, on, toSerializedError, uploadFile } from '../../api/client';

export interface OpenError extends SerializedError {
  /** The file the user tried to open. */
  path: string;
}

interface ImageState {
  image: ImageInfo | null;
  /** Path being opened (uploaded or read), or null. */
  opening: string | null;
  error: OpenError | null;
  /** Pyramid build progress of the current image, 0..1; 1 when ready. */
  progress: number;
  /** Latest progress per imageId, kept because events can arrive before fits.open answers. */
  progressById: Record<string, number>;
  recent: RecentFile[];
  /** Open a file (optionally an HDU and a plane of a cube); false when it failed (the error is in `error`). */
  openPath(path: string, where?: { hdu?: number; plane?: number[] }): Promise<boolean>;
  openDroppedFile(file: File): Promise<boolean>;
  closeImage(): Promise<void>;
  dismissError(): void;
  refreshRecent(): Promise<void>;
  clearRecent(): Promise<void>;
}

const CLOSE_GRACE_MS = 3000;

/** The open image and the opening flow. A failed open leaves the previous image in place. */
export const useImageStore = create<ImageState>()((set, get) => ({
  image: null,
  opening: null,
  error: null,
  progress: 0,
  progressById: {},
  recent: [],

  async openPath(path, where) {
    set({ opening: path, error: null });
    try {
      const info = await call('fits.open', { path, ...where });
      const previous = get().image;
      // Close the previous image a little later: tile requests of its last view may still be in flight.
      if (previous && previous.imageId !== info.imageId) {
        setTimeout(() => {
          if (get().image?.imageId !== previous.imageId) void call('fits.close', { imageId: previous.imageId }).catch(() => undefined);
        }, CLOSE_GRACE_MS);
      }
      set({ image: info, opening: null, progress: info.pyramid.ready ? 1 : (get().progressById[info.imageId] ?? 0) });
      void get().refreshRecent();
      return true;
    } catch (err) {
      set({ opening: null, error: { ...toSerializedError(err), path } });
      return false;
    }
  },

  async openDroppedFile(file) {
    const local = desktopPathForFile(file);
    if (local) return get().openPath(local);
    set({ opening: file.name, error: null });
    let path: string;
    try {
      path = await uploadFile(file);
    } catch (err) {
      set({ opening: null, error: { ...toSerializedError(err), path: file.name } });
      return false;
    }
    return get().openPath(path);
  },

  async closeImage() {
    const image = get().image;
    set({ image: null, progress: 0 });
    if (image) await call('fits.close', { imageId: image.imageId }).catch(() => undefined);
  },

  dismissError: () => set({ error: null }),

  async refreshRecent() {
    try {
      set({ recent: await call('recent.list', {}) });
    } catch {
      // the list is a convenience: keep the old one
    }
  },

  async clearRecent() {
    await call('recent.clear', {}).catch(() => undefined);
    set({ recent: [] });
  },
}));

/** Wire server events (pyramid progress, open requests from the native menu) into the store. */
export function subscribeImageEvents(): () => void {
  const record = (imageId: string, fraction: number): void =>
    useImageStore.setState((s) => ({
      progressById: { ...s.progressById, [imageId]: fraction },
      ...(s.image?.imageId === imageId ? { progress: fraction } : {}),
    }));
  const offs = [
    on('tiles.progress', ({ imageId, fraction }) => record(imageId, Math.min(fraction, 0.999))),
    on('tiles.ready', ({ imageId }) => record(imageId, 1)),
    on('tiles.failed', ({ imageId, message }) => {
      record(imageId, 1);
      const { image } = useImageStore.getState();
      if (image?.imageId === imageId) useImageStore.setState({ error: { code: 'internal', message: `Tile pyramid build failed: ${message}`, path: image.path } });
    }),
    on('app.openRequested', ({ path }) => void useImageStore.getState().openPath(path)),
  ];
  return () => offs.forEach((off) => off());
}
