/**
 * Wire helpers for the caesar-rest v1.0 service: Flask-like JSON (keys sorted, as `jsonify` does), Flask's
 * HTML error pages, timestamps in caesar-rest's formats, and request bodies read under a size limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const API_PREFIX = '/caesar/api/v1.0';

/** A user's usage as /accounting reports it (sizes in KiB as `du` counts them, runtimes in seconds). */
export interface Usage {
  datasize: number;
  jobsize: number;
  njobs: number;
  njobs_completed: number;
  njobs_failed: number;
  njobs_aborted: number;
  njobs_pending: number;
  njobs_running: number;
  njobs_unknown: number;
  job_runtime: number;
  job_completed_runtime: number;
}

/** Keys sorted recursively, as Flask's `jsonify` emits them. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(sortKeys(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const REASONS: Record<number, [string, string]> = {
  404: ['Not Found', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'],
  405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
  413: ['Request Entity Too Large', 'The data value transmitted exceeds the capacity limit.'],
  500: ['Internal Server Error', 'The server encountered an internal error and was unable to complete your request.'],
};

/** Flask/Werkzeug's HTML error page (caesar-rest answers 404/405/413/500 this way, never JSON). */
export function sendHtmlError(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const [title, text] = REASONS[status] ?? ['Error', ''];
  const html = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

/** `datetime.now().isoformat()`: server-local time, microseconds, no zone. */
export function localIsoNow(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

export class BodyTooLarge extends Error {}

/**
 * The whole body, refused with BodyTooLarge past `limit` bytes (Content-Length checked first, so an honest
 * client is refused before sending anything large).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(`body of ${declared} bytes exceeds ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
