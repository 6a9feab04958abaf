/**
 * `cirasa serve`: the caesar-rest v1.0 API at `/caesar/api/v1.0` plus `/health`, on our JobService. The request
 * handler answers `false` for any other path, so the browser-mode HTTP server can delegate to it; or run it
 * standalone with `startCaesarRestServer`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, requestToken, type AuthConfig } from './auth';
import type { RouteCall, ServiceContext } from './context';
import { deleteFile, download, downloadRedirect, fileIds, upload } from './fileRoutes';
import { apps, cancel, catalogue, describe, list, output, status, submit } from './jobRoutes';
import { accounting, appstats } from './accountingRoutes';
import { asciiCatalogue, outputPlot, preview } from './outputRoutes';
import { API_PREFIX, sendHtmlError, sendJson } from './wire';

export type LogEntry = Record<string, unknown> & { msg: string };
export type Logger = (entry: LogEntry) => void;

/** One JSON object per line on stderr. */
export const stderrLogger: Logger = (e) => process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...e }) + '\n');

export interface CaesarRestHandlerOptions extends ServiceContext {
  auth: AuthConfig;
  log?: Logger;
  /** Answer `/` with caesar-rest's HTML test page and `/login`, `/logout` with a redirect to it (default true; off when the app's browser mode owns `/`). */
  rootPage?: boolean;
}

const TEST_PAGE = `<!doctype html>
<html lang=en><head><meta charset=utf-8><title>cirasa serve – caesar-rest v1.0</title></head><body>
<h1>caesar-rest v1.0 (cirasa serve)</h1>
<form method=post enctype=multipart/form-data action="${API_PREFIX}/upload"><p>Upload an image: <input type=file name=file> tag <input name=tag> <input type=submit value=Upload></p></form>
<form method=get action="${API_PREFIX}/download"><p>Download file id: <input name=uuid> <input type=submit value=Download></p></form>
<p>API under <code>${API_PREFIX}</code>; health at <code>/health</code>.</p>
</body></html>
`;

/** [methods, pattern over the segments after the prefix, handler(call, ...captures)]. */
function routes(ctx: ServiceContext): [string[], RegExp, (call: RouteCall, ...args: string[]) => Promise<void> | void][] {
  return [
    [['POST'], /^upload$/, (c) => upload(ctx, c)],
    [['GET'], /^fileids$/, (c) => fileIds(ctx, c)],
    [['GET', 'POST'], /^download\/([^/]+)$/, (c, id) => download(ctx, c, id!)],
    [['GET', 'POST'], /^download$/, (c) => downloadRedirect(c)],
    [['GET', 'POST'], /^delete\/([^/]+)$/, (c, id) => deleteFile(ctx, c, id!)],
    [['GET'], /^apps$/, (c) => apps(ctx, c)],
    [['GET'], /^app\/([^/]+)\/describe$/, (c, name) => describe(ctx, c, name!)],
    [['POST'], /^job$/, (c) => submit(ctx, c)],
    [['GET'], /^jobs$/, (c) => list(ctx, c)],
    [['GET'], /^job\/([^/]+)\/status$/, (c, id) => status(ctx, c, id!)],
    [['GET', 'POST'], /^job\/([^/]+)\/cancel$/, (c, id) => cancel(ctx, c, id!)],
    [['GET'], /^job\/([^/]+)\/output$/, (c, id) => output(ctx, c, id!)],
    [['GET'], /^job\/([^/]+)\/sources$/, (c, id) => catalogue(ctx, c, id!, 'sources')],
    [['GET'], /^job\/([^/]+)\/source-components$/, (c, id) => catalogue(ctx, c, id!, 'components')],
    [['GET'], /^job\/([^/]+)\/output-sources$/, (c, id) => asciiCatalogue(ctx, c, id!, 'sources')],
    [['GET'], /^job\/([^/]+)\/output-components$/, (c, id) => asciiCatalogue(ctx, c, id!, 'components')],
    [['GET'], /^job\/([^/]+)\/preview$/, (c, id) => preview(ctx, c, id!)],
    [['GET'], /^job\/([^/]+)\/output-plot$/, (c, id) => outputPlot(ctx, c, id!)],
    [['GET'], /^accounting$/, (c) => accounting(ctx, c)],
    [['GET'], /^appstats$/, (c) => appstats(ctx, c)],
  ];
}

const UNAUTHORIZED = JSON.stringify({ error: 'invalid_token', error_description: 'Token required but invalid' });

/** Answers whether it handled the request (its paths: the API prefix and `/health`). */
export function createCaesarRestHandler(options: CaesarRestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const table = routes(options);
  const log = options.log ?? stderrLogger;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (options.rootPage !== false && (path === '/' || path === '/login' || path === '/logout')) {
      req.resume();
      if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(TEST_PAGE) }).end(TEST_PAGE);
      else res.writeHead(302, { Location: '/' }).end();
      return true;
    }
    if (path !== '/health' && path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return false;
    const t0 = performance.now();
    let user: string | undefined;
    res.on('finish', () => {
      log({ msg: 'request', method: req.method, path, status: res.statusCode, ms: Math.round((performance.now() - t0) * 10) / 10, ...(user ? { user } : {}) });
    });
    try {
      if (path === '/health') {
        sendJson(res, 200, { status: 'ok', apps: options.apps.ids() });
        return true;
      }
      user = await authenticate(options.auth, requestToken(req, url));
      if (!user) {
        // caesar-rest returns the JSON as a string: text/html content type
        res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'WWW-Authenticate': 'Bearer', 'Content-Length': Buffer.byteLength(UNAUTHORIZED) });
        res.end(UNAUTHORIZED);
        req.resume();
        return true;
      }
      const rest = path.slice(API_PREFIX.length + 1);
      let methodMismatch = false;
      for (const [methods, re, handler] of table) {
        const m = re.exec(rest);
        if (!m) continue;
        if (!methods.includes(req.method ?? '')) {
          methodMismatch = true;
          continue;
        }
        const args = m.slice(1).map((s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        });
        await handler({ req, res, url, user, parts: rest.split('/') }, ...args);
        return true;
      }
      req.resume();
      sendHtmlError(res, methodMismatch ? 405 : 404);
    } catch (err) {
      log({ msg: 'unhandled error', level: 'error', method: req.method, path, error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendHtmlError(res, 500);
      else res.destroy();
    }
    return true;
  };
}

export interface RunningCaesarRest {
  url: string;
  port: number;
  /** Stop accepting, finish requests in flight (up to `graceMs`), then stop the job monitor. Jobs keep running. */
  close(graceMs?: number): Promise<void>;
}

export async function startCaesarRestServer(options: CaesarRestHandlerOptions & { host?: string; port?: number }): Promise<RunningCaesarRest> {
  const handle = createCaesarRestHandler(options);
  const log = options.log ?? stderrLogger;
  const server = createServer((req, res) => {
    void handle(req, res).then((done) => {
      if (!done) {
        req.resume();
        sendHtmlError(res, 404);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  log({ msg: 'listening', url: `${url}${API_PREFIX}`, auth: options.auth.mode, backend: options.profile.type });
  return {
    url,
    port: addr.port,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      // submissions in flight finish; queued ones stay on disk for the next start
      await options.queue.close();
      await options.jobs.dispose();
      log({ msg: 'stopped' });
    },
  };
}
