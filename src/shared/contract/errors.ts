/**
 * Error codes are a closed, namespaced union. Inside main code throws `AppError`; a transport binding
 * never lets an exception escape and answers `{ ok: false, error }` instead (Electron's `invoke`
 * drops custom error fields, so errors travel as data). The renderer maps codes to text in one table.
 */
export const ERROR_CODES = [
  'fits.notFits',
  'fits.truncated',
  'fits.badAxis',
  'fits.unsupportedBitpix',
  'fits.notImage',
  'fits.noSuchHdu',
  'fits.badCard',
  'fits.io',
  'wcs.noCelestialAxes',
  'wcs.unsupportedProjection',
  'wcs.outOfDomain',
  'wcs.badCoordinate',
  'tiles.notFound',
  'image.notOpen',
  'validation',
  'auth.required',
  'notFound',
  'cancelled',
  'internal',
  'catalogue.parseFailed',
  'store.newerSchema',
  'store.corrupt',
  'filter.parseFailed',
  'jobs.backendUnreachable',
  'jobs.authFailed',
  'jobs.submitFailed',
  'jobs.badResponse',
  'jobs.hostKeyUnknown',
  'jobs.hostKeyChanged',
  'jobs.commandFailed',
  'jobs.outputsMissing',
  'jobs.uploadTooLarge',
  'session.badFile',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turn anything thrown into the wire shape. Unknown errors become `internal` (message kept, stack not sent). */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return err.toJSON();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

/** What every contract call answers, on every transport. */
export type Result<T> =
  | { ok: true; value: T; warnings?: string[] }
  | { ok: false; error: SerializedError };
