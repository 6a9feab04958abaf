/**
 * Named option presets per finder app, in `<dataDir>/presets.json` (small, human-readable, survives a new store).
 * Writes go to a temporary file renamed over the old one, so a crash never leaves half a file.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import type { JobPresetInfo } from '../../shared/contract/jobs';

interface PresetFile {
  cirasaPresets: 1;
  presets: JobPresetInfo[];
}

export class PresetStore {
  /** One write at a time (two quick saves must not lose one). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  private async read(): Promise<JobPresetInfo[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const doc = JSON.parse(text) as Partial<PresetFile>;
      if (!Array.isArray(doc.presets)) throw new Error('no presets array');
      return doc.presets.filter((p) => p && typeof p.app === 'string' && typeof p.name === 'string' && p.options && typeof p.options === 'object');
    } catch (err) {
      throw new AppError('validation', `${this.path}: not a presets file (${(err as Error).message})`, { file: this.path });
    }
  }

  private async write(presets: JobPresetInfo[]): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ cirasaPresets: 1, presets } satisfies PresetFile, null, 2)}\n`);
    await rename(tmp, this.path);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Presets of `app` (or all), sorted by app then name. */
  async list(app?: string): Promise<JobPresetInfo[]> {
    const all = await this.read();
    return all.filter((p) => app === undefined || p.app === app).sort((a, b) => a.app.localeCompare(b.app) || a.name.localeCompare(b.name));
  }

  /** Save or replace (same app and name). `options` should already be validated against the app's schema. */
  save(preset: JobPresetInfo): Promise<JobPresetInfo> {
    return this.serial(async () => {
      const all = (await this.read()).filter((p) => !(p.app === preset.app && p.name === preset.name));
      all.push(preset);
      await this.write(all);
      return preset;
    });
  }

  delete(app: string, name: string): Promise<void> {
    return this.serial(async () => {
      const all = await this.read();
      const rest = all.filter((p) => !(p.app === app && p.name === name));
      if (rest.length === all.length) throw new AppError('notFound', `No preset "${name}" for ${app}`, { app, name });
      await this.write(rest);
    });
  }
}
