import { AppError } from '../../../shared/contract/errors';
import { expandSlurmPattern, joinRemote, logPatterns, renderScript, shellQuote } from '../script';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TaskStatus, TransferOptions } from '../types';
import { SACCT_FIELDS, isInvalidJobId, parseSbatch, parseScontrolShowJob, statusFromSacct, statusFromScontrol, tasksFromSacct, tasksFromScontrol } from './parsers';
import { SftpFiles } from './sftpFiles';
import { SshConnector } from './sshConnector';
import type { ExecResult, SshConnectOptions, SshSession } from './sshSession';

export type SessionLike = Pick<SshSession, 'exec' | 'sftp' | 'isOpen' | 'close'>;

export interface SessionSource {
  get(signal?: AbortSignal): Promise<SessionLike>;
  close(): Promise<void>;
}

export interface SlurmSshBackendOptions extends SshConnectOptions {
  /** Per remote command; default 30 000 ms. */
  commandTimeoutMs?: number;
  /** Partition when the spec names none (else the cluster's default). */
  defaultPartition?: string;
}

/** Put `export K=V` lines after the shebang and the leading #SBATCH/comment block (sbatch stops reading directives at the first command). */
export function withEnvironment(script: string, env: Record<string, string> | undefined): string {
  const entries = Object.entries(env ?? {});
  if (entries.length === 0) return script;
  for (const k of Object.keys(env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new AppError('validation', `Not an environment variable name: ${JSON.stringify(k)}`);
  }
  const lines = script.split('\n');
  let i = 1;
  while (i < lines.length && (lines[i]!.startsWith('#') || lines[i]!.trim() === '')) i++;
  lines.splice(i, 0, ...entries.map(([k, v]) => `export ${k}=${shellQuote(v)}`));
  return lines.join('\n');
}

/** Jobs through `sbatch`/`scontrol`/`sacct`/`scancel` on a login node over SSH; files over SFTP. */
export class SlurmSshBackend implements JobBackend {
  readonly kind = 'slurm-ssh' as const;
  readonly files: SftpFiles;
  private readonly connector: SessionSource;

  /** `connector` replaces the SSH connection (tests feed captured command output through it). */
  constructor(
    private readonly options: SlurmSshBackendOptions,
    connector?: SessionSource,
  ) {
    this.connector = connector ?? new SshConnector(options);
    this.files = new SftpFiles(
      async () => (await this.connect()).sftp(),
      () => this.connector.close(),
    );
  }

  /** The shared connection, (re)opened on demand. */
  connect(signal?: AbortSignal): Promise<SessionLike> {
    return this.connector.get(signal);
  }

  private async run(command: string, signal?: AbortSignal, stdin?: string): Promise<ExecResult> {
    const s = await this.connect(signal);
    return s.exec(command, { timeoutMs: this.options.commandTimeoutMs ?? 30_000, ...(signal ? { signal } : {}), ...(stdin !== undefined ? { stdin } : {}) });
  }

  async submit(spec: JobSpec, signal?: AbortSignal): Promise<string> {
    const script = withEnvironment(renderScript(spec), spec.env);
    await this.files.mkdirp(spec.workdir);
    for (const input of spec.inputs ?? []) {
      await this.files.upload(input.localPath, joinRemote(spec.workdir, input.remoteName), signal ? { signal } : {});
    }
    const logs = logPatterns(spec);
    const r = { ...spec.resources };
    r.partition ??= this.options.defaultPartition;
    const args = ['sbatch', '--parsable', '-J', spec.name, '-D', spec.workdir, '-o', logs.stdout, '-e', logs.stderr];
    if (r.partition !== undefined) args.push('-p', r.partition);
    if (r.cpus !== undefined) args.push('-c', String(r.cpus));
    if (r.memoryMb !== undefined) args.push(`--mem=${r.memoryMb}M`);
    if (r.timeMinutes !== undefined) args.push('-t', String(r.timeMinutes));
    if (spec.arrayTasks !== undefined) args.push(`--array=0-${spec.arrayTasks - 1}`);
    if (spec.dependency !== undefined) args.push(`--dependency=${spec.dependency}`);
    // the script goes over stdin: no temporary file to clean up on the cluster
    const res = await this.run(args.map(shellQuote).join(' '), signal, script);
    if (res.code !== 0) {
      throw new AppError('jobs.submitFailed', `sbatch on ${this.options.host} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`, {
        exitCode: res.code,
      });
    }
    return parseSbatch(res.stdout);
  }

  /** scontrol while slurmctld knows the job; then sacct (accounting), then sacct -c (jobcomp file). */
  async status(nativeId: string, signal?: AbortSignal): Promise<JobStatus> {
    const id = jobIdArg(nativeId);
    const sc = await this.run(`scontrol show job ${id}`, signal);
    if (sc.code === 0) {
      const rec = parseScontrolShowJob(sc.stdout).find((j) => j.JobId === nativeId);
      if (rec) return statusFromScontrol(rec);
      throw new AppError('jobs.badResponse', `scontrol show job ${nativeId} printed no such job: ${sc.stdout.slice(0, 200)}`);
    }
    if (!isInvalidJobId(sc.stderr)) this.commandFailed('scontrol', sc);
    const fields = SACCT_FIELDS.join(',');
    for (const variant of [`sacct -X -n -P -o ${fields} -j ${id}`, `sacct -c -X -n -P -o ${fields} -j ${id}`]) {
      const r = await this.run(variant, signal);
      if (r.code !== 0) continue; // e.g. "Slurm accounting storage is disabled"
      const s = statusFromSacct(r.stdout, nativeId);
      if (s) return s;
    }
    throw new AppError('notFound', `Slurm on ${this.options.host} no longer knows job ${nativeId} (scontrol: invalid job id; sacct: no record)`, {
      jobId: nativeId,
    });
  }

  /** Task records of a job array: scontrol while slurmctld knows it, then sacct / sacct -c rows `<id>_<task>`. */
  async arrayStatus(arrayId: string, signal?: AbortSignal): Promise<TaskStatus[]> {
    const id = jobIdArg(arrayId);
    const sc = await this.run(`scontrol show job ${id}`, signal);
    if (sc.code === 0) {
      const tasks = tasksFromScontrol(parseScontrolShowJob(sc.stdout), arrayId);
      if (tasks.length > 0) return tasks;
      throw new AppError('jobs.badResponse', `scontrol show job ${arrayId} printed no task of that array: ${sc.stdout.slice(0, 200)}`);
    }
    if (!isInvalidJobId(sc.stderr)) this.commandFailed('scontrol', sc);
    const fields = SACCT_FIELDS.join(',');
    for (const variant of [`sacct -X -n -P -o ${fields} -j ${id}`, `sacct -c -X -n -P -o ${fields} -j ${id}`]) {
      const r = await this.run(variant, signal);
      if (r.code !== 0) continue;
      const tasks = tasksFromSacct(r.stdout, arrayId);
      if (tasks.length > 0) return tasks;
    }
    throw new AppError('notFound', `Slurm on ${this.options.host} no longer knows job array ${arrayId}`, { jobId: arrayId });
  }

  async cancel(nativeId: string, signal?: AbortSignal): Promise<void> {
    const r = await this.run(`scancel ${jobIdArg(nativeId)}`, signal);
    if (isInvalidJobId(r.stderr)) return; // finished long ago / unknown: nothing to cancel (22.05 even exits 0)
    if (r.code !== 0) this.commandFailed('scancel', r);
  }

  async fetchLogs(job: JobRef, signal?: AbortSignal): Promise<JobLogs> {
    const p = logPatterns(job.spec);
    const read = async (pattern: string): Promise<string> =>
      (await this.files.readText(expandSlurmPattern(pattern, job.nativeId, job.spec.name), signal)) ?? '';
    return { stdout: await read(p.stdout), stderr: await read(p.stderr) };
  }

  fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]> {
    return this.files.downloadDir(job.spec.workdir, localDir, options);
  }

  close(): Promise<void> {
    return this.connector.close();
  }

  private commandFailed(tool: string, r: ExecResult): never {
    throw new AppError('jobs.commandFailed', `${tool} on ${this.options.host} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`, {
      exitCode: r.code,
    });
  }
}

function jobIdArg(nativeId: string): string {
  if (!/^\d+(_\d+)?$/.test(nativeId)) throw new AppError('validation', `Not a Slurm job id: ${JSON.stringify(nativeId)}`);
  return nativeId;
}
