/**
 * Per-user namespaces on disk: uploads in `<dataDir>/<user>/<fileid>.<ext>` with a `<fileid>.json` record
 * beside, and job ownership records in `<jobDir>/<user>/job_<jobid>.json`. A record exists only under its
 * owner's folder, so another user's id is simply not found. Ids are checked against their generated shape
 * before any path is built (no traversal).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueuedSubmission } from './submitQueue';

/** `uuid4().hex`. */
export const FILE_ID = /^[0-9a-f]{32}$/;
/** Our job ids are the JobService's (uuid with dashes); caesar-rest clients treat them as opaque. */
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface FileRecord {
  fileid: string;
  filename_orig: string;
  fileext: string;
  /** MiB. */
  filesize: number;
  filedate: string;
  tag: string;
  metadata: string;
}

export interface JobOwnership {
  job_id: string;
  submit_date: string;
  app: string;
  /** As the client sent them (caesar-rest echoes them before casting). */
  job_inputs: Record<string, unknown>;
  data_inputs: string;
  tag: string;
  /** The JobService's id once submitted (older records: job_id itself). Never sent to clients. */
  service_id?: string;
  /** The submission waiting in the queue (kept on disk so a restart resubmits it). */
  queued?: QueuedSubmission;
  /** Why the queued submission failed (the job is ABORTED). */
  submit_error?: string;
  /** Cancelled before it was submitted. */
  canceled?: boolean;
}

/**
 * Records are a few hundred bytes: synchronous I/O costs tens of µs, while each async call queues on libuv's four
 * threads behind every other request's (100 parallel submissions: ~6 pool round trips each).
 */
function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export class Namespaces {
  private readonly madeDirs = new Set<string>();
  constructor(
    private readonly dataDir: string,
    private readonly jobDir: string,
  ) {}

  newFileId(): string {
    return randomUUID().replace(/-/g, '');
  }

  private userData(user: string): string {
    return join(this.dataDir, user);
  }

  /** Store an upload; answers its record. */
  async addFile(user: string, fileid: string, ext: string, data: Buffer, rec: Omit<FileRecord, 'fileid' | 'fileext' | 'filesize' | 'metadata'>): Promise<FileRecord> {
    const dir = this.userData(user);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${fileid}.${ext}`), data);
    const record: FileRecord = { ...rec, fileid, fileext: ext, filesize: data.length / (1024 * 1024), metadata: '' };
    writeJsonAtomic(join(dir, `${fileid}.json`), record);
    return record;
  }

  async listFiles(user: string): Promise<FileRecord[]> {
    const dir = this.userData(user);
    if (!existsSync(dir)) return [];
    const names = (await readdir(dir)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n));
    const recs = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as FileRecord));
    return recs.sort((a, b) => a.filedate.localeCompare(b.filedate));
  }

  /** The record and stored path of the user's file, or undefined (bad id shape, other user, gone from disk). */
  async file(user: string, fileid: string): Promise<{ record: FileRecord; path: string } | undefined> {
    if (!FILE_ID.test(fileid)) return undefined;
    const record = readJson<FileRecord>(join(this.userData(user), `${fileid}.json`));
    if (!record) return undefined;
    const path = join(this.userData(user), `${fileid}.${record.fileext}`);
    return existsSync(path) ? { record, path } : undefined;
  }

  async deleteFile(user: string, fileid: string): Promise<boolean> {
    const f = await this.file(user, fileid);
    if (!f) return false;
    await rm(f.path, { force: true });
    await rm(join(this.userData(user), `${fileid}.json`), { force: true });
    return true;
  }

  async addJob(user: string, job: JobOwnership): Promise<void> {
    const dir = join(this.jobDir, user);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    writeJsonAtomic(join(dir, `job_${job.job_id}.json`), job);
  }

  private readonly locks = new Map<string, Promise<unknown>>();

  /**
   * Read-modify-write of a job record, one at a time per job in this process (the cancel route and the submission
   * queue both change it). `fn` answers the new record, or undefined to leave it; answers what was written.
   */
  async mutateJob(user: string, jobid: string, fn: (rec: JobOwnership) => Promise<JobOwnership | undefined> | JobOwnership | undefined): Promise<JobOwnership | undefined> {
    const key = `${user}/${jobid}`;
    const run = (this.locks.get(key) ?? Promise.resolve()).then(async () => {
      const rec = await this.job(user, jobid);
      if (!rec) return undefined;
      const next = await fn(rec);
      if (next) writeJsonAtomic(join(this.jobDir, user, `job_${jobid}.json`), next);
      return next ?? rec;
    });
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  async job(user: string, jobid: string): Promise<JobOwnership | undefined> {
    if (!JOB_ID.test(jobid)) return undefined;
    return readJson<JobOwnership>(join(this.jobDir, user, `job_${jobid}.json`));
  }

  /** Every namespace that has files or jobs (for service-wide statistics). */
  async users(): Promise<string[]> {
    const names = new Set<string>();
    for (const root of [this.dataDir, this.jobDir]) {
      if (!existsSync(root)) continue;
      for (const e of await readdir(root, { withFileTypes: true })) {
        // the job directory also holds the job service's own folders and database
        if (e.isDirectory() && /^[A-Za-z0-9_-]+$/.test(e.name) && !['jobs', 'tarballs'].includes(e.name)) names.add(e.name);
      }
    }
    return [...names].sort();
  }

  /** The user's upload folder, when it exists. */
  dataDirOf(user: string): string | undefined {
    const d = this.userData(user);
    return existsSync(d) ? d : undefined;
  }

  async listJobs(user: string): Promise<JobOwnership[]> {
    const dir = join(this.jobDir, user);
    if (!existsSync(dir)) return [];
    const names = (await readdir(dir)).filter((n) => /^job_.+\.json$/.test(n));
    const recs = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as JobOwnership));
    return recs.sort((a, b) => a.submit_date.localeCompare(b.submit_date));
  }
}
