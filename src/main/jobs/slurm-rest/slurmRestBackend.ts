import { AppError } from '../../../shared/contract/errors';
import type { RemoteFiles } from '../remoteFiles';
import { expandSlurmPattern, joinRemote, logPatterns, renderScript } from '../script';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TaskStatus, TransferOptions } from '../types';
import { buildSubmitBody } from './shapes';
import { SlurmRestClient, type SlurmRestClientOptions } from './slurmRestClient';

export interface SlurmRestBackendOptions extends SlurmRestClientOptions {
  /** How this machine reaches the cluster's files: a shared-filesystem mapping (MappedFiles) or SFTP staging. */
  files: RemoteFiles;
  /** Partition when the spec names none (else the cluster's default). */
  defaultPartition?: string;
}

/** Jobs through slurmrestd (REST + JWT); inputs, logs and outputs through `files`. */
export class SlurmRestBackend implements JobBackend {
  readonly kind = 'slurm-rest' as const;
  readonly client: SlurmRestClient;

  constructor(private readonly options: SlurmRestBackendOptions) {
    this.client = new SlurmRestClient(options);
  }

  async submit(spec: JobSpec, signal?: AbortSignal): Promise<string> {
    const script = renderScript(spec);
    const version = await this.client.version(signal);
    // stage before submitting: a job must never start without its inputs
    await this.options.files.mkdirp(spec.workdir);
    for (const input of spec.inputs ?? []) {
      await this.options.files.upload(input.localPath, joinRemote(spec.workdir, input.remoteName), signal ? { signal } : {});
    }
    const withPartition: JobSpec =
      spec.resources?.partition === undefined && this.options.defaultPartition !== undefined
        ? { ...spec, resources: { ...spec.resources, partition: this.options.defaultPartition } }
        : spec;
    return this.client.submit(buildSubmitBody(withPartition, script, logPatterns(spec), version), signal);
  }

  async status(nativeId: string, signal?: AbortSignal): Promise<JobStatus> {
    const { jobId: _id, name: _n, stdout: _o, stderr: _e, workdir: _w, ...status } = await this.client.job(nativeId, signal);
    return status;
  }

  arrayStatus(arrayId: string, signal?: AbortSignal): Promise<TaskStatus[]> {
    return this.client.arrayTasks(arrayId, signal);
  }

  cancel(nativeId: string, signal?: AbortSignal): Promise<void> {
    return this.client.cancel(nativeId, signal);
  }

  async fetchLogs(job: JobRef, signal?: AbortSignal): Promise<JobLogs> {
    const p = logPatterns(job.spec);
    const read = async (pattern: string): Promise<string> =>
      (await this.options.files.readText(expandSlurmPattern(pattern, job.nativeId, job.spec.name), signal)) ?? '';
    return { stdout: await read(p.stdout), stderr: await read(p.stderr) };
  }

  fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]> {
    if (!job.spec.workdir) throw new AppError('validation', `Job ${job.nativeId} has no working directory`);
    return this.options.files.downloadDir(job.spec.workdir, localDir, options);
  }

  close(): Promise<void> {
    return this.options.files.close();
  }
}
