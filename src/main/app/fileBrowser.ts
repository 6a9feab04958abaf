import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { DirEntry } from '../../shared/contract/images';

const FITS_NAME = /\.(fits?|fts|fit)(\.fz)?$/i;
/** Catalogue files: tables (CSV/TSV/text, VOTable, JSON, DS9 regions, finder outputs) and FITS tables. */
const CATALOGUE_NAME = /\.(csv|tsv|txt|dat|ascii|cat|vot|votable|xml|json|reg|ldac|fits?|fts)$/i;

/** List a folder for the in-app file browser: sub-folders and FITS files, folders first, hidden entries skipped. */
export async function listDirectory(dir: string, kind: 'image' | 'catalogue' = 'image'): Promise<{ dir: string; parent: string | null; entries: DirEntry[] }> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = await readdir(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('notFound', `No such folder: ${abs}`, { dir: abs });
    throw new AppError('fits.io', `Cannot read folder ${abs}: ${(err as Error).message}`, { dir: abs });
  }
  const entries: DirEntry[] = [];
  await Promise.all(
    names
      .filter((n) => !n.startsWith('.'))
      .map(async (name) => {
        const path = join(abs, name);
        try {
          const s = await stat(path);
          if (s.isDirectory()) entries.push({ name, path, kind: 'dir', sizeBytes: 0 });
          else if (s.isFile() && (kind === 'catalogue' ? CATALOGUE_NAME : FITS_NAME).test(name)) entries.push({ name, path, kind: 'file', sizeBytes: s.size });
        } catch {
          // A dangling link or a file that vanished: leave it out.
        }
      }),
  );
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(abs);
  return { dir: abs, parent: parent === abs ? null : parent, entries };
}
