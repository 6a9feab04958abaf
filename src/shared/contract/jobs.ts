/**
 * Jobs as the renderer sees them (issue 5 item 5). A job runs one finder app on one image through a backend
 * profile; the JobService (src/main/jobs) owns the records. Nothing here carries secrets: profiles name secret
 * FILES only, and the renderer gets a profile's name, type and one-line description, never the profile itself.
 */

/** The service's own job states (architecture.md §3); the backend's native state is kept beside them. */
export const JOB_STATES = ['PENDING', 'STARTED', 'RUNNING', 'SUCCESS', 'FAILURE', 'ABORTED', 'CANCELED', 'TIMED-OUT'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One option of a finder app: the JSON Schema subset the option forms understand. */
export interface JobOptionSchema {
  type?: 'number' | 'integer' | 'boolean' | 'string' | 'array';
  default?: unknown;
  /** Help text (shown as the field's tooltip). */
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: readonly (string | number)[];
  items?: JobOptionSchema;
}

export interface JobOptionsSchema {
  type: 'object';
  properties: Record<string, JobOptionSchema>;
  additionalProperties?: boolean;
}

export interface FinderAppInfo {
  id: string;
  title: string;
  optionsSchema: JobOptionsSchema;
}

export interface ProfileInfo {
  /** `local` (built in) or the file name without `.json` of `<dataDir>/profiles/<name>.json`. */
  name: string;
  type: 'local' | 'container' | 'slurm-rest' | 'slurm-ssh' | 'caesar-rest';
  /** One line: type, display name, user@host. */
  description: string;
}

export interface JobInfo {
  id: string;
  app: string;
  /** Validated options, defaults filled. */
  options: Record<string, unknown>;
  /** Local paths of the input images. */
  inputs: string[];
  /** Backend kind: local, container, slurm-rest, slurm-ssh, caesar-rest. */
  backend: string;
  /** Profile description (no secrets). */
  profile: string;
  nativeId?: string;
  state: JobState;
  nativeState?: string;
  /** The catalogue imported on SUCCESS. */
  catalogueId?: number;
  /** ISO 8601. */
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** Reasons, errors and notes, newest last. */
  messages: string[];
  tag?: string;
}

export interface JobLogsInfo {
  stdout: string;
  stderr: string;
}

export const TERMINAL_JOB_STATES: readonly JobState[] = ['SUCCESS', 'FAILURE', 'ABORTED', 'CANCELED', 'TIMED-OUT'];
