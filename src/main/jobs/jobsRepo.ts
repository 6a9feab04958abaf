/** The `jobs` table (migrations 002 + 004): one row per submitted job, written by the JobService only. */
import type Database from 'better-sqlite3';
import type { OptionValues } from '../apps/types';
import type { BackendProfile } from './profiles';
import type { BackendKind, JobProgress, JobSpec, JobState } from './types';
import { ACTIVE_STATES } from './types';

export interface JobRecord {
  id: string;
  app: string;
  /** Validated options, defaults filled. */
  options: OptionValues;
  /** Local paths of the input images. */
  inputs: string[];
  backend: BackendKind;
  profile: BackendProfile;
  nativeId?: string;
  state: JobState;
  nativeState?: string;
  imageId?: number;
  catalogueId?: number;
  /** ISO 8601. */
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** Reasons, errors and notes in order (newest last). */
  messages: string[];
  /** Local directory the outputs are fetched to (and the job directory itself for the local backend). */
  outputDir: string;
  spec: JobSpec;
  tag?: string;
  timeoutMs?: number;
  updatedAt?: string;
  /** How far it is (RUNNING jobs whose app or backend reports it); held by the JobService in memory, never stored. */
  progress?: JobProgress;
}

interface Row {
  id: string; app: string; options_json: string; inputs_json: string; backend: string; native_id: string | null; state: string;
  native_state: string | null; image_id: number | null; catalogue_id: number | null; submitted_at: string; started_at: string | null;
  finished_at: string | null; exit_code: number | null; messages_json: string | null; output_dir: string | null; profile_json: string | null;
  spec_json: string | null; tag: string | null; timeout_ms: number | null; updated_at: string | null;
}

function fromRow(r: Row): JobRecord {
  const opt = <K extends keyof JobRecord>(k: K, v: JobRecord[K] | null) => (v === null || v === undefined ? {} : { [k]: v });
  return {
    id: r.id, app: r.app, options: JSON.parse(r.options_json) as OptionValues, inputs: JSON.parse(r.inputs_json) as string[],
    backend: r.backend as BackendKind, profile: JSON.parse(r.profile_json ?? '{"type":"local"}') as BackendProfile, state: r.state as JobState,
    submittedAt: r.submitted_at, messages: r.messages_json ? (JSON.parse(r.messages_json) as string[]) : [], outputDir: r.output_dir ?? '',
    spec: JSON.parse(r.spec_json ?? '{}') as JobSpec,
    ...opt('nativeId', r.native_id), ...opt('nativeState', r.native_state), ...opt('imageId', r.image_id), ...opt('catalogueId', r.catalogue_id),
    ...opt('startedAt', r.started_at), ...opt('finishedAt', r.finished_at), ...opt('exitCode', r.exit_code), ...opt('tag', r.tag),
    ...opt('timeoutMs', r.timeout_ms), ...opt('updatedAt', r.updated_at),
  };
}

/** Fields the monitor changes. */
export type JobUpdate = Partial<Pick<JobRecord, 'state' | 'nativeState' | 'startedAt' | 'finishedAt' | 'exitCode' | 'messages' | 'catalogueId'>>;

export class JobsRepo {
  constructor(private readonly db: Database.Database) {}

  insert(job: JobRecord): void {
    this.db.prepare(
      `INSERT INTO jobs (id, app, options_json, inputs_json, backend, native_id, state, native_state, image_id, catalogue_id, submitted_at,
         started_at, finished_at, exit_code, messages_json, output_dir, profile_json, spec_json, tag, timeout_ms, updated_at)
       VALUES (@id, @app, @options_json, @inputs_json, @backend, @native_id, @state, @native_state, @image_id, @catalogue_id, @submitted_at,
         @started_at, @finished_at, @exit_code, @messages_json, @output_dir, @profile_json, @spec_json, @tag, @timeout_ms, @updated_at)`,
    ).run({
      id: job.id, app: job.app, options_json: JSON.stringify(job.options), inputs_json: JSON.stringify(job.inputs), backend: job.backend,
      native_id: job.nativeId ?? null, state: job.state, native_state: job.nativeState ?? null, image_id: job.imageId ?? null,
      catalogue_id: job.catalogueId ?? null, submitted_at: job.submittedAt, started_at: job.startedAt ?? null, finished_at: job.finishedAt ?? null,
      exit_code: job.exitCode ?? null, messages_json: JSON.stringify(job.messages), output_dir: job.outputDir, profile_json: JSON.stringify(job.profile),
      spec_json: JSON.stringify(job.spec), tag: job.tag ?? null, timeout_ms: job.timeoutMs ?? null, updated_at: job.updatedAt ?? job.submittedAt,
    });
  }

  get(id: string): JobRecord | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Newest first. */
  list(filter: { states?: readonly JobState[] } = {}): JobRecord[] {
    const rows = filter.states
      ? (this.db.prepare(`SELECT * FROM jobs WHERE state IN (${filter.states.map(() => '?').join(',')}) ORDER BY submitted_at DESC, rowid DESC`).all(...filter.states) as Row[])
      : (this.db.prepare('SELECT * FROM jobs ORDER BY submitted_at DESC, rowid DESC').all() as Row[]);
    return rows.map(fromRow);
  }

  active(): JobRecord[] {
    return this.list({ states: ACTIVE_STATES });
  }

  update(id: string, u: JobUpdate): JobRecord {
    const cols: string[] = [];
    const vals: Record<string, unknown> = { id, updated_at: new Date().toISOString() };
    const set = (col: string, v: unknown) => {
      cols.push(`${col} = @${col}`);
      vals[col] = v;
    };
    if (u.state !== undefined) set('state', u.state);
    if (u.nativeState !== undefined) set('native_state', u.nativeState);
    if (u.startedAt !== undefined) set('started_at', u.startedAt);
    if (u.finishedAt !== undefined) set('finished_at', u.finishedAt);
    if (u.exitCode !== undefined) set('exit_code', u.exitCode);
    if (u.messages !== undefined) set('messages_json', JSON.stringify(u.messages));
    if (u.catalogueId !== undefined) set('catalogue_id', u.catalogueId);
    this.db.prepare(`UPDATE jobs SET ${[...cols, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`).run(vals);
    return this.get(id)!;
  }
}
