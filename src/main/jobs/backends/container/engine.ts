import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { AppError } from '../../../../shared/contract/errors';

export type EngineKind = 'podman' | 'docker';

export interface EngineResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface EngineRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How the backend talks to podman/docker; tests replace it to feed captured output. */
export type EngineRunner = (args: string[], options: EngineRunOptions) => Promise<EngineResult>;

/** First executable `name` on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The configured engine, else podman, else docker. Podman first: it needs no daemon, and a docker CLI without a
 * running daemon (common on shared machines) would otherwise win and fail on every call.
 */
export function detectEngine(configured: EngineKind | undefined, path?: string): { kind: EngineKind; binary: string } {
  const order: EngineKind[] = configured ? [configured] : ['podman', 'docker'];
  for (const kind of order) {
    const binary = findOnPath(kind, path);
    if (binary) return { kind, binary };
  }
  throw new AppError(
    'jobs.backendUnreachable',
    configured
      ? `The container engine "${configured}" is not installed (not found on PATH)`
      : 'No container engine found: install podman or docker (neither is on PATH)',
    { engine: configured ?? null },
  );
}

/** Run the engine binary; a non-zero exit is returned, not thrown. Missing binary and timeouts become AppErrors. */
export function execEngine(binary: string): EngineRunner {
  return (args, options) =>
    new Promise((resolve, reject) => {
      execFile(
        binary,
        args,
        // cwd: podman's conmon drops an empty `oom` marker file in its working directory when a container is
        // killed at its memory limit (seen with runc on hybrid cgroups): keep that out of the user's folder.
        { cwd: tmpdir(), timeout: options.timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) },
        (err, stdout, stderr) => {
          if (!err) return resolve({ code: 0, stdout, stderr });
          const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null };
          if (e.name === 'AbortError') return reject(err);
          if (e.code === 'ENOENT') {
            return reject(new AppError('jobs.backendUnreachable', `The container engine ${binary} is missing`, { binary }));
          }
          if (e.killed || (typeof e.code !== 'number' && e.signal)) {
            return reject(
              new AppError('jobs.backendUnreachable', `${binary} ${args[0] ?? ''} did not answer within ${options.timeoutMs} ms`, {
                binary,
                args,
              }),
            );
          }
          resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr });
        },
      );
    });
}

/** The engine answered that the container does not exist (podman: "no such container", docker: "No such container/object"). */
export function isNoSuchContainer(stderr: string): boolean {
  return /no such (container|object)|no container with (name or )?id/i.test(stderr);
}

/** Docker CLI without a reachable daemon: nothing answered, the job state is unknown rather than lost. */
export function isDaemonDown(stderr: string): boolean {
  return /cannot connect to the docker daemon|error during connect|is the docker daemon running/i.test(stderr);
}
