import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TransferOptions } from '../../types';
import { detectEngine, execEngine, isDaemonDown, isNoSuchContainer, type EngineKind, type EngineResult, type EngineRunner } from './engine';
import { parseInspect, parseInspectAll, statusFromContainer, type ContainerInfo, type EndReason } from './inspect';
import { collectOutputs, END_MARKER } from './outputs';
import { buildRunArgs, LABEL, PODMAN_ULIMITS } from './runArgs';

export interface ContainerBackendOptions {
  /** podman or docker; default: whichever is on PATH, podman first. */
  engine?: EngineKind;
  /** Image when the spec names none. */
  image?: string;
  /** OCI runtime passed as `--runtime` (e.g. `runc` where crun fails on hybrid cgroups); default: the engine's. */
  runtime?: string;
  /** `--ulimit` values; default for podman nofile=1024:1024 and nproc=4096:4096 (test-infrastructure.md §3), none for docker. */
  ulimits?: readonly string[];
  /** Default `none`. */
  network?: string;
  /** `--pull` policy; default: the engine's (`missing`). Use `never` where no registry is reachable. */
  pull?: 'always' | 'missing' | 'never';
  /** `--user` (e.g. `1000:1000` so outputs belong to the desktop user under rootful docker). */
  user?: string;
  /** More `run` options, placed before the image. */
  extraArgs?: readonly string[];
  /** Per engine command (not the job); default 30 000 ms. */
  commandTimeoutMs?: number;
  /** Seconds `stop` waits after SIGTERM before SIGKILL (a shell as PID 1 ignores SIGTERM); default 5. */
  stopTimeoutS?: number;
  /** Replaces the engine binary (tests feed captured output). */
  runner?: EngineRunner;
}

/** A CIRASA job container the engine still has, as `list()` finds it (e.g. after an app restart). */
export interface ContainerJob {
  nativeId: string;
  containerName: string;
  /** The spec's name. */
  jobName: string;
  workdir: string;
  status: JobStatus;
}

interface EndMarker {
  containerId: string;
  reason: EndReason;
  /** Unix ms when the backend decided to end the job. */
  at: number;
}

/**
 * Jobs as podman/docker containers on this machine: `run -d --network none`, the job directory bound read-write at
 * the same path, inputs bound read-only, cpus/memory limits, labels to find jobs again. The native id is the full
 * container id. Containers are kept after they exit (status, exit code, OOM and logs live in the engine): the
 * owner calls `remove()` once it has fetched what it needs.
 */
export class ContainerBackend implements JobBackend {
  readonly kind = 'container' as const;
  private resolved: { kind: EngineKind; run: EngineRunner } | undefined;

  constructor(private readonly options: ContainerBackendOptions = {}) {}

  /** The engine in use (detected on first use). Throws `jobs.backendUnreachable` when none is installed. */
  engine(): { kind: EngineKind; run: EngineRunner } {
    if (!this.resolved) {
      if (this.options.runner) {
        this.resolved = { kind: this.options.engine ?? 'podman', run: this.options.runner };
      } else {
        const found = detectEngine(this.options.engine);
        this.resolved = { kind: found.kind, run: execEngine(found.binary) };
      }
    }
    return this.resolved;
  }

  private async exec(args: string[], signal?: AbortSignal): Promise<EngineResult> {
    const e = this.engine();
    const r = await e.run(args, { timeoutMs: this.options.commandTimeoutMs ?? 30_000, ...(signal ? { signal } : {}) });
    if (r.code !== 0 && isDaemonDown(r.stderr)) {
      throw new AppError('jobs.backendUnreachable', `${e.kind} ${args[0]}: ${r.stderr.trim()}`, { engine: e.kind });
    }
    return r;
  }

  private failed(tool: string, r: EngineResult): never {
    throw new AppError('jobs.commandFailed', `${this.engine().kind} ${tool} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`, {
      exitCode: r.code,
    });
  }

  async submit(spec: JobSpec, signal?: AbortSignal): Promise<string> {
    const image = spec.image ?? this.options.image;
    if (!image) throw new AppError('validation', `Job "${spec.name}" names no container image and the backend has no default`);
    const kind = this.engine().kind;
    const name = `cirasa-job-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const args = buildRunArgs(spec, {
      name,
      image,
      ulimits: this.options.ulimits ?? (kind === 'podman' ? PODMAN_ULIMITS : []),
      network: this.options.network ?? 'none',
      ...(this.options.runtime ? { runtime: this.options.runtime } : {}),
      ...(this.options.pull ? { pull: this.options.pull } : {}),
      ...(this.options.user ? { user: this.options.user } : {}),
      ...(this.options.extraArgs ? { extraArgs: this.options.extraArgs } : {}),
    });
    for (const input of spec.inputs ?? []) {
      try {
        await access(input.localPath);
      } catch {
        throw new AppError('validation', `Input file ${input.localPath} of job "${spec.name}" does not exist`, { path: input.localPath });
      }
    }
    await mkdir(resolve(spec.workdir), { recursive: true });
    let r: EngineResult;
    try {
      r = await this.exec(args, signal);
    } catch (err) {
      await this.removeQuietly(name); // aborted or timed out after the engine may have created it
      throw err;
    }
    // `run -d` leaves a created container behind when the start fails (missing command, bad mount): nothing stays
    const id = r.stdout.trim().split('\n').pop()?.trim() ?? '';
    if (r.code !== 0 || !/^[0-9a-f]{12,64}$/.test(id)) {
      await this.removeQuietly(name);
      if (r.code === 0) throw new AppError('jobs.badResponse', `${kind} run printed no container id: ${r.stdout.slice(0, 200)}`);
      throw new AppError('jobs.submitFailed', `${kind} run of "${spec.name}" failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`, {
        exitCode: r.code,
        stderr: r.stderr,
      });
    }
    return id;
  }

  /** Inspect one container. Throws `notFound` when the engine no longer has it. */
  async inspect(nativeId: string, signal?: AbortSignal): Promise<ContainerInfo> {
    const r = await this.exec(['container', 'inspect', checkRef(nativeId)], signal);
    if (r.code !== 0) {
      if (isNoSuchContainer(r.stderr)) {
        throw new AppError('notFound', `${this.engine().kind} no longer knows container ${nativeId}`, { jobId: nativeId });
      }
      this.failed('container inspect', r);
    }
    return parseInspect(r.stdout, nativeId);
  }

  async status(nativeId: string, signal?: AbortSignal): Promise<JobStatus> {
    let c = await this.inspect(nativeId, signal);
    let ended = await readEndMarker(c);
    const limitS = Number(c.labels[LABEL.timeLimitS]);
    if (!ended && c.status === 'running' && limitS > 0 && c.startedAt !== undefined && Date.now() / 1000 - c.startedAt > limitS) {
      // engines have no portable run timeout: the poll that sees the overrun ends the job
      await this.end(c, 'timed-out', signal);
      c = await this.inspect(nativeId, signal);
      ended = 'timed-out';
    }
    return statusFromContainer(c, ended);
  }

  /** Stop a running job (SIGTERM, SIGKILL after `stopTimeoutS`); idempotent, a finished or removed job is left as it is. */
  async cancel(nativeId: string, signal?: AbortSignal): Promise<void> {
    let c: ContainerInfo;
    try {
      c = await this.inspect(nativeId, signal);
    } catch (err) {
      if (err instanceof AppError && err.code === 'notFound') return;
      throw err;
    }
    if (statusFromContainer(c).state === 'RUNNING' || c.status === 'created') await this.end(c, 'canceled', signal);
  }

  private async end(c: ContainerInfo, reason: EndReason, signal?: AbortSignal): Promise<void> {
    const workdir = c.labels[LABEL.workdir];
    if (workdir) {
      const marker: EndMarker = { containerId: c.id, reason, at: Date.now() };
      await writeFile(resolve(workdir, END_MARKER), JSON.stringify(marker));
    }
    const stopS = this.options.stopTimeoutS ?? 5;
    const r = await this.exec(['stop', '-t', String(stopS), c.id], signal);
    if (r.code !== 0 && !isNoSuchContainer(r.stderr)) this.failed('stop', r);
  }

  async fetchLogs(job: JobRef, signal?: AbortSignal): Promise<JobLogs> {
    const r = await this.exec(['logs', checkRef(job.nativeId)], signal);
    if (r.code !== 0) {
      if (isNoSuchContainer(r.stderr)) return { stdout: '', stderr: '' };
      this.failed('logs', r);
    }
    return { stdout: r.stdout, stderr: r.stderr };
  }

  /** The job directory's files (inputs and the backend's marker excluded), copied to `localDir` unless it is that directory. */
  fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]> {
    return collectOutputs(job.spec, localDir, options);
  }

  /** Delete the container (and its logs) once the job's outcome has been collected; a missing one is fine. */
  async remove(nativeId: string, signal?: AbortSignal): Promise<void> {
    const r = await this.exec(['rm', '-f', checkRef(nativeId)], signal);
    if (r.code !== 0 && !isNoSuchContainer(r.stderr)) this.failed('rm', r);
  }

  /** Every CIRASA job container the engine has (any state): how jobs are found again after an app restart or crash. */
  async list(signal?: AbortSignal): Promise<ContainerJob[]> {
    const ps = await this.exec(['ps', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL.job}`], signal);
    if (ps.code !== 0) this.failed('ps', ps);
    const ids = ps.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (ids.length === 0) return [];
    const r = await this.exec(['container', 'inspect', ...ids], signal);
    // a container removed between ps and inspect makes inspect fail for all: fall back to one at a time
    const infos = r.code === 0 ? parseInspectAll(r.stdout, ids.join(' ')) : await this.inspectEach(ids, signal);
    const jobs: ContainerJob[] = [];
    for (const c of infos) {
      jobs.push({
        nativeId: c.id,
        containerName: c.name,
        jobName: c.labels[LABEL.job] ?? '',
        workdir: c.labels[LABEL.workdir] ?? '',
        status: statusFromContainer(c, await readEndMarker(c)),
      });
    }
    return jobs;
  }

  private async inspectEach(ids: string[], signal?: AbortSignal): Promise<ContainerInfo[]> {
    const out: ContainerInfo[] = [];
    for (const id of ids) {
      try {
        out.push(await this.inspect(id, signal));
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'notFound')) throw err;
      }
    }
    return out;
  }

  private async removeQuietly(name: string): Promise<void> {
    try {
      await this.exec(['rm', '-f', name]);
    } catch {
      // best effort: the submit error is what matters
    }
  }

  async close(): Promise<void> {}
}

/** Container ids and names only: the ref goes on an engine command line. */
function checkRef(ref: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(ref)) throw new AppError('validation', `Not a container id: ${JSON.stringify(ref)}`);
  return ref;
}

/**
 * The backend's own reason for a container that ended, from the job directory. A marker written for another
 * container (directory reused) or after the container had already finished (a cancel that came too late) is ignored.
 */
async function readEndMarker(c: ContainerInfo): Promise<EndReason | undefined> {
  const workdir = c.labels[LABEL.workdir];
  if (!workdir) return undefined;
  let m: Partial<EndMarker>;
  try {
    m = JSON.parse(await readFile(resolve(workdir, END_MARKER), 'utf8')) as Partial<EndMarker>;
  } catch {
    return undefined;
  }
  if (m.containerId !== c.id || (m.reason !== 'canceled' && m.reason !== 'timed-out') || typeof m.at !== 'number') return undefined;
  if (c.finishedAt !== undefined && m.at > c.finishedAt * 1000 + 1000) return undefined;
  return m.reason;
}
