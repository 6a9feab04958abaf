import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { FileEntry, SFTPWrapper } from 'ssh2';
import { AppError } from '../../../shared/contract/errors';
import type { RemoteFiles } from '../remoteFiles';
import type { TransferOptions } from '../types';

/** SFTP status code for "no such file" (SSH_FX_NO_SUCH_FILE). */
const NO_SUCH_FILE = 2;
const isMissing = (err: unknown): boolean => (err as { code?: unknown }).code === NO_SUCH_FILE;

type Sftp = () => Promise<SFTPWrapper>;

function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** The cluster's files over SFTP (staging for slurm-ssh, and for slurm-rest without a shared file system). */
export class SftpFiles implements RemoteFiles {
  /** `sftp` opens (or reuses) the channel; `onClose` releases the connection when this owns it. */
  constructor(
    private readonly sftp: Sftp,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async mkdirp(remoteDir: string): Promise<void> {
    const s = await this.sftp();
    const parts = remoteDir.split('/').filter((p) => p !== '');
    let path = remoteDir.startsWith('/') ? '' : '.';
    for (const part of parts) {
      path = `${path}/${part}`;
      try {
        await call<void>((cb) => s.mkdir(path, (err) => cb(err, undefined)));
      } catch (err) {
        // exists already (SFTP answers a generic FAILURE for that): fine if it is a directory
        const st = await call<{ isDirectory(): boolean }>((cb) => s.stat(path, cb)).catch(() => undefined);
        if (!st?.isDirectory()) throw new AppError('jobs.commandFailed', `Cannot create ${path} over SFTP: ${(err as Error).message}`, { path });
      }
    }
  }

  async upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<void> {
    const s = await this.sftp();
    options?.signal?.throwIfAborted();
    const totalBytes = (await stat(localPath)).size;
    await this.mkdirp(posix.dirname(remotePath));
    let reported = -1;
    await call<void>((cb) =>
      s.fastPut(
        localPath,
        remotePath,
        {
          step: (transferred: number, _chunk: number, total: number) => {
            reported = transferred;
            options?.onProgress?.({ file: remotePath, transferredBytes: transferred, totalBytes: total });
          },
        },
        (err) => cb(err, undefined),
      ),
    ).catch((err: Error) => {
      throw new AppError('jobs.commandFailed', `Cannot upload ${localPath} to ${remotePath} over SFTP: ${err.message}`, { path: remotePath });
    });
    // an empty file gets no step: report completion once
    if (reported < totalBytes) options?.onProgress?.({ file: remotePath, transferredBytes: totalBytes, totalBytes });
  }

  async readText(remotePath: string, signal?: AbortSignal): Promise<string | undefined> {
    const s = await this.sftp();
    signal?.throwIfAborted();
    try {
      const data = await call<Buffer>((cb) => s.readFile(remotePath, cb));
      return data.toString('utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw new AppError('jobs.commandFailed', `Cannot read ${remotePath} over SFTP: ${(err as Error).message}`, { path: remotePath });
    }
  }

  async downloadDir(remoteDir: string, localDir: string, options?: TransferOptions): Promise<string[]> {
    const s = await this.sftp();
    const files: { remote: string; rel: string; size: number }[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let list: FileEntry[];
      try {
        list = await call<FileEntry[]>((cb) => s.readdir(dir, cb));
      } catch (err) {
        if (isMissing(err) && rel === '') {
          throw new AppError('jobs.outputsMissing', `The job directory ${remoteDir} does not exist on the cluster`, { remoteDir });
        }
        throw new AppError('jobs.commandFailed', `Cannot list ${dir} over SFTP: ${(err as Error).message}`, { path: dir });
      }
      for (const e of list.sort((a, b) => a.filename.localeCompare(b.filename))) {
        const remote = posix.join(dir, e.filename);
        const r = rel === '' ? e.filename : `${rel}/${e.filename}`;
        const type = e.attrs.mode & 0o170000; // S_IFMT
        if (type === 0o040000) await walk(remote, r);
        else if (type === 0o100000) files.push({ remote, rel: r, size: e.attrs.size });
      }
    };
    await walk(remoteDir, '');
    const out: string[] = [];
    for (const f of files) {
      options?.signal?.throwIfAborted();
      const target = join(localDir, ...f.rel.split('/'));
      await mkdir(dirname(target), { recursive: true });
      let reported = -1;
      await call<void>((cb) =>
        s.fastGet(
          f.remote,
          target,
          {
            step: (transferred: number, _chunk: number, total: number) => {
              reported = transferred;
              options?.onProgress?.({ file: f.remote, transferredBytes: transferred, totalBytes: total });
            },
          },
          (err) => cb(err, undefined),
        ),
      ).catch((err: Error) => {
        throw new AppError('jobs.commandFailed', `Cannot download ${f.remote} over SFTP: ${err.message}`, { path: f.remote });
      });
      if (reported < f.size) options?.onProgress?.({ file: f.remote, transferredBytes: f.size, totalBytes: f.size });
      out.push(target);
    }
    return out;
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
