/**
 * Jobs as the renderer sees them (issue 5 item 5). A job runs one finder app on one image through a backend
 * profile; the JobService (src/main/jobs) owns the records. Nothing here carries secrets: profiles name secret
 * files or ids of secrets kept in the main process, the profile editor sees settings and `hasSecret` flags, and a
 * secret the renderer typed (jobs.saveProfile) is never sent back.
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
  /** A secret (token, key passphrase) is stored for it in the main process; its value never leaves main. */
  hasSecret?: boolean;
  /** Whether jobs.profile/saveProfile/deleteProfile may change it (the built-in "local" may not). */
  editable?: boolean;
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
  /** Where the app reports it (RUNNING jobs): the builtin finder's phase, or the parts done of a distributed run. */
  progress?: JobProgress;
  /** Parts of a distributed run (a Slurm job array + merge); absent for one job. */
  parts?: number;
}

export interface JobProgress {
  /** 0..1 when it can be told. */
  fraction?: number;
  /** e.g. "detect 10/16", "2 of 4 parts done". */
  text: string;
}

export interface JobLogsInfo {
  stdout: string;
  stderr: string;
}

export const TERMINAL_JOB_STATES: readonly JobState[] = ['SUCCESS', 'FAILURE', 'ABORTED', 'CANCELED', 'TIMED-OUT'];

/** A named set of option values for one finder app (saved in the data folder). */
export interface JobPresetInfo {
  app: string;
  name: string;
  options: Record<string, unknown>;
}

/** Secrets a profile may hold in the main process (only ever written by the renderer, never read back). */
export const PROFILE_SECRET_FIELDS = ['token', 'passphrase'] as const;
export type ProfileSecretField = (typeof PROFILE_SECRET_FIELDS)[number];

/** A backend profile for the editor: its settings (never a secret: profiles name files and secret ids) and which secrets are stored. */
export interface ProfileDetails {
  name: string;
  type: ProfileInfo['type'] | 'caesar-rest';
  /** The profile JSON (type included). */
  settings: Record<string, unknown>;
  /** true = stored (the value stays in main). */
  secrets: Partial<Record<ProfileSecretField, boolean>>;
  /** How secrets are kept: encrypted by the OS (Electron safeStorage) or a file only this user can read (mode 0600). */
  secretProtection: 'encrypted' | 'file-0600';
}

export interface ProfileTestResult {
  ok: boolean;
  /** What answered (versions, host), or why it failed. Never a secret. */
  message: string;
}
