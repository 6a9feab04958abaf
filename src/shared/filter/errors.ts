import { AppError } from '../contract/errors';

/** The text around `position` with a caret under it (one line; long expressions are windowed). */
export function caretExcerpt(text: string, position: number): string {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  const start = Math.max(0, position - 40);
  const end = Math.min(flat.length, position + 40);
  const prefix = start > 0 ? '…' : '';
  const line = prefix + flat.slice(start, end) + (end < flat.length ? '…' : '');
  return `  ${line}\n  ${' '.repeat(prefix.length + position - start)}^`;
}

/** AppError('filter.parseFailed') pointing at `position` (0-based character offset). */
export function filterError(text: string, position: number, problem: string, expected?: string): AppError {
  const details: Record<string, unknown> = { position };
  if (expected !== undefined) details.expected = expected;
  return new AppError('filter.parseFailed', `filter: ${problem} at character ${position + 1}\n${caretExcerpt(text, position)}`, details);
}
