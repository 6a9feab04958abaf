import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatch } from './bindContract';
import type { EventBus } from '../app/eventBus';
import { serializeError, type Result, type SerializedError } from '../../shared/contract/errors';
import { parseOverlayPath, parseTilePath, TILE_HEIGHT_HEADER, TILE_PREVIEW_HEADER, TILE_WIDTH_HEADER, UPLOAD_PATH_PREFIX, type TileAddress } from '../../shared/contract/resources';
import { serveStatic, CONTENT_SECURITY_POLICY } from './staticFiles';

export interface TileReader {
  readTile(t: TileAddress): Promise<{ width: number; height: number; data: Float32Array; preview?: boolean }>;
}

/** Packs a catalogue's binary overlay (CatalogueService.overlay); layout in src/shared/contract/catalogues.ts. */
export interface OverlayReader {
  overlay(catalogueId: number, filter?: string, column?: string): Promise<Uint8Array>;
}

/** HTTP status of a failed binary-resource request. */
export function resourceErrorStatus(code: string): number {
  if (code === 'tiles.notFound' || code === 'image.notOpen' || code === 'notFound') return 404;
  return code === 'filter.parseFailed' || code === 'validation' ? 400 : 500;
}

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Required token (cookie or Bearer); null disables auth (only allowed on loopback by the caller). */
  token: string | null;
  dispatch: Dispatch;
  events: EventBus;
  tiles: TileReader;
  /** Catalogue overlays (`GET /catalogues/<id>/overlay`); absent = 404. */
  overlays?: OverlayReader;
  /** Built renderer (dist/renderer), or null to serve the API only. */
  staticDir: string | null;
  uploadDir: string;
  maxUploadBytes?: number;
  maxJsonBytes?: number;
  /**
   * Asked first for every request (after the Host check); answering true means it handled the request. `cirasa
   * serve --web` mounts the caesar-rest API (its own token auth) and `/health` on the app's port this way.
   */
  delegate?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface RunningHttpServer {
  port: number;
  /** Base URL, without the token. */
  origin: string;
  /** The URL a user opens: sets the auth cookie and lands on the app. */
  loginUrl: string;
  close(): Promise<void>;
}

const COOKIE = 'cirasa_token';
const API_PREFIX = '/api/call/';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" or garbage: never equal to our host
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: SerializedError): void {
  const body: Result<never> = { ok: false, error };
  sendJson(res, status, body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error(`Request body over ${limit} bytes`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Stream a request body to `target`; past `limit` bytes the rest is drained and discarded. */
async function receiveUpload(req: IncomingMessage, target: string, limit: number): Promise<'ok' | 'tooLarge' | string> {
  const out = createWriteStream(target, { flags: 'wx' });
  let received = 0;
  try {
    for await (const chunk of req) {
      received += (chunk as Buffer).length;
      if (received > limit) continue;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } catch (err) {
    out.destroy();
    return (err as Error).message;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return received > limit ? 'tooLarge' : 'ok';
}

/** A dropped file's name, made safe for the upload folder (no path parts, no odd characters). */
export function safeUploadName(raw: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return null;
  }
  name = name.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._+-]/g, '_');
  if (!name || name === '.' || name === '..' || name.length > 200) return null;
  return name;
}

/**
 * Browser mode and the headless server: the same contract over HTTP. `POST /api/call/<method>` answers a
 * Result as JSON (HTTP 200 even for ok:false: errors are data), `GET /api/events` streams contract events
 * as server-sent events, `GET /tiles/...` answers float32 tiles, `PUT /upload/<name>` stores a dropped file.
 * Bound to loopback and token-protected by default; the Host header is checked against DNS rebinding.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const maxUpload = options.maxUploadBytes ?? 16 * 1024 ** 3;
  const maxJson = options.maxJsonBytes ?? 1024 * 1024;
  const sseClients = new Set<ServerResponse>();
  let port = options.port;

  const unsubscribe = options.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  const hostAllowed = (req: IncomingMessage): boolean => {
    if (!isLoopbackHost(options.host)) return true; // bound to a real interface: the operator chose the names
    const host = (req.headers.host ?? '').toLowerCase();
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0] ?? '';
    return isLoopbackHost(name);
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (options.token === null) return true;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), options.token)) return true;
    const cookie = cookieToken(req);
    return cookie !== null && sameSecret(cookie, options.token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');

    if (!hostAllowed(req)) return sendError(res, 403, { code: 'auth.required', message: 'Host not allowed' });
    if (options.delegate && (await options.delegate(req, res))) return;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });

    // Opening the printed URL: trade the token in the query for an HttpOnly cookie, then drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null && options.token !== null) {
      if (!sameSecret(queryToken, options.token)) return sendError(res, 401, { code: 'auth.required', message: 'Wrong token' });
      res.writeHead(303, {
        location: path,
        'set-cookie': `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    if (!authorized(req)) {
      return sendError(res, 401, {
        code: 'auth.required',
        message: 'Not authenticated: open the URL printed by `npm run web` (it carries the access token).',
      });
    }
    // Cross-site writes are refused even with a cookie (SameSite covers browsers; this covers the rest).
    const origin = req.headers.origin;
    if (origin && req.method !== 'GET' && originHost(origin) !== req.headers.host) {
      return sendError(res, 403, { code: 'auth.required', message: 'Cross-origin request refused' });
    }

    if (req.method === 'POST' && path.startsWith(API_PREFIX)) {
      const method = decodeURIComponent(path.slice(API_PREFIX.length));
      let input: unknown;
      try {
        const body = await readBody(req, maxJson);
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        return sendError(res, status, { code: 'validation', message: `Bad request body: ${(err as Error).message}` });
      }
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      const result = await options.dispatch(method, input, { transport: 'http', signal: controller.signal });
      const status = !result.ok && result.error.code === 'notFound' && result.error.message.startsWith('Unknown method') ? 404 : 200;
      return sendJson(res, status, result);
    }

    if (req.method === 'GET' && path === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
      res.on('close', () => {
        clearInterval(heartbeat);
        sseClients.delete(res);
      });
      return;
    }

    if (req.method === 'GET' && path.startsWith('/catalogues/')) {
      let address: ReturnType<typeof parseOverlayPath> = null;
      try {
        address = parseOverlayPath(path + url.search);
      } catch {
        address = null; // bad percent-encoding
      }
      if (!address || !options.overlays) return sendError(res, address ? 404 : 400, { code: address ? 'notFound' : 'validation', message: `No such resource: ${path}` });
      try {
        const body = await options.overlays.overlay(address.catalogueId, address.filter, address.column);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength, 'cache-control': 'no-store' });
        res.end(body);
      } catch (err) {
        const error = serializeError(err);
        sendError(res, resourceErrorStatus(error.code), error);
      }
      return;
    }

    if (req.method === 'GET' && path.startsWith('/tiles/')) {
      const address = parseTilePath(path);
      if (!address) return sendError(res, 400, { code: 'validation', message: `Malformed tile path: ${path}` });
      try {
        const tile = await options.tiles.readTile(address);
        const body = Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': body.length,
          'cache-control': tile.preview ? 'no-store' : 'private, max-age=3600',
          [TILE_WIDTH_HEADER]: tile.width,
          [TILE_HEIGHT_HEADER]: tile.height,
          ...(tile.preview ? { [TILE_PREVIEW_HEADER]: '1' } : {}),
        });
        res.end(body);
      } catch (err) {
        const error = serializeError(err);
        sendError(res, error.code === 'tiles.notFound' || error.code === 'image.notOpen' ? 404 : 500, error);
      }
      return;
    }

    if (req.method === 'PUT' && path.startsWith(UPLOAD_PATH_PREFIX)) {
      const name = safeUploadName(path.slice(UPLOAD_PATH_PREFIX.length));
      if (!name) return sendError(res, 400, { code: 'validation', message: 'Bad upload file name' });
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxUpload) {
        req.resume(); // drain so the client reads our answer instead of a reset
        return sendError(res, 413, { code: 'validation', message: `Upload over ${maxUpload} bytes` });
      }
      await mkdir(options.uploadDir, { recursive: true });
      const target = join(options.uploadDir, `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}-${name}`);
      const outcome = await receiveUpload(req, target, maxUpload);
      if (outcome !== 'ok') {
        await unlink(target).catch(() => undefined);
        return sendError(res, outcome === 'tooLarge' ? 413 : 400, {
          code: 'validation',
          message: outcome === 'tooLarge' ? `Upload over ${maxUpload} bytes` : `Upload failed: ${outcome}`,
        });
      }
      return sendJson(res, 200, { ok: true, value: { path: target } });
    }

    if (req.method === 'GET' && options.staticDir) {
      if (await serveStatic(options.staticDir, path, res)) return;
    }
    sendError(res, 404, { code: 'notFound', message: `No route for ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, serializeError(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${hostForUrl}:${port}`;
  return {
    port,
    origin,
    loginUrl: options.token ? `${origin}/?token=${encodeURIComponent(options.token)}` : `${origin}/`,
    close: async () => {
      unsubscribe();
      for (const res of sseClients) res.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export { CONTENT_SECURITY_POLICY };
