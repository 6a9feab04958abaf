/**
 * Jobs whose image is still being uploaded (caesar-rest submit): not in the database yet (a job is stored only
 * once the backend accepted it), but listed and shown with 'uploading n %' progress so a long upload of a survey
 * image is visible in the jobs panel. An event goes out only when the whole percentage changes.
 */
import type { JobRecord } from './jobsRepo';
import type { JobProgress, TransferProgress } from './types';

export class UploadTracker {
  private readonly pending = new Map<string, JobRecord>();

  /** `progressById` is the JobService's progress map (shared: the same record field carries both kinds). */
  constructor(
    private readonly progressById: Map<string, JobProgress>,
    private readonly emit: (job: JobRecord) => void,
  ) {}

  progress(job: JobRecord, p: TransferProgress): void {
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

  /** The backend accepted the job (the caller stores and announces it). */
  done(id: string): void {
    if (this.pending.delete(id)) this.progressById.delete(id);
  }

  /** The submission failed: a job that was shown uploading is announced as ended, then forgotten. */
  failed(id: string, why: string): void {
    const record = this.pending.get(id);
    if (!record) return;
    this.pending.delete(id);
    this.progressById.delete(id);
    this.emit({ ...record, state: 'FAILURE', finishedAt: new Date().toISOString(), messages: [...record.messages, why] });
  }
}
