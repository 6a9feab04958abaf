import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RecentFile } from '../../shared/contract/images';

const MAX_RECENT = 20;

/**
 * Recently opened files, newest first, in a small JSON file in the data folder. Written to a temp file
 * and renamed so a crash never leaves it half-written.
 */
export class RecentFiles {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent.json');
  }

  async list(): Promise<RecentFile[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (r): r is RecentFile => typeof r === 'object' && r !== null && typeof (r as RecentFile).path === 'string',
      );
    } catch {
      return []; // missing or unreadable: start afresh rather than fail the app
    }
  }

  async add(path: string): Promise<void> {
    const list = (await this.list()).filter((r) => r.path !== path);
    list.unshift({ path, fileName: basename(path), openedAt: new Date().toISOString() });
    await this.save(list.slice(0, MAX_RECENT));
  }

  async clear(): Promise<void> {
    await this.save([]);
  }

  /** Folder of the newest recent file, for the file browser's default location. */
  async lastDir(): Promise<string | null> {
    const [first] = await this.list();
    return first ? dirname(first.path) : null;
  }

  private async save(list: RecentFile[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(list, null, 2));
    await rename(tmp, this.file);
  }
}
