import { create } from 'zustand';
import type { FinderAppInfo, JobInfo, JobLogsInfo, JobPresetInfo, ProfileInfo } from '../../../shared/contract/jobs';
import { call, on } from '../../api/client';
import { useCatalogueStore } from '../catalogue/catalogueStore';

interface JobsState {
  jobs: JobInfo[];
  apps: FinderAppInfo[];
  profiles: ProfileInfo[];
  wizardOpen: boolean;
  profilesOpen: boolean;
  /** Option presets of every app. */
  presets: JobPresetInfo[];
  /** Job whose logs are shown, and the logs once fetched. */
  logsJobId: string | null;
  logs: JobLogsInfo | null;
  error: string | null;
  refresh(): Promise<void>;
  /** Apps and profiles for the wizard (profiles are re-read: files may have been added). */
  loadChoices(): Promise<void>;
  setWizardOpen(open: boolean): void;
  setProfilesOpen(open: boolean): void;
  loadPresets(): Promise<void>;
  savePreset(app: string, name: string, options: Record<string, unknown>): Promise<JobPresetInfo>;
  deletePreset(app: string, name: string): Promise<void>;
  submit(req: { app: string; options: Record<string, unknown>; imagePaths: string[]; profile: string; tag?: string; parts?: number }): Promise<JobInfo[]>;
  cancel(jobId: string): Promise<void>;
  showLogs(jobId: string | null): Promise<void>;
  /** Select the catalogue a SUCCESS job imported in the catalogue panel (table, overlay, review). */
  showResult(jobId: string): Promise<void>;
  setError(error: string | null): void;
}

function upsert(jobs: JobInfo[], job: JobInfo): JobInfo[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [job, ...jobs];
  const next = jobs.slice();
  next[i] = job;
  return next;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Jobs of the JobService (the source of truth stays in main) and the submit wizard's choices. */
export const useJobsStore = create<JobsState>()((set, get) => ({
  jobs: [],
  apps: [],
  profiles: [],
  wizardOpen: false,
  profilesOpen: false,
  presets: [],
  logsJobId: null,
  logs: null,
  error: null,
  async refresh() {
    try {
      set({ jobs: await call('jobs.list', {}) });
    } catch (err) {
      set({ error: message(err) });
    }
  },
  async loadChoices() {
    const [apps, profiles] = await Promise.all([call('jobs.apps', {}), call('jobs.profiles', {})]);
    set({ apps, profiles });
  },
  setWizardOpen: (wizardOpen) => set({ wizardOpen }),
  setProfilesOpen: (profilesOpen) => set({ profilesOpen }),
  async loadPresets() {
    set({ presets: await call('jobs.presets', {}) });
  },
  async savePreset(app, name, options) {
    const saved = await call('jobs.savePreset', { app, name, options });
    await get().loadPresets();
    return saved;
  },
  async deletePreset(app, name) {
    await call('jobs.deletePreset', { app, name });
    await get().loadPresets();
  },
  async submit(req) {
    const { tag, parts, ...rest } = req;
    const jobs = await call('jobs.submit', { ...rest, ...(tag ? { tag } : {}), ...(parts && parts > 1 ? { parts } : {}) });
    let all = get().jobs;
    for (const j of jobs) all = upsert(all, j);
    set({ jobs: all, error: null });
    return jobs;
  },
  async cancel(jobId) {
    try {
      const job = await call('jobs.cancel', { jobId });
      set({ jobs: upsert(get().jobs, job) });
    } catch (err) {
      set({ error: message(err) });
    }
  },
  async showLogs(jobId) {
    set({ logsJobId: jobId, logs: null });
    if (!jobId) return;
    try {
      const logs = await call('jobs.logs', { jobId });
      if (get().logsJobId === jobId) set({ logs });
    } catch (err) {
      if (get().logsJobId === jobId) set({ logs: { stdout: '', stderr: `(logs unavailable: ${message(err)})` } });
    }
  },
  async showResult(jobId) {
    try {
      const { catalogueId } = await call('jobs.openResult', { jobId });
      const cats = useCatalogueStore.getState();
      // the service imported it straight into the store: the list may not know it yet
      if (!cats.catalogues.some((c) => c.catalogueId === catalogueId)) await cats.refresh();
      useCatalogueStore.getState().setActive(catalogueId);
      useCatalogueStore.getState().setStyle(catalogueId, { visible: true });
    } catch (err) {
      set({ error: message(err) });
    }
  },
  setError: (error) => set({ error }),
}));

/** Keep the list live: job.statusChanged events; a job that got its catalogue refreshes the catalogue list. */
export function subscribeJobEvents(): () => void {
  void useJobsStore.getState().refresh();
  return on('job.statusChanged', ({ job }) => {
    const before = useJobsStore.getState().jobs.find((j) => j.id === job.id);
    useJobsStore.setState((s) => ({ jobs: upsert(s.jobs, job) }));
    if (job.catalogueId !== undefined && before?.catalogueId !== job.catalogueId) void useCatalogueStore.getState().refresh().catch(() => undefined);
  });
}
