/**
 * The job service: validates a finder app's options, submits through a backend built from a profile, records
 * the job (only once the backend accepted it), and runs a monitor loop over every non-terminal job IN THE
 * DATABASE — so a new service on the same store (the app restarted) resumes them. On SUCCESS it fetches the
 * outputs, reads them with the app and imports the catalogue; missing/broken outputs end the job FAILURE.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { errText, isoFromUnix, settledLines, tail } from './jobText';
import { validateOptions } from '../apps/optionsSchema';
import type { BuiltCommand, FinderApp } from '../apps/types';
import { defaultBackendFactories, type BackendFactories } from './backendFactories';
import { AppResolver } from './appResolver';
import { DistributedBackend } from './distributed';
import { distributedCommand } from './distributedCommand';
import { JobsRepo, type JobRecord, type JobUpdate } from './jobsRepo';
import { describeProfile, type BackendProfile } from './profiles';
import { isTerminal, type JobBackend, type JobProgress, type JobInput, type JobLogs, type JobResources, type JobSpec, type JobStatus, type TransferProgress } from './types';
import { UploadTracker } from './uploadTracker';

export type { JobServiceOptions, JobStatusChanged, SubmitRequest } from './jobServiceTypes';
import type { JobServiceOptions, JobStatusChanged, SubmitRequest } from './jobServiceTypes';

const LOG_TAIL = 64 * 1024;
const STDERR_IN_MESSAGE = 2000;

export class JobService {
  readonly jobs: JobsRepo;
  private readonly factories: BackendFactories;
  private readonly backendCache = new Map<string, Promise<JobBackend>>();
  private readonly progressById = new Map<string, JobProgress>();
  private readonly apps: AppResolver;
  private readonly uploads: UploadTracker;
  private readonly periodMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: JobServiceOptions) {
    this.jobs = new JobsRepo(options.store.db);
    this.factories = options.backends ?? defaultBackendFactories(options.secrets);
    this.periodMs = options.monitorPeriodMs ?? 2000;
    this.apps = new AppResolver(options.apps, (p) => this.backendFor(p));
    this.uploads = new UploadTracker(this.progressById, (job) => this.emit(job));
    if (options.autoStart !== false) this.start();
  }

  /** Start the monitor loop; the first pass runs at once (resuming jobs left by a previous run). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.periodMs));
    }, ms);
    this.timer.unref?.();
  }

  /** One monitor pass over every non-terminal job (also callable directly, e.g. by tests and `job status`). */
  tick(): Promise<void> {
    if (!this.ticking) {
      this.ticking = (async () => {
        for (const job of this.jobs.active()) await this.poll(job);
      })().finally(() => {
        this.ticking = undefined;
      });
    }
    return this.ticking;
  }

  /** Stop the monitor, wait for a pass in progress, release backend connections. Jobs keep running. */
  async dispose(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    for (const b of this.backendCache.values()) await (await b.catch(() => undefined))?.close();
    this.backendCache.clear();
  }

  /** The backend that runs `spec`: the profile's, wrapped in a DistributedBackend for a part array + merge. */
  private async backendForSpec(profile: BackendProfile, containerImage: string | undefined, spec: JobSpec): Promise<JobBackend> {
    const backend = await this.backendFor(profile, containerImage);
    return spec.parts ? new DistributedBackend(backend) : backend;
  }

  private backendFor(profile: BackendProfile, containerImage?: string): Promise<JobBackend> {
    const key = JSON.stringify([profile, containerImage ?? null]);
    let b = this.backendCache.get(key);
    if (!b) {
      const factory = this.factories[profile.type];
      if (!factory) return Promise.reject(new AppError('validation', `No backend for profile type '${profile.type}' in this build (have: ${Object.keys(this.factories).join(', ')})`));
      b = Promise.resolve(factory(profile, containerImage));
      b.catch(() => this.backendCache.delete(key));
      this.backendCache.set(key, b);
    }
    return b;
  }

  /**
   * The app `appId` runs as on `profile`: for a caesar-rest profile the service's app (its options schema from
   * describe) first, else the locally registered one. Throws `validation` for an app neither knows.
   */
  appFor(appId: string, profile: BackendProfile): Promise<FinderApp> {
    return this.apps.forSubmit(appId, profile);
  }

  /** A caesar-rest profile's apps as its service describes them (cached for a short time); [] for other profiles. */
  remoteApps(profile: BackendProfile): Promise<FinderApp[]> {
    return this.apps.remoteApps(profile);
  }

  get(id: string): JobRecord {
    const job = this.jobs.get(id) ?? this.uploads.get(id);
    if (!job) throw new AppError('notFound', `No job ${id}`, { jobId: id });
    return this.withProgress(job);
  }

  list(): JobRecord[] {
    return [...this.uploads.list(), ...this.jobs.list()].map((j) => this.withProgress(j));
  }

  async submit(req: SubmitRequest): Promise<JobRecord> {
    const app = await this.appFor(req.app, req.profile);
    const options = validateOptions(app.id, app.optionsSchema, req.options ?? {});
    if (req.inputs.length === 0) throw new AppError('validation', `${app.id}: no input image given`);
    const inputs = req.inputs.map((p) => resolve(p));
    for (const p of inputs) {
      if (!existsSync(p) || !statSync(p).isFile()) throw new AppError('notFound', `Input image ${p} does not exist`, { file: p });
    }
    const profile = req.profile;
    const id = randomUUID();
    const localDir = join(this.options.dataDir, 'jobs', id);
    const workdir = profile.type === 'local' || profile.type === 'container'
      ? (profile.workRoot ? join(resolve(profile.workRoot), id) : localDir)
      : profile.type === 'caesar-rest' ? localDir : posix.join(profile.workRoot, id);
    const outputDir = profile.type === 'local' || profile.type === 'container' ? workdir : localDir;
    // inputs keep their names (CAESAR derives output names from them); a clash gets an index prefix
    const names = inputs.map((p, i) => (inputs.findIndex((q) => basename(q) === basename(p)) === i ? basename(p) : `${i}_${basename(p)}`));
    const resources: JobResources = {
      cpus: req.resources?.cpus ?? profile.cpus ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
      ...((req.resources?.memoryMb ?? profile.memoryMb) ? { memoryMb: req.resources?.memoryMb ?? profile.memoryMb } : {}),
      ...((req.resources?.timeMinutes ?? profile.timeMinutes) ? { timeMinutes: req.resources?.timeMinutes ?? profile.timeMinutes } : {}),
      ...((req.resources?.partition ?? ('partition' in profile ? profile.partition : undefined)) ? { partition: req.resources?.partition ?? (profile as { partition?: string }).partition } : {}),
    };
    const ctx = { inputs: names, outDir: '.', threads: resources.cpus!, ...(profile.cirasaCommand ? { cirasaCommand: profile.cirasaCommand } : {}) };
    const distributed = distributedCommand(app, options, ctx, profile, req.parts);
    const built = distributed ? distributed.merge : app.buildCommand(options, ctx);
    const stageDir = join(localDir, '.cirasa-staged');
    const specInputs: JobInput[] = inputs.map((p, i) => ({ localPath: p, remoteName: names[i]! }));
    const command = (b: BuiltCommand) => (b.script ? { script: b.script } : { command: b.argv! });
    const spec: JobSpec = {
      name: `cirasa-${app.id}-${id.slice(0, 8)}${distributed ? '-merge' : ''}`,
      workdir,
      resources,
      stdoutPath: 'stdout.log',
      stderrPath: 'stderr.log',
      app: { id: app.id, options },
      ...command(built),
      ...(distributed
        ? {
          // the first job (preparation, else the part array) carries the inputs, staged once; the rest read them in place
          ...(distributed.prepare
            ? { prepare: { name: `cirasa-${app.id}-${id.slice(0, 8)}-prepare`, workdir, resources, stdoutPath: 'prepare.out', stderrPath: 'prepare.err', inputs: specInputs, ...command(distributed.prepare) } }
            : {}),
          parts: {
            name: `cirasa-${app.id}-${id.slice(0, 8)}-part`, workdir, resources, stdoutPath: 'part-%a.out', stderrPath: 'part-%a.err',
            ...(distributed.prepare ? {} : { inputs: specInputs }), arrayTasks: req.parts!, ...command(distributed.part),
          },
        }
        : { inputs: specInputs }),
    };
    const timeoutMs = req.timeoutMs ?? (resources.timeMinutes ? resources.timeMinutes * 60_000 : undefined);
    const now = new Date().toISOString();
    const job: JobRecord = {
      id, app: app.id, options, inputs, backend: profile.type, profile, state: 'PENDING', submittedAt: now, messages: [], outputDir, spec,
      ...(req.tag ? { tag: req.tag } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(req.imageId !== undefined ? { imageId: req.imageId } : {}),
    };
    let nativeId: string;
    try {
      if (built.files?.length) {
        await mkdir(stageDir, { recursive: true });
        for (const f of built.files) {
          await writeFile(join(stageDir, f.name), f.content);
          specInputs.push({ localPath: join(stageDir, f.name), remoteName: f.name });
        }
      }
      const backend = await this.backendForSpec(profile, app.containerImage, spec);
      // a backend that uploads the image (caesar-rest) reports it: the job shows 'uploading n %' meanwhile
      // (cancelling it then stops the upload)
      nativeId = await backend.submit(spec, this.uploads.begin(id), (p: TransferProgress) => this.uploads.progress(job, p));
    } catch (err) {
      const cancelled = this.uploads.failed(id, `submission failed: ${errText(err)}`);
      // nothing stored half-way: no row, no local directory
      await rm(localDir, { recursive: true, force: true });
      if (workdir !== localDir && outputDir === workdir) await rm(workdir, { recursive: true, force: true });
      throw cancelled ? new AppError('cancelled', `Job ${id} (${app.id} on ${basename(inputs[0]!)}) was cancelled during its upload`, { jobId: id }) : err;
    }
    const cancelled = this.uploads.done(id);
    const submitted: JobRecord = { ...job, nativeId, nativeState: 'SUBMITTED', messages: [`submitted to ${describeProfile(profile)} as ${nativeId}`] };
    this.jobs.insert(submitted);
    this.emit(submitted);
    // cancelled just as the service accepted it: cancel it there too
    if (cancelled) return this.cancel(id);
    this.schedule(Math.min(this.periodMs, 200));
    return this.get(id);
  }

  /**
   * Remember how far a running job is: the backend's own progress (parts of a distributed run), else the app's
   * reading of the stderr so far. Answers whether it changed. Progress is best effort: a failed read is no progress.
   */
  private async updateProgress(job: JobRecord, st: JobStatus, app: FinderApp, backend: JobBackend): Promise<boolean> {
    let progress = st.progress;
    if (!progress && st.state === 'RUNNING' && app.parseProgress) {
      const logs = await backend.fetchLogs({ nativeId: job.nativeId!, spec: job.spec }).catch(() => undefined);
      progress = logs ? app.parseProgress(logs.stderr) : undefined;
    }
    const before = this.progressById.get(job.id);
    if (!progress) return false;
    this.progressById.set(job.id, progress);
    return before?.text !== progress.text;
  }

  /** The record with its in-memory progress (while it runs). */
  private withProgress(job: JobRecord): JobRecord {
    const progress = this.progressById.get(job.id);
    return progress && !isTerminal(job.state) ? { ...job, progress } : job;
  }

  private emit(job: JobRecord): void {
    try {
      this.options.onEvent?.({ type: 'job.statusChanged', job: this.withProgress(job) });
    } catch {
      // a listener's failure must not stop the monitor
    }
  }

  private change(job: JobRecord, u: JobUpdate): JobRecord {
    // a cancel (or another writer) may have ended the job while this pass waited on the backend: keep its end
    const current = this.jobs.get(job.id);
    if (current && isTerminal(current.state) && current.state !== job.state) return current;
    const next = this.jobs.update(job.id, u);
    if (next.state !== job.state || next.nativeState !== job.nativeState || next.catalogueId !== job.catalogueId) this.emit(next);
    return next;
  }

  private async poll(job: JobRecord): Promise<void> {
    if (!job.nativeId) return;
    let backend: JobBackend;
    let app: FinderApp;
    try {
      app = this.apps.forJob(job);
      backend = await this.backendForSpec(job.profile, app.containerImage, job.spec);
    } catch (err) {
      // e.g. an --app-file app this process does not know, or an unreadable key file: another process (or a
      // fixed configuration) can still finish it, so keep its state and say why once
      const note = `cannot monitor here: ${errText(err)}`;
      if (job.messages.at(-1) !== note) this.change(job, { messages: [...job.messages, note] });
      return;
    }
    const since = Date.parse(job.startedAt ?? job.submittedAt);
    if (job.timeoutMs !== undefined && Date.now() - since > job.timeoutMs) {
      try {
        await backend.cancel(job.nativeId);
      } catch (err) {
        job.messages.push(`cancel after timeout failed: ${errText(err)}`);
      }
      this.change(job, {
        state: 'TIMED-OUT', finishedAt: new Date().toISOString(),
        messages: [...job.messages, `timed out after ${Math.round(job.timeoutMs / 1000)} s`],
      });
      return;
    }
    let st: JobStatus;
    try {
      st = await backend.status(job.nativeId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'notFound') {
        this.change(job, { state: 'FAILURE', finishedAt: new Date().toISOString(), messages: [...job.messages, `the backend no longer knows the job: ${err.message}`] });
        return;
      }
      // unreachable / auth: keep the last state, say why once, retry next pass
      const note = `monitor: ${errText(err)}`;
      if (job.messages.at(-1) !== note) this.change(job, { messages: [...job.messages, note] });
      return;
    }
    const times: JobUpdate = {
      ...(isoFromUnix(st.startTime) && !job.startedAt ? { startedAt: isoFromUnix(st.startTime)! } : {}),
      ...(st.exitCode !== undefined ? { exitCode: st.exitCode } : {}),
    };
    if (!isTerminal(st.state)) {
      // a job past PENDING without a backend start time still has started
      const started = st.state !== 'PENDING' && !job.startedAt && !times.startedAt ? { startedAt: new Date().toISOString() } : {};
      const progressed = await this.updateProgress(job, st, app, backend);
      if (st.state !== job.state || st.native !== job.nativeState || times.startedAt || started.startedAt) {
        this.change(job, { state: st.state, nativeState: st.native, ...times, ...started });
      } else if (progressed) {
        this.emit(job);
      }
      return;
    }
    this.progressById.delete(job.id);
    const finishedAt = isoFromUnix(st.endTime) ?? new Date().toISOString();
    const messages = [...job.messages, ...(st.reason && st.state !== 'SUCCESS' ? [st.reason] : [])];
    if (st.state !== 'SUCCESS') {
      if (st.state === 'FAILURE') {
        const stderr = await backend.fetchLogs({ nativeId: job.nativeId, spec: job.spec }).then((l) => settledLines(l.stderr).trim(), () => '');
        if (stderr) messages.push(`stderr: ${tail(stderr, STDERR_IN_MESSAGE)}`);
      }
      this.change(job, { state: st.state, nativeState: st.native, finishedAt, messages, ...times });
      return;
    }
    try {
      const catalogueId = await this.importOutputs(job, app, backend);
      this.change(job, { state: 'SUCCESS', nativeState: st.native, finishedAt, catalogueId, messages: [...messages, `catalogue ${catalogueId} imported`], ...times });
    } catch (err) {
      this.change(job, { state: 'FAILURE', nativeState: st.native, finishedAt, messages: [...messages, `outputs: ${errText(err)}`], ...times });
    }
  }

  private async importOutputs(job: JobRecord, app: FinderApp, backend: JobBackend): Promise<number> {
    await mkdir(job.outputDir, { recursive: true });
    await backend.fetchOutputs({ nativeId: job.nativeId!, spec: job.spec }, job.outputDir);
    const image = job.inputs[0];
    const cat = await app.readOutputs(job.outputDir, job.options, { ...(image ? { image } : {}), name: `${job.tag ?? app.id} ${image ? basename(image) : ''}`.trim() });
    const result = this.options.store.catalogues.import(
      { ...cat, runId: job.id, imagePath: cat.imagePath ?? image, parameters: { app: app.id, ...job.options } },
      job.imageId !== undefined ? { imageId: job.imageId } : {},
    );
    return result.catalogueId;
  }

  /** Cancel a job (idempotent: a finished job is answered as it is). */
  async cancel(id: string): Promise<JobRecord> {
    const job = this.get(id);
    if (isTerminal(job.state)) return job;
    if (!job.nativeId) {
      // still uploading its image: stop the upload (the submission then ends CANCELED, nothing left on the service)
      const ended = this.uploads.cancel(id);
      if (!ended) throw new AppError('validation', `Job ${id} is being submitted: cancel it once it is submitted`, { jobId: id });
      return ended;
    }
    const app = this.apps.forJob(job);
    const backend = await this.backendForSpec(job.profile, app.containerImage, job.spec);
    await backend.cancel(job.nativeId!);
    return this.change(this.get(id), { state: 'CANCELED', nativeState: 'CANCELLED', finishedAt: new Date().toISOString(), messages: [...job.messages, 'cancelled by the user'] });
  }

  /** stdout/stderr so far, the last `tailBytes` of each (default 64 KiB). */
  async logs(id: string, tailBytes = LOG_TAIL): Promise<JobLogs> {
    const job = this.get(id);
    if (!job.nativeId) return { stdout: '', stderr: '' };
    const backend = await this.backendForSpec(job.profile, this.apps.forJob(job).containerImage, job.spec);
    const l = await backend.fetchLogs({ nativeId: job.nativeId!, spec: job.spec });
    return { stdout: tail(l.stdout, tailBytes), stderr: tail(l.stderr, tailBytes) };
  }

  /** Copy the job's files to its local output directory (again); answers their paths. */
  async fetch(id: string): Promise<string[]> {
    const job = this.get(id);
    if (!job.nativeId) return [];
    const backend = await this.backendForSpec(job.profile, this.apps.forJob(job).containerImage, job.spec);
    await mkdir(job.outputDir, { recursive: true });
    return backend.fetchOutputs({ nativeId: job.nativeId!, spec: job.spec }, job.outputDir);
  }
}
