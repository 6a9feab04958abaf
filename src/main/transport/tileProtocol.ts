import { serializeError, type Result, type SerializedError } from '../../shared/contract/errors';
import { parseOverlayPath, parseTilePath, TILE_HEIGHT_HEADER, TILE_PREVIEW_HEADER, TILE_SCHEME, TILE_WIDTH_HEADER } from '../../shared/contract/resources';
import { resourceErrorStatus, type OverlayReader, type TileReader } from './http';

/*
 * The `cirasa-tile://local/tiles/<imageId>/<level>/<tx>/<ty>` protocol: float32 tiles for the desktop
 * renderer. The request → Response logic is a pure function (tests run it without Electron); the two
 * registration helpers take Electron's `protocol` object structurally.
 */

/** Host part of every tile URL (bridge.resourceBase is `cirasa-tile://local`). */
export const TILE_HOST = 'local';

/** Privileges of the scheme: `standard` gives it real origins and paths, `corsEnabled` lets file:// fetch it. */
export const TILE_SCHEME_PRIVILEGES = {
  scheme: TILE_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
} as const;

export interface ProtocolPrivilegesLike {
  registerSchemesAsPrivileged(schemes: Array<typeof TILE_SCHEME_PRIVILEGES>): void;
}

export interface ProtocolHandlerLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  unhandle(scheme: string): void;
}

/** Must run before `app` is ready (Electron's rule for privileged schemes). */
export function registerTileScheme(protocol: ProtocolPrivilegesLike): void {
  protocol.registerSchemesAsPrivileged([TILE_SCHEME_PRIVILEGES]);
}

/** Serve tiles from `images` (and catalogue overlays) on the scheme; returns the function that removes the handler. */
export function serveTileProtocol(protocol: ProtocolHandlerLike, images: TileReader, overlays?: OverlayReader): () => void {
  protocol.handle(TILE_SCHEME, (request) => handleTileRequest(request.url, images, request.method, overlays));
  return () => protocol.unhandle(TILE_SCHEME);
}

// The renderer is a file:// page (origin "null"), so tile responses must allow any origin; only our
// own windows exist and they cannot navigate away, so nothing else can ask.
const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': `${TILE_WIDTH_HEADER}, ${TILE_HEIGHT_HEADER}, ${TILE_PREVIEW_HEADER}`,
};

function errorResponse(status: number, error: SerializedError): Response {
  const body: Result<never> = { ok: false, error };
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * Answer one tile request: 200 with the little-endian float32 body and its size headers, 400 (JSON
 * Result, code `validation`) for a malformed URL, 404 for an unknown image or tile, 500 otherwise.
 */
export async function handleTileRequest(url: string, images: TileReader, method = 'GET', overlays?: OverlayReader): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') {
    return errorResponse(405, { code: 'validation', message: `Tile requests are GET only, got ${method}` });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return errorResponse(400, { code: 'validation', message: `Malformed tile URL: ${url}` });
  }
  if (parsed.protocol !== `${TILE_SCHEME}:` || parsed.host !== TILE_HOST) {
    return errorResponse(400, { code: 'validation', message: `Not a tile URL (expected ${TILE_SCHEME}://${TILE_HOST}/tiles/...): ${url}` });
  }
  if (parsed.pathname.startsWith('/catalogues/')) return handleOverlayRequest(parsed, overlays, method);
  let address: ReturnType<typeof parseTilePath>;
  try {
    address = parseTilePath(parsed.pathname);
  } catch {
    address = null; // bad percent-encoding in the image id
  }
  if (!address) {
    return errorResponse(400, {
      code: 'validation',
      message: `Malformed tile path: ${parsed.pathname} (expected /tiles/<imageId>/<level>/<tx>/<ty>)`,
    });
  }
  try {
    const tile = await images.readTile(address);
    const body = new Uint8Array(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength);
    return new Response(method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        ...CORS_HEADERS,
        'content-type': 'application/octet-stream',
        'content-length': String(body.byteLength),
        'cache-control': tile.preview ? 'no-store' : 'private, max-age=3600',
        [TILE_WIDTH_HEADER]: String(tile.width),
        [TILE_HEIGHT_HEADER]: String(tile.height),
        ...(tile.preview ? { [TILE_PREVIEW_HEADER]: '1' } : {}),
      },
    });
  } catch (err) {
    const error = serializeError(err);
    const notFound = error.code === 'tiles.notFound' || error.code === 'image.notOpen';
    return errorResponse(notFound ? 404 : 500, error);
  }
}

/** `cirasa-tile://local/catalogues/<id>/overlay[?filter=...]`: the binary overlay of a catalogue. */
async function handleOverlayRequest(parsed: URL, overlays: OverlayReader | undefined, method: string): Promise<Response> {
  let address: ReturnType<typeof parseOverlayPath> = null;
  try {
    address = parseOverlayPath(parsed.pathname + parsed.search);
  } catch {
    address = null; // bad percent-encoding
  }
  if (!address) return errorResponse(400, { code: 'validation', message: `Malformed overlay path: ${parsed.pathname}` });
  if (!overlays) return errorResponse(404, { code: 'notFound', message: 'No catalogue overlays served here' });
  try {
    const body = await overlays.overlay(address.catalogueId, address.filter, address.column);
    return new Response(method === 'HEAD' ? null : new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
      status: 200,
      headers: { ...CORS_HEADERS, 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), 'cache-control': 'no-store' },
    });
  } catch (err) {
    const error = serializeError(err);
    return errorResponse(resourceErrorStatus(error.code), error);
  }
}
