import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import type { JobSpec, TransferOptions } from '../../types';

/** Why the backend ended a container (cancel, time limit), kept in the job directory: labels cannot change after run. */
export const END_MARKER = '.cirasa-container-end.json';

/**
 * The job directory's regular files, minus the read-only input mounts (the engine leaves an empty mount-point file
 * for each on the host) and the backend's marker; copied into `localDir` with the same layout, or listed in place
 * when `localDir` is the job directory itself (the container wrote straight to this machine's disk).
 */
export async function collectOutputs(spec: JobSpec, localDir: string, options?: TransferOptions): Promise<string[]> {
  const source = resolve(spec.workdir);
  const skip = new Set<string>([END_MARKER, ...(spec.inputs ?? []).map((i) => posix.normalize(i.remoteName))]);
  let files: string[];
  try {
    files = (await readdir(source, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('jobs.outputsMissing', `The job directory ${spec.workdir} of "${spec.name}" does not exist`, { remoteDir: spec.workdir });
    }
    throw err;
  }
  const target = resolve(localDir);
  const inPlace = target === source;
  const out: string[] = [];
  for (const file of files.sort()) {
    options?.signal?.throwIfAborted();
    const rel = relative(source, file);
    if (skip.has(rel.split(sep).join('/'))) continue;
    const dest = inPlace ? file : join(target, rel);
    if (!inPlace) {
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(file, dest);
    }
    const size = (await stat(dest)).size;
    options?.onProgress?.({ file, transferredBytes: size, totalBytes: size });
    out.push(dest);
  }
  return out;
}
