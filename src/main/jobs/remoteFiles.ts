import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, posix, relative } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { TransferOptions } from './types';

/**
 * The executing side's file system as a backend sees it: a shared file system reached through a path mapping,
 * or SFTP. Paths passed in are REMOTE (cluster-side, POSIX); local paths are this machine's.
 */
export interface RemoteFiles {
  mkdirp(remoteDir: string): Promise<void>;
  upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<void>;
  /** Whole text of a remote file, or undefined when it does not exist. */
  readText(remotePath: string, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Copy every regular file under remoteDir into localDir (same relative layout); answers local paths.
   * Throws `jobs.outputsMissing` when remoteDir does not exist.
   */
  downloadDir(remoteDir: string, localDir: string, options?: TransferOptions): Promise<string[]>;
  close(): Promise<void>;
}

export interface PathMapping {
  /** Prefix as the cluster sees it, e.g. /scratch/astro. */
  remotePrefix: string;
  /** The same directory mounted here, e.g. /mnt/cluster-scratch. */
  localPrefix: string;
}

/** Shared file system: remote paths are translated by the longest matching prefix and read with node:fs. */
export class MappedFiles implements RemoteFiles {
  constructor(private readonly mappings: readonly PathMapping[]) {}

  toLocal(remotePath: string): string {
    let best: PathMapping | undefined;
    for (const m of this.mappings) {
      const p = m.remotePrefix.replace(/\/+$/, '');
      if ((remotePath === p || remotePath.startsWith(`${p}/`)) && (!best || p.length > best.remotePrefix.length)) best = m;
    }
    if (!best) {
      throw new AppError('validation', `Remote path ${remotePath} is outside every shared-filesystem mapping`, {
        remotePath,
      });
    }
    const rest = posix.relative(best.remotePrefix, remotePath);
    return rest === '' ? best.localPrefix : join(best.localPrefix, ...rest.split('/'));
  }

  async mkdirp(remoteDir: string): Promise<void> {
    await mkdir(this.toLocal(remoteDir), { recursive: true });
  }

  async upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    const target = this.toLocal(remotePath);
    await mkdir(dirname(target), { recursive: true });
    const size = (await stat(localPath)).size;
    await copyFile(localPath, target);
    options?.onProgress?.({ file: remotePath, transferredBytes: size, totalBytes: size });
  }

  async readText(remotePath: string): Promise<string | undefined> {
    try {
      return await readFile(this.toLocal(remotePath), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async downloadDir(remoteDir: string, localDir: string, options?: TransferOptions): Promise<string[]> {
    const source = this.toLocal(remoteDir);
    let entries: string[];
    try {
      entries = (await readdir(source, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('jobs.outputsMissing', `The job directory ${remoteDir} does not exist (looked at ${source})`, {
          remoteDir,
        });
      }
      throw err;
    }
    const out: string[] = [];
    for (const file of entries.sort()) {
      options?.signal?.throwIfAborted();
      const rel = relative(source, file);
      const target = join(localDir, rel);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file, target);
      const size = (await stat(target)).size;
      options?.onProgress?.({ file: posix.join(remoteDir, ...rel.split('/')), transferredBytes: size, totalBytes: size });
      out.push(target);
    }
    return out;
  }

  async close(): Promise<void> {}
}
