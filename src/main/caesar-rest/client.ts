/**
 * Client of a caesar-rest v1.0 service (ours or upstream), following caesar-rest-api.md: bodies may be HTML on
 * errors, 401 bodies are JSON in text/html, catalogue JSON may carry `Infinity`/`NaN` tokens, output routes
 * answer 202 while the job is unfinished. Errors: 401 → jobs.authFailed, 404 → notFound, 413 →
 * jobs.uploadTooLarge, 400/415 → validation, 5xx and unreachable hosts → jobs.backendUnreachable.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/contract/errors';
import { parseTolerantJson } from './tolerantJson';
import type { DescribedOption } from './describe';
import type { FileRecord } from './namespaces';
import type { Usage } from './wire';

export interface CaesarRestClientOptions {
  /** Service root, e.g. `http://host:8080` (the `/caesar/api/v1.0` prefix is added). */
  baseUrl: string;
  token?: string;
  /** Asked before every request (an OIDC token that renews itself); wins over `token`. */
  tokens?: () => Promise<string | undefined>;
  /** Told about every 401 (an OIDC source then forgets its token, so the next request gets a fresh one). */
  onUnauthorized?: () => void;
  /** Per-request timeout (no response headers within it → jobs.backendUnreachable); default 60 s. */
  timeoutMs?: number;
}

export interface UploadResult { uuid: string; filename_orig: string; format: string; size: number; date: string; tag: string; status: string }
export interface SubmitRequest { app: string; jobInputs: Record<string, unknown>; dataInputs: string; tag?: string }
export interface SubmitResult { job_id: string; submit_date: string; app: string; job_inputs: Record<string, unknown>; data_inputs: string; tag: string; state: string; status: string }
export interface JobStatusBody { job_id: string; pid: string | number; state: string; status: string; exit_code: number; elapsed_time: string | number; tag: string }
/** /accounting's answer: a service may leave out the sizes. */
export type Accounting = Omit<Usage, 'datasize' | 'jobsize'> & Partial<Pick<Usage, 'datasize' | 'jobsize'>> & {
  /** HTTP date (UTC). */
  timestamp: string;
};
/** An output route's answer: the value, or 202 "not yet". */
export type OutputResult<T> = { ready: true; value: T } | { ready: false; status: string };

export const NON_TERMINAL_STATES = ['PENDING', 'STARTED', 'RUNNING'];
/** Refused client-side, as the reference service's limit (api §9). */
export const MAX_UPLOAD_BYTES = 1000 * 1024 * 1024;

interface Raw { status: number; headers: IncomingMessage['headers']; body: Buffer }

export class CaesarRestClient {
  private readonly api: URL;
  constructor(private readonly options: CaesarRestClientOptions) {
    this.api = new URL(options.baseUrl.replace(/\/+$/, '') + '/caesar/api/v1.0/');
  }

  private async bearer(): Promise<string | undefined> {
    return this.options.tokens ? this.options.tokens() : this.options.token;
  }

  private open(method: string, path: string, headers: Record<string, string | number>, token: string | undefined, onResponse: (res: IncomingMessage) => void, onError: (e: Error) => void) {
    const url = new URL(path, this.api);
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method, headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    }, onResponse);
    req.setTimeout(this.options.timeoutMs ?? 60_000, () => req.destroy(new Error(`no answer within ${this.options.timeoutMs ?? 60_000} ms`)));
    req.on('error', (e) => onError(new AppError('jobs.backendUnreachable', `caesar-rest ${url.origin}: ${method} ${url.pathname}: ${e.message}`, { url: url.href })));
    return req;
  }

  /** One request, the whole answer buffered; `send` writes the body (default: none). */
  private async call(method: string, path: string, headers: Record<string, string | number> = {}, send?: (req: import('node:http').ClientRequest) => void): Promise<Raw> {
    const token = await this.bearer();
    return new Promise<Raw>((resolve, reject) => {
      const req = this.open(method, path, headers, token, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        // a connection dropped mid-body
        res.on('error', (e) => reject(new AppError('jobs.backendUnreachable', `caesar-rest ${method} ${path}: ${e.message}`, { path })));
      }, reject);
      if (send) send(req);
      else req.end();
    });
  }

  /** Turn a non-success answer into the AppError the brief names, quoting the service's `status` when JSON. */
  private fail(method: string, path: string, r: Raw): never {
    const text = r.body.toString('utf8');
    let detail = text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
    let json = false;
    try {
      const j = JSON.parse(text) as { status?: string; error_description?: string };
      detail = j.status || j.error_description || detail;
      json = true;
    } catch {
      // HTML or text body: its text is the detail
    }
    const msg = `caesar-rest ${method} ${path}: HTTP ${r.status}${detail ? ` – ${detail}` : ''}`;
    // `serviceStatus` only when the service itself answered in JSON (an HTML 404 is a wrong route, not a gone job)
    const details = { status: r.status, path, ...(json ? { serviceStatus: detail } : {}) };
    if (r.status === 401 || r.status === 403) {
      if (r.status === 401) this.options.onUnauthorized?.();
      throw new AppError('jobs.authFailed', msg, details);
    }
    if (r.status === 404) throw new AppError('notFound', msg, details);
    if (r.status === 413) throw new AppError('jobs.uploadTooLarge', msg, details);
    if (r.status === 400 || r.status === 415) throw new AppError('validation', msg, details);
    if (r.status >= 500) throw new AppError('jobs.backendUnreachable', msg, details);
    throw new AppError('jobs.badResponse', msg, details);
  }

  private parse<T>(method: string, path: string, r: Raw): T {
    try {
      return parseTolerantJson(r.body.toString('utf8')) as T;
    } catch (err) {
      throw new AppError('jobs.badResponse', `caesar-rest ${method} ${path}: HTTP ${r.status} body is not JSON (${(err as Error).message})`, { status: r.status, path });
    }
  }

  private async json<T>(method: string, path: string, ok: number[] = [200], body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const r = await this.call(method, path, payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}, payload ? (req) => req.end(payload) : undefined);
    if (!ok.includes(r.status)) this.fail(method, path, r);
    return this.parse<T>(method, path, r);
  }

  /**
   * Upload a file (multipart part `file`); `onProgress` gets bytes sent so far and the total. `signal` stops the
   * upload (the connection is closed: the service keeps nothing) and rejects with `cancelled`.
   */
  async upload(file: string, opts: { tag?: string; filename?: string; onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {}): Promise<UploadResult> {
    opts.signal?.throwIfAborted();
    const size = (await stat(file)).size;
    if (size > MAX_UPLOAD_BYTES) throw new AppError('jobs.uploadTooLarge', `${file}: ${size} bytes is over the service's ${MAX_UPLOAD_BYTES}-byte limit`, { file });
    const boundary = `----cirasa${Math.random().toString(16).slice(2)}${Date.now()}`;
    const name = (opts.filename ?? basename(file)).replace(/["\r\n]/g, '_');
    const head = Buffer.from(
      (opts.tag !== undefined ? `--${boundary}\r\nContent-Disposition: form-data; name="tag"\r\n\r\n${opts.tag}\r\n` : '') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const total = head.length + size + tail.length;
    const sending = this.call('POST', 'upload', { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': total }, (req) => {
      const stop = () => req.destroy(new Error('upload cancelled'));
      opts.signal?.addEventListener('abort', stop, { once: true });
      req.on('close', () => opts.signal?.removeEventListener('abort', stop));
      let sent = 0;
      const progress = (n: number) => {
        sent += n;
        opts.onProgress?.(sent, total);
      };
      req.write(head);
      progress(head.length);
      const rs = createReadStream(file);
      rs.on('data', (c) => {
        if (!req.write(c)) {
          rs.pause();
          req.once('drain', () => rs.resume());
        }
        progress(c.length);
      });
      rs.on('end', () => {
        req.end(tail);
        progress(tail.length);
      });
      rs.on('error', (e) => req.destroy(e));
      // a server refusing early (413) may answer before it read everything: stop sending then
      req.on('response', () => rs.destroy());
      req.on('close', () => rs.destroy());
    });
    const r = await sending.catch((err: unknown) => {
      if (opts.signal?.aborted) throw new AppError('cancelled', `caesar-rest upload of ${file} cancelled`, { file });
      throw err;
    });
    if (r.status !== 200) this.fail('POST', 'upload', r);
    return this.parse<UploadResult>('POST', 'upload', r);
  }

  fileIds(): Promise<FileRecord[]> {
    return this.json('GET', 'fileids');
  }

  /** Save a file to `dest`; answers `dest`. */
  async download(fileid: string, dest: string): Promise<string> {
    await this.save(`download/${encodeURIComponent(fileid)}`, dest);
    return dest;
  }

  async delete(fileid: string): Promise<void> {
    await this.json('POST', `delete/${encodeURIComponent(fileid)}`);
  }

  async apps(): Promise<string[]> {
    return (await this.json<{ apps: string[] }>('GET', 'apps')).apps;
  }

  describe(app: string): Promise<Record<string, DescribedOption>> {
    return this.json('GET', `app/${encodeURIComponent(app)}/describe`);
  }

  submit(req: SubmitRequest): Promise<SubmitResult> {
    return this.json('POST', 'job', [202], { app: req.app, job_inputs: req.jobInputs, data_inputs: req.dataInputs, ...(req.tag !== undefined ? { tag: req.tag } : {}) });
  }

  jobs(): Promise<Record<string, unknown>[]> {
    return this.json('GET', 'jobs');
  }

  status(jobId: string): Promise<JobStatusBody> {
    return this.json('GET', `job/${encodeURIComponent(jobId)}/status`);
  }

  /** Poll the status until a terminal state (anything but PENDING/STARTED/RUNNING); throws `cancelled` on abort. */
  async waitForJob(jobId: string, opts: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal; onStatus?: (s: JobStatusBody) => void } = {}): Promise<JobStatusBody> {
    const until = Date.now() + (opts.timeoutMs ?? Infinity);
    for (;;) {
      if (opts.signal?.aborted) throw new AppError('cancelled', `Stopped waiting for job ${jobId}`);
      const s = await this.status(jobId);
      opts.onStatus?.(s);
      if (!NON_TERMINAL_STATES.includes(s.state)) return s;
      if (Date.now() > until) throw new AppError('jobs.badResponse', `Job ${jobId} still ${s.state} after ${opts.timeoutMs} ms`, { jobId });
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 5000));
    }
  }

  async cancel(jobId: string): Promise<string> {
    return (await this.json<{ status: string }>('POST', `job/${encodeURIComponent(jobId)}/cancel`)).status;
  }

  /** The island catalogue (CAESAR JSON, api §7.5), or "not yet" while the job runs. */
  async sources(jobId: string): Promise<OutputResult<{ metadata: unknown; sources: Record<string, unknown>[] }>> {
    return this.output202(jobId, 'sources');
  }

  /** The component catalogue (`{components}`, api §7.6), or "not yet". */
  async components(jobId: string): Promise<OutputResult<{ components: Record<string, unknown>[] }>> {
    return this.output202(jobId, 'source-components');
  }

  private async output202<T>(jobId: string, route: string): Promise<OutputResult<T>> {
    const path = `job/${encodeURIComponent(jobId)}/${route}`;
    const r = await this.call('GET', path);
    if (r.status === 202) return { ready: false, status: this.parse<{ status: string }>('GET', path, r).status };
    if (r.status !== 200) this.fail('GET', path, r);
    return { ready: true, value: this.parse<T>('GET', path, r) };
  }

  /** The island (`sources`) or component ASCII table (api §7.3, §7.4) saved to `dest`, or "not yet". */
  async asciiCatalogue(jobId: string, kind: 'sources' | 'components', dest: string): Promise<OutputResult<string>> {
    const status = await this.save(`job/${encodeURIComponent(jobId)}/output-${kind}`, dest, true);
    return status === undefined ? { ready: true, value: dest } : { ready: false, status };
  }

  /** The summary plot (PNG bytes, from `/preview`'s base64), or "not yet". */
  async preview(jobId: string): Promise<OutputResult<Buffer>> {
    const r = await this.output202<{ status: string; image: string }>(jobId, 'preview');
    return r.ready ? { ready: true, value: Buffer.from(r.value.image, 'base64') } : r;
  }

  /** The caller's usage (api §3.12): sizes in KiB, runtimes in s, job counts by state. */
  accounting(): Promise<Accounting> {
    return this.json('GET', 'accounting');
  }

  /** Service-wide statistics (api §3.12). */
  appstats(): Promise<Accounting & { nusers: number; totsize: number; avg_completed_job_runtime: number }> {
    return this.json('GET', 'appstats');
  }

  /** The job's tar.gz saved to `dest`, or "not yet". */
  async output(jobId: string, dest: string, onProgress?: (received: number, total: number) => void): Promise<OutputResult<string>> {
    const path = `job/${encodeURIComponent(jobId)}/output`;
    const status = await this.save(path, dest, true, onProgress);
    return status === undefined ? { ready: true, value: dest } : { ready: false, status };
  }

  /** Stream a 200 attachment to `dest`; with `allow202`, answers the 202 status text instead. */
  private async save(path: string, dest: string, allow202 = false, onProgress?: (received: number, total: number) => void): Promise<string | undefined> {
    const token = await this.bearer();
    return new Promise<string | undefined>((resolve, reject) => {
      const req = this.open('GET', path, {}, token, (res) => {
        const code = res.statusCode ?? 0;
        if (code === 200) {
          if (onProgress) {
            const total = Number(res.headers['content-length'] ?? 0);
            let got = 0;
            res.on('data', (c: Buffer) => onProgress((got += c.length), total));
          }
          pipeline(res, createWriteStream(dest)).then(() => resolve(undefined), (e: Error) => reject(new AppError('jobs.backendUnreachable', `caesar-rest GET ${path}: ${e.message}`)));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = { status: code, headers: res.headers, body: Buffer.concat(chunks) };
          try {
            if (code === 202 && allow202) resolve(this.parse<{ status: string }>('GET', path, raw).status);
            else this.fail('GET', path, raw);
          } catch (err) {
            reject(err);
          }
        });
      }, reject);
      req.end();
    });
  }
}
