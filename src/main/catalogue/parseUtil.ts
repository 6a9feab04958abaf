/** Helpers shared by the text readers: located errors and lenient number parsing. */
import { basename } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { Extra } from '../../shared/domain/source';

export interface Where {
  line?: number;
  column?: string | number;
  field?: string;
}

/** `catalogue.parseFailed` naming the file and, when known, the 1-based line and the column/field. */
export function parseFailed(path: string, message: string, where: Where = {}): AppError {
  const at = [where.line !== undefined ? `line ${where.line}` : '', where.column !== undefined ? `column ${where.column}` : '', where.field ? `field '${where.field}'` : '']
    .filter(Boolean)
    .join(', ');
  return new AppError('catalogue.parseFailed', `${basename(path)}${at ? ` (${at})` : ''}: ${message}`, { file: path, ...where });
}

/** A number, accepting nan/inf spellings; non-finite → undefined (the model never holds NaN). */
export function finite(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** Strict number for a text cell: throws a located error unless it is a number or nan/inf. */
export function cellNumber(path: string, text: string, where: Where): number | undefined {
  const t = text.trim();
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return undefined;
  const n = Number(t);
  if (t === '' || Number.isNaN(n)) throw parseFailed(path, `'${t}' is not a number`, where);
  return Number.isFinite(n) ? n : undefined;
}

/** Copy defined entries only (keeps the model free of `undefined` keys for stable JSON). */
export function compact<T extends object>(o: T): T {
  // for…in rather than Object.entries: no pair arrays per object (readers call this per row, 10⁶ times).
  const out: Record<string, unknown> = {};
  const src = o as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** Finite numbers and strings of a record, as `extra`. */
export function extraOf(values: Record<string, unknown>): Extra | undefined {
  const out: Extra = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function stem(path: string): string {
  return basename(path).replace(/\.[^.]+$/, '');
}
