/**
 * A remote caesar-rest v1.0 service (upstream or `cirasa serve`) as a job backend: submit = upload the image and
 * POST /job with the app's options (by app NAME: the service runs its own command); status from
 * /job/{id}/status with the states of api §6; outputs = the /output tarball extracted safely, file names carrying
 * the service's file id renamed to the local image's stem so the app's reader finds them as after a local run.
 * caesar-rest has no log route: logs are the job folder's log files once the tarball is here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import { CaesarRestClient, type JobStatusBody } from '../../../caesar-rest/client';
import { JOB_STATES, type JobState } from '../../types';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TransferOptions, TransferProgress } from '../../types';
import { extractTarGz } from './tarball';

export interface CaesarRestBackendOptions {
  /** Service root, e.g. `https://caesar.example.org` (the `/caesar/api/v1.0` prefix is added). */
  url: string;
  /** A fixed bearer token, or a source that renews one (OIDC). Absent: no Authorization header. */
  token?: string;
  tokens?: () => Promise<string | undefined>;
  /** Called on a 401 (OIDC: drop the cached token). */
  onUnauthorized?: () => void;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  /** Upload progress of `submit` (file = the image's local path). */
  onUploadProgress?: (p: TransferProgress) => void;
}

/** caesar-rest states (api §6) → ours; CLEARED, UNKNOWN and anything new are terminal: FAILURE, native kept. */
export function mapCaesarRestState(s: Pick<JobStatusBody, 'state' | 'status' | 'exit_code'>): JobStatus {
  const known = (JOB_STATES as readonly string[]).includes(s.state);
  const state: JobState = known ? (s.state as JobState) : 'FAILURE';
  const code = typeof s.exit_code === 'number' ? s.exit_code : Number(s.exit_code);
  const out: JobStatus = { state, native: s.state };
  // exit_code: -1 = not known; -s = killed by signal s (Celery); n ≥ 0 the exit status
  if (Number.isInteger(code) && code >= 0) out.exitCode = code;
  else if (Number.isInteger(code) && code < -1) out.signal = -code;
  if (s.status) out.reason = known ? s.status : `${s.status} (service state ${s.state})`;
  return out;
}

/** Option values as `job_inputs`: caesar-rest omits false flags itself; null/undefined are left out. */
export function toJobInputs(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** Upload tag naming a local file's identity (path, size, modification time): same tag = same bytes, in practice. */
export async function inputTag(path: string): Promise<string> {
  const st = await stat(path);
  return `cirasa-input:${createHash('sha256').update(`${resolve(path)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 32)}`;
}

function stem(name: string): string {
  return basename(name, extname(name));
}

export class CaesarRestBackend implements JobBackend {
  readonly kind = 'caesar-rest' as const;
  readonly client: CaesarRestClient;

  constructor(private readonly o: CaesarRestBackendOptions) {
    this.client = new CaesarRestClient({ baseUrl: o.url, ...(o.token ? { token: o.token } : {}), ...(o.tokens ? { tokens: o.tokens } : {}), ...(o.onUnauthorized ? { onUnauthorized: o.onUnauthorized } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  }

  async submit(spec: JobSpec, signal?: AbortSignal, onUploadProgress?: (p: TransferProgress) => void): Promise<string> {
    if (!spec.app) throw new AppError('validation', `caesar-rest runs finder apps by name, but job ${spec.name} names none`);
    // the first input is the image; the service stages nothing else (it builds its own command)
    const image = spec.inputs?.[0];
    if (!image) throw new AppError('validation', `caesar-rest job ${spec.name}: no input image`);
    signal?.throwIfAborted();
    // a survey image is uploaded once per service: later jobs on the same (unchanged) file reuse it by its tag
    const tag = await inputTag(image.localPath);
    const known = (await this.client.fileIds()).find((f) => f.tag === tag);
    const fileId = known?.fileid ?? (await this.upload(image.localPath, image.remoteName, tag, onUploadProgress, signal));
    const submit = (dataInputs: string) => this.client.submit({ app: spec.app!.id, jobInputs: toJobInputs(spec.app!.options), dataInputs, tag: spec.name });
    let uploaded = known ? undefined : fileId;
    try {
      signal?.throwIfAborted();
      let r;
      try {
        r = await submit(fileId);
      } catch (err) {
        // the reused file was deleted on the service meanwhile: upload it again, once
        if (!known || !(err instanceof AppError && err.code === 'validation' && /Cannot find file/.test(err.message))) throw err;
        uploaded = await this.upload(image.localPath, image.remoteName, tag, onUploadProgress, signal);
        r = await submit(uploaded);
      }
      if (!r.job_id) throw new AppError('jobs.submitFailed', `caesar-rest accepted job ${spec.name} without a job id (${r.status})`, { status: r.status });
      return r.job_id;
    } catch (err) {
      // nothing this submission uploaded remains on the service when it failed
      if (uploaded) await this.client.delete(uploaded).catch(() => undefined);
      if (err instanceof AppError && err.code === 'validation') {
        throw new AppError('jobs.submitFailed', `caesar-rest refused job ${spec.name}: ${err.message}`, err.details);
      }
      throw err;
    }
  }

  /** `perJob`: this submission's listener (the JobService's job progress), besides the backend-wide one. */
  private async upload(localPath: string, filename: string, tag: string, perJob?: (p: TransferProgress) => void, signal?: AbortSignal): Promise<string> {
    const listeners = [this.o.onUploadProgress, perJob].filter((f) => f !== undefined);
    const up = await this.client.upload(localPath, {
      filename, tag, ...(signal ? { signal } : {}),
      ...(listeners.length ? { onProgress: (sent: number, total: number) => listeners.forEach((f) => f({ file: localPath, transferredBytes: sent, totalBytes: total })) } : {}),
    });
    return up.uuid;
  }

  async status(nativeId: string): Promise<JobStatus> {
    try {
      return mapCaesarRestState(await this.client.status(nativeId));
    } catch (err) {
      // only the service's own JSON 404 means the job is gone; an HTML 404 is a wrong URL or proxy: keep the job
      if (err instanceof AppError && err.code === 'notFound' && !err.details?.serviceStatus) {
        throw new AppError('jobs.badResponse', `${err.message} (not the service's answer: check the profile URL)`, err.details);
      }
      throw err;
    }
  }

  async cancel(nativeId: string): Promise<void> {
    try {
      await this.client.cancel(nativeId);
    } catch (err) {
      // idempotent: a job the service no longer knows is not running
      if (err instanceof AppError && err.code === 'notFound' && err.details?.serviceStatus) return;
      throw err;
    }
  }

  async fetchLogs(job: JobRef): Promise<JobLogs> {
    const read = async (rel: string | undefined) => {
      if (!rel) return '';
      const p = join(job.spec.workdir, rel);
      return existsSync(p) ? readFile(p, 'utf8') : '';
    };
    if (!existsSync(join(job.spec.workdir, job.spec.stderrPath ?? 'stderr.log'))) {
      // the logs travel in the tarball, which exists once the job ended
      await this.fetchOutputs(job, job.spec.workdir).catch(() => undefined);
    }
    return { stdout: await read(job.spec.stdoutPath), stderr: await read(job.spec.stderrPath) };
  }

  async fetchOutputs(job: JobRef, localDir: string, options: TransferOptions = {}): Promise<string[]> {
    // unique: two monitors on one store (the app and `cirasa job`) may fetch the same job at once
    const archive = join(localDir, `.job_${job.nativeId.replace(/[^\w.-]/g, '_')}.${randomUUID()}.tar.gz`);
    let r;
    try {
      r = await this.client.output(job.nativeId, archive, (got, total) => options.onProgress?.({ file: `job/${job.nativeId}/output`, transferredBytes: got, totalBytes: total }));
    } catch (err) {
      await rm(archive, { force: true });
      if (err instanceof AppError && typeof err.details?.serviceStatus === 'string' && /Cannot find desired output/.test(err.details.serviceStatus)) {
        throw new AppError('jobs.outputsMissing', `caesar-rest job ${job.nativeId} has no output tarball: ${err.message}`, err.details);
      }
      throw err;
    }
    if (!r.ready) throw new AppError('jobs.outputsMissing', `caesar-rest job ${job.nativeId}: outputs not available yet (${r.status})`, { jobId: job.nativeId });
    let files: string[];
    try {
      files = (await extractTarGz(archive, localDir, { stripTop: true })).files;
    } finally {
      await rm(archive, { force: true });
    }
    return this.renameToLocalStem(job, files);
  }

  /**
   * CAESAR names outputs after the stored input `<fileid>.<ext>`; the local reader expects the local image's
   * stem. The file id is found from the job list (`data_inputs`).
   */
  private async renameToLocalStem(job: JobRef, files: string[]): Promise<string[]> {
    const image = job.spec.inputs?.[0];
    if (!image) return files;
    const fileId = await this.client.jobs().then(
      (list) => list.find((j) => j.job_id === job.nativeId)?.data_inputs,
      () => undefined,
    );
    if (typeof fileId !== 'string' || !/^[0-9a-f]{32}$/.test(fileId)) return files;
    const local = stem(image.remoteName);
    const out: string[] = [];
    for (const f of files) {
      const name = basename(f);
      if (!name.includes(fileId)) {
        out.push(f);
        continue;
      }
      const target = join(dirname(f), name.split(fileId).join(local));
      await rename(f, target);
      out.push(target);
    }
    return out;
  }

  async close(): Promise<void> {}
}

