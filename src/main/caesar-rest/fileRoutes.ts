/** Upload, list, download and delete (api §3.1–3.4), in the caller's namespace. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RouteCall, ServiceContext } from './context';
import { multipartBoundary, parseMultipart, secureFilename } from './multipart';
import { API_PREFIX, BodyTooLarge, localIsoNow, readBody, sendHtmlError, sendJson } from './wire';

const ALLOWED = ['png', 'jpg', 'jpeg', 'gif', 'fits'];
const MIME: Record<string, string> = { fits: 'image/fits', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' };

function uploadError(call: RouteCall, status: number, message: string): void {
  sendJson(call.res, status, { uuid: '', filename_orig: '', format: '', size: '', date: '', tag: '', status: message });
}

export async function upload(ctx: ServiceContext, call: RouteCall): Promise<void> {
  const boundary = multipartBoundary(call.req.headers['content-type']);
  let body: Buffer;
  try {
    body = await readBody(call.req, ctx.maxUploadBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      // answer, then drop the connection: the rest of a huge body is not worth reading
      sendHtmlError(call.res, 413, { Connection: 'close' });
      call.req.resume();
      return;
    }
    throw err;
  }
  if (!boundary) return uploadError(call, 400, 'Missing file field in request!');
  const parts = parseMultipart(body, boundary);
  const file = parts.find((p) => p.name === 'file');
  if (!file) return uploadError(call, 400, 'Missing file field in request!');
  if (!file.filename) return uploadError(call, 400, 'No file selected for uploading');
  const name = secureFilename(file.filename);
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1) : '';
  if (!ALLOWED.includes(ext.toLowerCase())) {
    return uploadError(call, 415, `File format not allowed, allowed file types are: {${ALLOWED.join('|')}}`);
  }
  const tag = parts.find((p) => p.name === 'tag')?.data.toString('utf8') ?? '';
  const fileid = ctx.spaces.newFileId();
  const date = localIsoNow();
  const rec = await ctx.spaces.addFile(call.user, fileid, ext, file.data, { filename_orig: name, filedate: date, tag });
  sendJson(call.res, 200, { uuid: fileid, filename_orig: name, format: ext, size: rec.filesize, date, tag, status: 'File uploaded with success' });
}

export async function fileIds(ctx: ServiceContext, call: RouteCall): Promise<void> {
  sendJson(call.res, 200, await ctx.spaces.listFiles(call.user));
}

const notFound = (id: string) => ({ status: `File with uuid ${id} not found on the system!` });

export async function download(ctx: ServiceContext, call: RouteCall, fileid: string): Promise<void> {
  const f = await ctx.spaces.file(call.user, fileid);
  if (!f) return sendJson(call.res, 404, notFound(fileid));
  const size = (await stat(f.path)).size;
  call.res.writeHead(200, {
    'Content-Type': MIME[f.record.fileext.toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename=${fileid}.${f.record.fileext}`,
  });
  createReadStream(f.path).pipe(call.res);
}

/** `/download?uuid=` (or a urlencoded form field): 302 to `/download/{uuid}`. */
export async function downloadRedirect(call: RouteCall): Promise<void> {
  let id = call.url.searchParams.get('uuid');
  if (!id && call.req.method === 'POST') {
    const body = await readBody(call.req, 64 * 1024);
    id = new URLSearchParams(body.toString('utf8')).get('uuid');
  }
  if (!id) return sendHtmlError(call.res, 404);
  call.res.writeHead(302, { Location: `${API_PREFIX}/download/${encodeURIComponent(id)}`, 'Content-Length': 0 });
  call.res.end();
}

export async function deleteFile(ctx: ServiceContext, call: RouteCall, fileid: string): Promise<void> {
  if (!(await ctx.spaces.deleteFile(call.user, fileid))) return sendJson(call.res, 404, notFound(fileid));
  sendJson(call.res, 200, { status: 'File deleted and removed from DB' });
}
