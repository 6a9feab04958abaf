import { isAbsolute, resolve } from 'node:path';

export interface LaunchContext {
  /** app.isPackaged: packaged argv is [app, ...args]; development argv is [electron, entry, ...args]. */
  packaged: boolean;
  /** Working directory the arguments are relative to. */
  cwd: string;
}

/**
 * The file to open from a command line (`cirasa-desktop image.fits`, or a second instance's argv):
 * the first argument that is not a switch, made absolute. Chromium adds switches of its own
 * (`--allow-file-access-from-files`, `--original-process-start-time=...`), hence the filter.
 */
export function fileArgument(argv: readonly string[], ctx: LaunchContext): string | null {
  const args = argv.slice(ctx.packaged ? 1 : 2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1] ? resolve(ctx.cwd, args[i + 1]!) : null;
    if (arg.startsWith('-') || arg === '.' || arg === '') continue;
    return isAbsolute(arg) ? arg : resolve(ctx.cwd, arg);
  }
  return null;
}

/** What a second instance hands over through requestSingleInstanceLock(additionalData). */
export interface InstanceHandOver {
  path: string | null;
}

/** Read the hand-over defensively: it comes from another process. */
export function readHandOver(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const path = (data as { path?: unknown }).path;
  return typeof path === 'string' && path.length > 0 && path.length < 4096 && isAbsolute(path) ? path : null;
}
