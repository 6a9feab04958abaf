/**
 * Jobs as child processes of this machine. Each job runs under a small sh wrapper in its OWN process group
 * (setsid), so cancel reaches every descendant, and the wrapper writes `<workdir>/.cirasa-job/status.json`
 * (exit code, end time) when the job ends: a restarted app (a new backend) learns how a job that finished
 * while it was down ended, without having been its parent.
 *
 * Limits: `resources.cpus` sets OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS / NUMEXPR_NUM_THREADS
 * (apps pass the same number to their own thread option); `resources.memoryMb` caps the address space with
 * `prlimit --as` when util-linux's prlimit is installed, else `ulimit -v` in the wrapper (same RLIMIT_AS).
 * RLIMIT_AS counts virtual memory: programs that reserve large address ranges (node/V8, Java) need a generous
 * limit (node needs ~2–3 GiB of address space to start).
 *
 * nativeId = `<pid>@<workdir>`: the wrapper's pid (= process group id) and the job directory.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { MappedFiles } from '../remoteFiles';
import { joinRemote, renderScript, shellQuote } from '../script';
import type { JobBackend, JobLogs, JobRef, JobSpec, JobStatus, TransferOptions } from '../types';
import { identify, isAlive, type ProcessIdentity } from './processProbe';

export interface LocalBackendOptions {
  /** Between SIGTERM and SIGKILL to the job's process group on cancel; default 5000 ms. */
  killGraceMs?: number;
  /** Force the memory-limit mechanism (tests); default prlimit when found, else ulimit. */
  memoryLimiter?: 'prlimit' | 'ulimit';
}

const CONTROL = '.cirasa-job';
const THREAD_VARS = ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'NUMEXPR_NUM_THREADS'];

interface WrapperStatus {
  exitCode: number;
  endTime: number;
}

function parseNativeId(nativeId: string): { pid: number; workdir: string } {
  const at = nativeId.indexOf('@');
  const pid = Number(nativeId.slice(0, at));
  if (at < 1 || !Number.isInteger(pid) || pid <= 0) throw new AppError('validation', `Not a local job id: ${nativeId}`, { nativeId });
  return { pid, workdir: nativeId.slice(at + 1) };
}

function findPrlimit(): string | undefined {
  return ['/usr/bin/prlimit', '/bin/prlimit', '/usr/sbin/prlimit'].find((p) => existsSync(p));
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function readNumber(path: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LocalBackend implements JobBackend {
  readonly kind = 'local' as const;
  private readonly prlimit: string | undefined;

  constructor(private readonly options: LocalBackendOptions = {}) {
    this.prlimit = options.memoryLimiter === 'ulimit' ? undefined : findPrlimit();
    if (options.memoryLimiter === 'prlimit' && !this.prlimit) throw new AppError('validation', 'prlimit is not installed (util-linux)');
  }

  private logPaths(spec: JobSpec): { stdout: string; stderr: string } {
    return { stdout: joinRemote(spec.workdir, spec.stdoutPath ?? 'stdout.log'), stderr: joinRemote(spec.workdir, spec.stderrPath ?? 'stderr.log') };
  }

  private wrapper(spec: JobSpec): string {
    const logs = this.logPaths(spec);
    const memKiB = spec.resources?.memoryMb ? Math.round(spec.resources.memoryMb * 1024) : undefined;
    let run = `/bin/bash ${CONTROL}/job.sh`;
    let limit = '';
    if (memKiB !== undefined) {
      if (this.prlimit) run = `${this.prlimit} --as=${memKiB * 1024} -- ${run}`;
      else limit = `ulimit -v ${memKiB} || exit 125\n`;
    }
    return [
      '#!/bin/sh',
      `date +%s > ${CONTROL}/started`,
      limit + `${run} > ${shellQuote(logs.stdout)} 2> ${shellQuote(logs.stderr)} < /dev/null`,
      'rc=$?',
      // written then renamed: a reader never sees half a status
      `printf '{"exitCode":%d,"endTime":%s}\\n' "$rc" "$(date +%s)" > ${CONTROL}/status.tmp && mv ${CONTROL}/status.tmp ${CONTROL}/status.json`,
      '',
    ].join('\n');
  }

  async submit(spec: JobSpec, signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const workdir = resolve(spec.workdir);
    const control = join(workdir, CONTROL);
    try {
      await mkdir(control, { recursive: true });
      // inputs are linked, not copied: a survey image is tens of GB
      for (const input of spec.inputs ?? []) await symlink(resolve(input.localPath), join(workdir, input.remoteName));
      await writeFile(join(control, 'job.sh'), renderScript(spec), { mode: 0o755 });
      await writeFile(join(control, 'run.sh'), this.wrapper({ ...spec, workdir }), { mode: 0o755 });
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('jobs.submitFailed', `Cannot prepare the job directory ${workdir}: ${(err as Error).message}`, { workdir });
    }
    const cpus = spec.resources?.cpus;
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...(spec.env ?? {}) };
    if (cpus) for (const v of THREAD_VARS) env[v] = String(cpus);
    const child = spawn('/bin/sh', [join(control, 'run.sh')], { cwd: workdir, detached: true, stdio: 'ignore', env });
    const pid = await new Promise<number>((ok, fail) => {
      child.once('spawn', () => ok(child.pid!));
      child.once('error', (err) => fail(new AppError('jobs.submitFailed', `Cannot start /bin/sh for ${spec.name}: ${err.message}`, { workdir })));
    });
    child.unref();
    const id = identify(pid);
    await writeFile(join(control, 'pid.tmp'), JSON.stringify(id));
    await rename(join(control, 'pid.tmp'), join(control, 'pid.json'));
    return `${pid}@${workdir}`;
  }

  async status(nativeId: string): Promise<JobStatus> {
    const { pid, workdir } = parseNativeId(nativeId);
    const control = join(workdir, CONTROL);
    if (!existsSync(control)) throw new AppError('notFound', `Local job ${nativeId}: its directory ${workdir} is gone`, { nativeId });
    const startTime = await readNumber(join(control, 'started'));
    const cancelled = existsSync(join(control, 'cancel'));
    const times = startTime !== undefined ? { startTime } : {};
    const ended = (s: WrapperStatus): JobStatus => {
      const base = { ...times, endTime: s.endTime, exitCode: s.exitCode };
      if (cancelled) return { ...base, state: 'CANCELED', native: 'CANCELLED', reason: 'cancelled' };
      if (s.exitCode === 0) return { ...base, state: 'SUCCESS', native: 'COMPLETED' };
      const signal = s.exitCode > 128 ? s.exitCode - 128 : undefined;
      return { ...base, ...(signal ? { signal } : {}), state: 'FAILURE', native: 'FAILED', reason: signal ? `killed by signal ${signal}` : `exit code ${s.exitCode}` };
    };
    const done = await readJson<WrapperStatus>(join(control, 'status.json'));
    if (done) return ended(done);
    const id = (await readJson<ProcessIdentity>(join(control, 'pid.json'))) ?? { pid };
    if (isAlive(id)) return { ...times, state: startTime !== undefined ? 'RUNNING' : 'STARTED', native: 'RUNNING' };
    // it may have written its status between the two reads
    const late = await readJson<WrapperStatus>(join(control, 'status.json'));
    if (late) return ended(late);
    if (cancelled) return { ...times, state: 'CANCELED', native: 'CANCELLED', reason: 'cancelled' };
    return { ...times, state: 'FAILURE', native: 'LOST', reason: 'the process ended without writing its exit status (killed, or the machine restarted)' };
  }

  async cancel(nativeId: string): Promise<void> {
    const { pid, workdir } = parseNativeId(nativeId);
    const control = join(workdir, CONTROL);
    if (!existsSync(control) || existsSync(join(control, 'status.json'))) return;
    await writeFile(join(control, 'cancel'), `${Date.now()}\n`);
    const id = (await readJson<ProcessIdentity>(join(control, 'pid.json'))) ?? { pid };
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-id.pid, sig);
      } catch {
        // group already gone
      }
    };
    if (!isAlive(id)) return;
    signalGroup('SIGTERM');
    const deadline = Date.now() + (this.options.killGraceMs ?? 5000);
    while (isAlive(id) && Date.now() < deadline) await sleep(50);
    // the wrapper may be gone while a child that ignores SIGTERM lives on: KILL the whole group regardless
    signalGroup('SIGKILL');
  }

  async fetchLogs(job: JobRef): Promise<JobLogs> {
    const logs = this.logPaths({ ...job.spec, workdir: resolve(job.spec.workdir) });
    return { stdout: await readText(logs.stdout), stderr: await readText(logs.stderr) };
  }

  async fetchOutputs(job: JobRef, localDir: string, options?: TransferOptions): Promise<string[]> {
    const workdir = resolve(job.spec.workdir);
    if (resolve(localDir) === workdir) {
      if (!existsSync(workdir)) throw new AppError('jobs.outputsMissing', `The job directory ${workdir} does not exist`, { workdir });
      return (await readdir(workdir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
    }
    return new MappedFiles([{ remotePrefix: '/', localPrefix: '/' }]).downloadDir(workdir, localDir, options);
  }

  async close(): Promise<void> {}
}
