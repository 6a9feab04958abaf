/** A small multipart/form-data parser for the upload route (the body is already read under the size limit). */

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function param(header: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, 'i').exec(header);
  return m ? m[1]!.replace(/\\(.)/g, '$1').trim() : undefined;
}

/** Parts in order; malformed input gives the parts that could be read (the route then reports a missing field). */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) break;
    const headers = body.subarray(start, headerEnd).toString('utf8').split('\r\n');
    let disposition = '';
    let contentType: string | undefined;
    for (const h of headers) {
      const i = h.indexOf(':');
      const k = h.slice(0, i).trim().toLowerCase();
      if (k === 'content-disposition') disposition = h.slice(i + 1);
      else if (k === 'content-type') contentType = h.slice(i + 1).trim();
    }
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name !== undefined) {
      parts.push({ name, data: body.subarray(headerEnd + 4, next), ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) });
    }
    pos = next + 2;
  }
  return parts;
}

/** Werkzeug's `secure_filename`: ASCII only, path separators and odd characters gone, spaces → `_`, no leading dots. */
export function secureFilename(name: string): string {
  let s = name.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  s = s.replace(/[/\\]/g, ' ');
  s = s.split(/\s+/).filter(Boolean).join('_');
  s = s.replace(/[^A-Za-z0-9_.-]/g, '').replace(/^[._]+|[._]+$/g, '');
  return s;
}
