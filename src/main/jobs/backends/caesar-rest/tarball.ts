/**
 * Safe extraction of a caesar-rest `/output` tarball (gzip-compressed tar, top folder `job_<id>/`). Only regular
 * files and directories are written; links and devices are skipped; a member whose path is absolute or climbs
 * out with `..` refuses the whole archive (a service must not write outside the job's folder). Handles ustar
 * prefixes, GNU long names (`L`) and pax `path` records, which GNU tar and Python's tarfile emit for long names.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../../shared/contract/errors';

const BLOCK = 512;

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    }
    return this.buf.length >= n;
  }

  /** Exactly n bytes, or null at the end of the stream. */
  async take(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) return null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** n bytes in pieces (for file bodies that may be large). */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill(1))) throw new Error('archive ends inside a member');
      const piece = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }
}

function cstr(b: Buffer, from: number, len: number): string {
  const s = b.subarray(from, from + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? s.length : end).toString('utf8');
}

function octal(b: Buffer, from: number, len: number): number {
  const f = b.subarray(from, from + len);
  if (f[0]! & 0x80) {
    // GNU base-256 for sizes ≥ 8 GiB
    let v = 0;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    return v;
  }
  const t = cstr(f, 0, len).trim();
  return t ? parseInt(t, 8) : 0;
}

function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    if (sp < 0) break;
    const len = Number(data.subarray(at, sp).toString('ascii'));
    if (!(len > 0)) break;
    const rec = data.subarray(sp + 1, at + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (rec.slice(0, eq) === 'path') path = rec.slice(eq + 1);
    at += len;
  }
  return path;
}

/** The member's path relative to the destination, or undefined for the top folder itself; throws on escapes. */
export function safeMemberPath(archive: string, name: string, stripTop: boolean): string | undefined {
  if (/^([\\/]|[A-Za-z]:)/.test(name)) throw new AppError('jobs.badResponse', `${archive}: member '${name}' has an absolute path; archive refused`, { file: archive, member: name });
  const parts = name.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new AppError('jobs.badResponse', `${archive}: member '${name}' climbs out with '..'; archive refused`, { file: archive, member: name });
  const kept = stripTop ? parts.slice(1) : parts;
  return kept.length ? kept.join('/') : undefined;
}

export interface ExtractResult {
  /** Local paths of the files written. */
  files: string[];
  /** Members not written (links, devices), by name. */
  skipped: string[];
}

/**
 * Extract `archive` (tar.gz) into `destDir`; `stripTop` drops the first path segment (caesar-rest's `job_<id>/`).
 * Throws `jobs.badResponse` for a corrupt archive or a member escaping `destDir`.
 */
export async function extractTarGz(archive: string, destDir: string, opts: { stripTop?: boolean } = {}): Promise<ExtractResult> {
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const gunzip = createReadStream(archive).pipe(createGunzip());
  const reader = new ByteReader(gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const result: ExtractResult = { files: [], skipped: [] };
  let longName: string | undefined;
  let pax: string | undefined;
  try {
    for (;;) {
      const h = await reader.take(BLOCK);
      if (!h || h.every((b) => b === 0)) break;
      const size = octal(h, 124, 12);
      const type = String.fromCharCode(h[156]!);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === 'L' || type === 'x') {
        const data = await reader.take(size + pad);
        if (!data) throw new Error('archive ends inside a header extension');
        if (type === 'L') longName = cstr(data, 0, size);
        else pax = paxPath(data.subarray(0, size)) ?? pax;
        continue;
      }
      const prefix = h.subarray(257, 262).toString('ascii') === 'ustar' ? cstr(h, 345, 155) : '';
      const name = pax ?? longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
      longName = pax = undefined;
      const isFile = type === '0' || type === '\0' || type === '7';
      const rel = type === 'g' ? undefined : safeMemberPath(archive, name, opts.stripTop ?? false);
      const target = rel ? join(root, ...rel.split('/')) : undefined;
      if (target && !target.startsWith(root + sep)) throw new AppError('jobs.badResponse', `${archive}: member '${name}' leaves ${root}`, { file: archive, member: name });
      if (type === '5' && target) await mkdir(target, { recursive: true });
      let fh: FileHandle | undefined;
      if (isFile && target) {
        await mkdir(dirname(target), { recursive: true });
        fh = await open(target, 'w');
        result.files.push(target);
      } else if (!isFile && type !== '5' && type !== 'g' && rel) {
        result.skipped.push(name);
      }
      try {
        for await (const piece of reader.stream(size)) if (fh) await fh.write(piece);
      } finally {
        await fh?.close();
      }
      if (pad && !(await reader.take(pad))) throw new Error('archive ends inside padding');
    }
  } catch (err) {
    gunzip.destroy();
    if (err instanceof AppError) throw err;
    throw new AppError('jobs.badResponse', `${archive}: not a readable tar.gz (${(err as Error).message})`, { file: archive });
  }
  return result;
}
