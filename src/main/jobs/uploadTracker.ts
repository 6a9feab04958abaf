/**
 * Jobs whose image is still being uploaded (caesar-rest submit): not in the database yet (a job is stored only
 * once the backend accepted it), but listed and shown with 'uploading n %' progress so a long upload of a survey
 * image is visible in the jobs panel, and can be cancelled (the upload stops). An event goes out only when the
 * whole percentage changes.
 */
import type { JobRecord } from './jobsRepo';
import type { JobProgress, TransferProgress } from './types';

export class UploadTracker {
  private readonly pending = new Map<string, JobRecord>();
  private readonly controllers = new Map<string, AbortController>();

  /** `progressById` is the JobService's progress map (shared: the same record field carries both kinds). */
  constructor(
    private readonly progressById: Map<string, JobProgress>,
    private readonly emit: (job: JobRecord) => void,
  ) {}

  /** A submission starts: the signal its backend call stops on when the user cancels the upload. */
  begin(id: string): AbortSignal {
    const c = new AbortController();
    this.controllers.set(id, c);
    return c.signal;
  }

  progress(job: JobRecord, p: TransferProgress): void {
    if (this.controllers.get(job.id)?.signal.aborted) return;
    const fraction = p.totalBytes > 0 ? Math.min(1, p.transferredBytes / p.totalBytes) : 0;
    const text = `uploading ${Math.floor(fraction * 100)} %`;
    if (this.progressById.get(job.id)?.text === text) return;
    const record = this.pending.get(job.id) ?? { ...job, nativeState: 'UPLOADING' };
    this.pending.set(job.id, record);
    this.progressById.set(job.id, { fraction, text });
    this.emit(record);
  }

  get(id: string): JobRecord | undefined {
    return this.pending.get(id);
  }

  list(): JobRecord[] {
    return [...this.pending.values()];
  }

  /** The user cancels a job still uploading: stop it; answers the ended record (undefined: not uploading). */
  cancel(id: string): JobRecord | undefined {
    const record = this.pending.get(id);
    if (!record) return undefined;
    this.controllers.get(id)?.abort();
    return this.end(id, { ...record, state: 'CANCELED', nativeState: 'CANCELLED', finishedAt: new Date().toISOString(), messages: [...record.messages, 'cancelled by the user during the upload'] });
  }

  /** The backend accepted the job (the caller stores and announces it). Answers whether it was cancelled meanwhile. */
  done(id: string): boolean {
    const cancelled = this.controllers.get(id)?.signal.aborted ?? false;
    this.controllers.delete(id);
    if (this.pending.delete(id)) this.progressById.delete(id);
    return cancelled;
  }

  /**
   * The submission failed: a job that was shown uploading is announced as ended, then forgotten. Answers whether
   * it failed because the user cancelled it (already announced CANCELED).
   */
  failed(id: string, why: string): boolean {
    const aborted = this.controllers.get(id)?.signal.aborted ?? false;
    this.controllers.delete(id);
    const record = this.pending.get(id);
    if (record && !aborted) this.end(id, { ...record, state: 'FAILURE', finishedAt: new Date().toISOString(), messages: [...record.messages, why] });
    return aborted;
  }

  private end(id: string, ended: JobRecord): JobRecord {
    this.pending.delete(id);
    this.progressById.delete(id);
    this.emit(ended);
    return ended;
  }
}
