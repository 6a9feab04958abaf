/**
 * JSON as CAESAR (and Python's json module) writes it: bare `NaN`, `Infinity`, `-Infinity` tokens are
 * allowed. They are turned into `null` outside strings before JSON.parse; positions in errors are
 * reported as line and column of the original text.
 */
import { parseFailed } from '../parseUtil';

export function sanitizeNonFinite(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^-?(?:Infinity|NaN)/.exec(text.slice(i, i + 9));
    if (m) {
      out += 'null'.padEnd(m[0].length, ' '); // keep offsets so error positions stay true
      i += m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
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
