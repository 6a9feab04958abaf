import OpenSeadragon from 'openseadragon';
import type { ImageInfo } from '../../../shared/contract/images';
import { fetchTile, type FloatTile } from '../../api/client';
import type { ColourLut } from './colourApi';
import { createFloatTileSource } from './floatTileSource';
import { tilePath, type TileAddress } from '../../../shared/contract/resources';
import { colourToContext, learnFloatTileType, originalFloatData } from './tileColouring';
import type { Pixel0 } from './wcsApi';

/** Visible part of the image in Pixel0 (x0 ≤ x1, y0 ≤ y1, clamped to the image). */
export interface PixelView {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface FitsViewerCallbacks {
  /** Pan/zoom/resize happened: overlays redraw. */
  onViewChange(): void;
  /** A tile failed to load. */
  onTileError(message: string): void;
}

/** Which viewer a tile source belongs to (the navigator draws the same source), for the fallback converter. */
const viewerOfSource = new WeakMap<object, FitsViewer>();

/**
 * The OpenSeadragon viewer of one window: float32 tiles coloured on the CPU with the current LUT.
 * Not React state: the component owns it in a ref. Pixel0 ↔ OSD image coordinates:
 * OSD x = x + 0.5 and OSD y = H − 0.5 − y (tiles are in display orientation, FITS rows bottom-up).
 */
export class FitsViewer {
  readonly osd: OpenSeadragon.Viewer;
  private info: ImageInfo | null = null;
  private lut: ColourLut | null = null;
  private source: OpenSeadragon.TileSource | null = null;
  private requests = 0;
  /** Preview tiles shown while the pyramid builds, by tile path; their data is replaced in place when it is done. */
  private previews = new Map<string, { address: TileAddress; tile: FloatTile }>();
  private recolourMs = 0;
  private recolourSeq = 0;

  constructor(
    private readonly element: HTMLElement,
    private readonly callbacks: FitsViewerCallbacks,
  ) {
    learnFloatTileType((tile) => viewerOfSource.get(tile.tiledImage?.source as object)?.lut ?? null);
    this.osd = OpenSeadragon({
      element,
      drawer: 'canvas',
      imageSmoothingEnabled: false,
      showNavigationControl: false,
      showNavigator: true,
      navigatorPosition: 'BOTTOM_RIGHT',
      navigatorSizeRatio: 0.16,
      animationTime: 0.25,
      blendTime: 0,
      maxZoomPixelRatio: 64,
      minZoomImageRatio: 0.5,
      visibilityRatio: 0.2,
      crossOriginPolicy: false,
      // A tile of a level the pyramid build has not reached yet is answered only when it is built:
      // on a 32000² image that can take minutes, so the loader must wait instead of failing.
      timeout: 10 * 60_000,
      tileRetryMax: 2,
      tileRetryDelay: 1500,
      // Keyboard shortcuts are ours (f, 1, +, -...), not OSD's.
      keyboardNavEnabled: false,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true, scrollToZoom: true },
      background: 'transparent',
    } as OpenSeadragon.Options);
    this.osd.addHandler('tile-invalidated', (e) => this.colourInvalidatedTile(e));
    for (const ev of ['animation', 'resize', 'open', 'viewport-change'] as const) {
      this.osd.addHandler(ev, () => this.callbacks.onViewChange());
    }
    // Late failures of a previous image's tiles (closed on the server meanwhile) are not this image's problem.
    this.osd.addHandler('tile-load-failed', (e) => {
      if (e.tiledImage?.source === this.source) this.callbacks.onTileError(e.message);
    });
  }

  private async colourInvalidatedTile(e: OpenSeadragon.TileInvalidatedEvent): Promise<void> {
    const lut = this.lut;
    if (!lut) return;
    const tile = await originalFloatData(e.tile);
    if (!tile || (await e.outdated())) return;
    await e.setData(colourToContext(tile, lut), 'context2d');
  }

  /** Show an image (replacing any previous one) coloured with `lut`. */
  open(info: ImageInfo, lut: ColourLut): void {
    this.info = info;
    this.lut = lut;
    this.previews = new Map();
    const source = createFloatTileSource({
      info,
      fetchTile,
      onRequest: () => this.requests++,
      onPreview: (address, tile) => this.previews.set(tilePath(address), { address, tile }),
    });
    viewerOfSource.set(source, this);
    this.source = source;
    this.osd.open({ tileSource: source });
  }

  close(): void {
    this.info = null;
    this.osd.close();
  }

  /** Recolour every cached tile from its float data (no refetch); resolves when the picture is updated. */
  async setLut(lut: ColourLut): Promise<void> {
    this.lut = lut;
    if (!this.info || !this.osd.isOpen()) return;
    const seq = ++this.recolourSeq;
    const started = performance.now();
    await this.osd.requestInvalidate(true);
    if (seq === this.recolourSeq) this.recolourMs = performance.now() - started;
  }

  /**
   * The pyramid of `imageId` is complete: fetch the exact tiles for the previews shown so far, write their
   * values into the cached float data (same objects OSD holds) and recolour — no flash, no full reload.
   */
  async replacePreviews(imageId: string): Promise<void> {
    if (this.info?.imageId !== imageId || this.previews.size === 0) return;
    const pending = [...this.previews.values()];
    this.previews.clear();
    await Promise.all(
      pending.map(async ({ address, tile }) => {
        try {
          const exact = await fetchTile(address);
          if (!exact.preview && exact.data.length === tile.data.length) {
            tile.data.set(exact.data);
            tile.preview = false;
          }
        } catch {
          // The image was closed or the tile failed: the preview simply stays until the view reloads it.
        }
      }),
    );
    if (this.info?.imageId === imageId && this.lut) await this.setLut(this.lut);
  }

  /** Number of tiles currently shown as sampled previews (automation and tests). */
  previewTileCount(): number {
    return this.previews.size;
  }

  image(): ImageInfo | null {
    return this.info;
  }

  zoomToFit(): void {
    this.osd.viewport.goHome();
  }

  /** One screen pixel per image pixel (device-independent CSS pixel). */
  zoomOneToOne(): void {
    const item = this.osd.world.getItemAt(0);
    if (!item) return;
    this.osd.viewport.zoomTo(item.imageToViewportZoom(1));
  }

  zoomBy(factor: number): void {
    this.osd.viewport.zoomBy(factor);
    this.osd.viewport.applyConstraints();
  }

  /** Pan by a fraction of the visible width/height (positive: right/down on screen). */
  panBy(fx: number, fy: number): void {
    const bounds = this.osd.viewport.getBounds();
    this.osd.viewport.panBy(new OpenSeadragon.Point(fx * bounds.width, fy * bounds.height));
    this.osd.viewport.applyConstraints();
  }

  /** Current zoom as screen pixels per image pixel. */
  zoomRatio(): number {
    const item = this.osd.world.getItemAt(0);
    return item ? item.viewportToImageZoom(this.osd.viewport.getZoom(true)) : 1;
  }

  /** Pixel0 under a point given relative to the viewer element (CSS px). */
  elementToPixel(ex: number, ey: number): Pixel0 | null {
    const item = this.osd.world.getItemAt(0);
    if (!item || !this.info) return null;
    const p = item.viewerElementToImageCoordinates(new OpenSeadragon.Point(ex, ey));
    return { x: p.x - 0.5, y: this.info.height - 0.5 - p.y };
  }

  /** Viewer-element coordinates (CSS px) of a Pixel0 position. */
  pixelToElement(p: Pixel0): { x: number; y: number } | null {
    const item = this.osd.world.getItemAt(0);
    if (!item || !this.info) return null;
    const e = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(p.x + 0.5, this.info.height - 0.5 - p.y));
    return { x: e.x, y: e.y };
  }

  /** Client (page viewport) coordinates of a Pixel0 position, for tests and scripting. */
  pixelToClient(x: number, y: number): { x: number; y: number } | null {
    const e = this.pixelToElement({ x, y });
    if (!e) return null;
    const r = this.element.getBoundingClientRect();
    return { x: r.left + e.x, y: r.top + e.y };
  }

  /** The visible Pixel0 rectangle, clamped to the image. */
  visiblePixels(): PixelView | null {
    if (!this.info) return null;
    const w = this.element.clientWidth;
    const h = this.element.clientHeight;
    const a = this.elementToPixel(0, 0);
    const b = this.elementToPixel(w, h);
    if (!a || !b) return null;
    const clampX = (v: number) => Math.min(this.info!.width - 0.5, Math.max(-0.5, v));
    const clampY = (v: number) => Math.min(this.info!.height - 0.5, Math.max(-0.5, v));
    return {
      x0: clampX(Math.min(a.x, b.x)),
      x1: clampX(Math.max(a.x, b.x)),
      y0: clampY(Math.min(a.y, b.y)),
      y1: clampY(Math.max(a.y, b.y)),
    };
  }

  visibleTileCount(): number {
    return this.osd.world.getItemAt(0)?.getTilesToDraw().length ?? 0;
  }

  tileRequestCount(): number {
    return this.requests;
  }

  lastRecolourMs(): number {
    return this.recolourMs;
  }

  fullyLoaded(): boolean {
    return this.osd.world.getItemAt(0)?.getFullyLoaded() ?? false;
  }

  destroy(): void {
    this.osd.destroy();
  }
}
