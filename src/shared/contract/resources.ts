/**
 * Binary resources that do not fit a JSON method call: float32 tiles and file uploads. Their paths
 * are built here only, so both transports (custom protocol, HTTP) and the client agree.
 */

/** Scheme of the Electron custom protocol that serves tiles on the desktop. */
export const TILE_SCHEME = 'cirasa-tile';

export interface TileAddress {
  imageId: string;
  /** Pyramid level: 0 = full resolution, k = block mean of 2^k × 2^k pixels. */
  level: number;
  /**
   * Tile column and row at that level in DISPLAY orientation, as OpenSeadragon counts them: row 0 is
   * the top of the picture, which holds the highest Pixel0 y (FITS rows run bottom-up). At level k the
   * picture is ceil(W / 2^k) × ceil(H / 2^k); display row r of level k averages Pixel0 rows
   * y = H - 1 - (r·2^k + i), i in [0, 2^k), and column c averages x = c·2^k + i. Edge tiles (right, bottom) are smaller.
   */
  tx: number;
  ty: number;
}

/** Path (after the origin) of a tile: `/tiles/<imageId>/<level>/<tx>/<ty>`. */
export function tilePath(t: TileAddress): string {
  return `/tiles/${encodeURIComponent(t.imageId)}/${t.level}/${t.tx}/${t.ty}`;
}

export function parseTilePath(path: string): TileAddress | null {
  const m = /^\/tiles\/([^/]+)\/(\d{1,2})\/(\d{1,6})\/(\d{1,6})$/.exec(path);
  if (!m) return null;
  return { imageId: decodeURIComponent(m[1]!), level: Number(m[2]), tx: Number(m[3]), ty: Number(m[4]) };
}

/**
 * Tile body: little-endian float32, row-major from the top display row, `width × height` values
 * (edge tiles are smaller), NaN where blank. Width and height travel in these response headers.
 */
export const TILE_WIDTH_HEADER = 'x-tile-width';
export const TILE_HEIGHT_HEADER = 'x-tile-height';
/**
 * Present (value "1") on a PREVIEW tile: a level the pyramid build has not reached yet, approximated by
 * sampling one source row per display row (as DS9 samples when zoomed out). Previews are not cacheable;
 * the client replaces them with the exact block means after 'tiles.ready'.
 */
export const TILE_PREVIEW_HEADER = 'x-tile-preview';

/** Browser mode: a dropped file is streamed to the server with `PUT /upload/<fileName>`; answers `{path}`. */
export const UPLOAD_PATH_PREFIX = '/upload/';

/**
 * Catalogue overlay (binary, see decodeOverlay in catalogues.ts):
 * `GET /catalogues/<catalogueId>/overlay[?filter=<urlencoded expression>]` → application/octet-stream.
 * With `&column=<name>` (a numeric catalogue column) the body is that column instead, one Float32 per
 * overlay entry in the same order as the overlay of the same filter (see decodeOverlayColumn): what
 * colour and size rules read, in one bulk fetch.
 * Served over HTTP and by the Electron protocol (`cirasa-tile://local/catalogues/...`).
 */
export function overlayPath(catalogueId: number, filter?: string, column?: string): string {
  const base = `/catalogues/${catalogueId}/overlay`;
  const query: string[] = [];
  if (filter && filter.trim() !== '') query.push(`filter=${encodeURIComponent(filter)}`);
  if (column) query.push(`column=${encodeURIComponent(column)}`);
  return query.length > 0 ? `${base}?${query.join('&')}` : base;
}

/** Parse an overlay path (with optional query string); null if it is not one. */
export function parseOverlayPath(pathWithQuery: string): { catalogueId: number; filter?: string; column?: string } | null {
  const q = pathWithQuery.indexOf('?');
  const path = q < 0 ? pathWithQuery : pathWithQuery.slice(0, q);
  const m = /^\/catalogues\/(\d{1,12})\/overlay$/.exec(path);
  if (!m) return null;
  const out: { catalogueId: number; filter?: string; column?: string } = { catalogueId: Number(m[1]) };
  if (q >= 0) {
    const params = new URLSearchParams(pathWithQuery.slice(q + 1));
    const filter = params.get('filter');
    if (filter !== null && filter.trim() !== '') out.filter = filter;
    const column = params.get('column');
    if (column !== null && column !== '') out.column = column;
  }
  return out;
}
