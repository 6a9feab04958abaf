/**
 * JSON as CAESAR (and Python's json module) writes it: bare `NaN`, `Infinity`, `-Infinity` tokens are
 * allowed. They are turned into `null` outside strings before JSON.parse; positions in errors are
 * reported as line and column of the original text.
 */
import { parseFailed } from '../parseUtil';

export function sanitizeNonFinite(text: string): string {
  // Strings are matched whole (and kept), so tokens inside them are never touched; the replacement is
  // padded to the token's length so error offsets stay true.
  return text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m[0] === '"' ? m : 'null'.padEnd(m.length, ' ')));
}

/** Byte offset of a JSON.parse error: V8 gives `position N`, or (Node 20) a context snippet to find. */
function errorOffset(text: string, msg: string): number {
  const p = /position (\d+)/.exec(msg);
  if (p) return Number(p[1]);
  if (/end of JSON input/.test(msg)) return text.length;
  const m = /Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(msg);
  if (!m) return NaN;
  const at = text.indexOf(m[2]!);
  return at < 0 ? NaN : at + m[2]!.indexOf(m[1]!);
}

export function parseLenientJson(path: string, text: string): unknown {
  if (text.trim() === '') throw parseFailed(path, 'empty JSON file (CAESAR leaves it empty when the image has no usable WCS)', { line: 1 });
  try {
    return JSON.parse(text); // the common case: plain JSON, no rewrite of a possibly huge text
  } catch {
    // fall through: NaN/Infinity tokens or a real syntax error
  }
  const clean = sanitizeNonFinite(text);
  try {
    return JSON.parse(clean);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = errorOffset(clean, msg);
    if (Number.isFinite(pos)) {
      const before = clean.slice(0, pos).split('\n');
      throw parseFailed(path, `invalid JSON: ${msg}`, { line: before.length, column: before[before.length - 1]!.length + 1 });
    }
    throw parseFailed(path, `invalid JSON: ${msg}`);
  }
}
