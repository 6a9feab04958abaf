/**
 * Job model shared by every backend (local, container, slurm-rest, slurm-ssh, caesar-rest).
 * States are the service's own (caesar-rest-api.md §6); each backend maps its native state onto them and the
 * native string is kept beside for diagnostics.
 */

import type { JobProgress, JobState } from '../../shared/contract/jobs';

export { JOB_STATES, type JobProgress, type JobState } from '../../shared/contract/jobs';

/** The only states a monitor keeps polling; everything else is final (a terminal→terminal change may still come). */
export const ACTIVE_STATES: readonly JobState[] = ['PENDING', 'STARTED', 'RUNNING'];

export function isTerminal(state: JobState): boolean {
  return !ACTIVE_STATES.includes(state);
}

export type BackendKind = 'local' | 'container' | 'slurm-rest' | 'slurm-ssh' | 'caesar-rest';

export interface JobResources {
  /** CPUs for the (single) task. */
  cpus?: number;
  /** Memory per node in MiB. */
  memoryMb?: number;
  /** Wall-clock limit in minutes. */
  timeMinutes?: number;
  partition?: string;
}

/** A file to place in the job's working directory before submission. */
export interface JobInput {
  /** Path on this machine. */
  localPath: string;
  /** File name (relative path) inside the job's working directory. */
  remoteName: string;
}

/**
 * What to run. Paths (workdir, stdout, stderr) are as the EXECUTING side sees them (the cluster's file system
 * for Slurm); a backend translates them for reading logs and outputs. `%j` in stdout/stderr is the job id.
 */
export interface JobSpec {
  name: string;
  /** A complete batch script (must start with `#!`); or use `command`. */
  script?: string;
  /** argv to run when no script is given (each element is shell-quoted into a generated script). */
  command?: string[];
  workdir: string;
  env?: Record<string, string>;
  /** The finder app and its validated options, for backends that run apps BY NAME on a service (caesar-rest). */
  app?: { id: string; options: Record<string, unknown> };
  resources?: JobResources;
  /** Default `<workdir>/slurm-%j.out`-like paths chosen by the backend when absent. */
  stdoutPath?: string;
  stderrPath?: string;
  inputs?: JobInput[];
  /** Container image to run in (container backend only; it falls back to its configured default). */
  image?: string;
  /**
   * Slurm job array of this many tasks (ids 0..arrayTasks-1): the script runs once per task with
   * `$SLURM_ARRAY_TASK_ID` set (ARRAY_TASK_ID in a `command` word expands to it); `%a` in log paths is the task id.
   */
  arrayTasks?: number;
  /** Slurm dependency expression, e.g. `afterok:123`. */
  dependency?: string;
  /**
   * A distributed run (Slurm backends through DistributedBackend): this job array is submitted first (with the
   * inputs), then this spec (the merge) with `afterok` on it.
   */
  parts?: JobSpec;
  /** Distributed run: a job run once before the parts (they wait for it with afterok), e.g. the shared background map. */
  prepare?: JobSpec;
}

export interface JobStatus {
  state: JobState;
  /** The backend's own state string (e.g. Slurm `CANCELLED`, `NODE_FAIL`). */
  native: string;
  /** Process exit code (0–255) when known. */
  exitCode?: number;
  /** Signal number that ended the process, when there was one. */
  signal?: number;
  /** Why the job is in this state (Slurm `state_reason`, an error text). */
  reason?: string;
  /** How far a running job is, when the backend can tell (the parts done of a distributed run). */
  progress?: JobProgress;
  /** Unix seconds. */
  submitTime?: number;
  startTime?: number;
  endTime?: number;
}

/** One task of a Slurm job array (a pending record may stand for several tasks: `taskIds` lists them). */
export interface TaskStatus extends JobStatus {
  taskIds: number[];
}

/** A submitted job as a backend needs it back: its native id and the spec it was submitted with. */
export interface JobRef {
  nativeId: string;
  spec: JobSpec;
}

export interface JobLogs {
  stdout: string;
  stderr: string;
}

export interface TransferProgress {
  /** Remote (cluster-side) path of the file being moved. */
  file: string;
  transferredBytes: number;
  totalBytes: number;
}

export interface TransferOptions {
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
}

/**
 * One way of running jobs. Every method may throw `AppError` with `jobs.backendUnreachable` (nothing answered),
 * `jobs.authFailed`, `jobs.badResponse`, `jobs.commandFailed`; `submit` also `jobs.submitFailed`; cancellation
 * through `signal` rejects with an AbortError.
 */
export interface JobBackend {
  readonly kind: BackendKind;
  /**
   * Stage inputs, submit, answer the native job id. Nothing remains queued when it throws. A backend that uploads
   * the inputs to a service (caesar-rest) reports the upload through `onUploadProgress`; others ignore it.
   */
  submit(spec: JobSpec, signal?: AbortSignal, onUploadProgress?: (p: TransferProgress) => void): Promise<string>;
  /** Current state. Throws `notFound` when the backend no longer knows the job. */
  status(nativeId: string, signal?: AbortSignal): Promise<JobStatus>;
  /** Ask the backend to cancel; idempotent (cancelling a finished job is not an error). */
  cancel(nativeId: string, signal?: AbortSignal): Promise<void>;
  /** stdout/stderr so far ('' for a file that does not exist yet). */
  fetchLogs(job: JobRef, signal?: AbortSignal): Promise<JobLogs>;
  /**
   * Copy every file of the job's working directory (recursively) into `localDir`; answers the local paths.
   * Throws `jobs.outputsMissing` when the working directory is gone.
   */
  fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]>;
  /** Release connections. */
  close(): Promise<void>;
  /** Slurm backends: every task record of the job array `arrayId`. Throws `notFound` when Slurm no longer knows it. */
  arrayStatus?(arrayId: string, signal?: AbortSignal): Promise<TaskStatus[]>;
}

export { mapSlurmState, decodeWaitStatus, parseSlurmExitCode } from './slurmState';
