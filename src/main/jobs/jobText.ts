/** Small text helpers of the job service. */
import { AppError } from '../../shared/contract/errors';

export function tail(text: string, bytes: number): string {
  return text.length > bytes ? text.slice(text.length - bytes) : text;
}

export function isoFromUnix(s: number | undefined): string | undefined {
  return s ? new Date(s * 1000).toISOString() : undefined;
}

export function errText(err: unknown): string {
  return err instanceof AppError ? `${err.message} [${err.code}]` : err instanceof Error ? err.message : String(err);
}

/** A terminal's view of progress output: each line as its last `\r`-overwritten segment (blank ones dropped). */
export function settledLines(text: string): string {
  return text.split('\n').map((line) => line.split('\r').filter((s) => s.trim() !== '').at(-1) ?? '').filter((l) => l !== '').join('\n');
}
