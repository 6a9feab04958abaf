/** RFC 4180 CSV records (quoted fields may hold commas, quotes and newlines), for the CSV readers. */
import { parseFailed } from '../parseUtil';

/** Split RFC 4180 text into records of fields, keeping each record's starting line number. */
export function parseCsv(path: string, text: string): { line: number; fields: string[] }[] {
  return [...csvRecords(path, text)];
}

/** parseCsv one record at a time: a 10⁶-row file never holds every record's fields at once. */
export function* csvRecords(path: string, text: string): Generator<{ line: number; fields: string[] }> {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    // Fast path: a record without quotes is one line split at commas.
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const plain = text.slice(i, end);
    if (!plain.includes('"')) {
      yield { line: start, fields: (plain.endsWith('\r') ? plain.slice(0, -1) : plain).split(',') };
      i = end + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) break;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i++; continue; }
        if (ch === '\n') line++;
        field += ch; i++;
        continue;
      }
      if (ch === '"' && field === '') { quoted = true; i++; continue; }
      if (ch === ',') { fields.push(field); field = ''; i++; continue; }
      if (ch === '\r' && text[i + 1] === '\n') { i++; continue; }
      if (ch === '\n') { i++; line++; break; }
      field += ch; i++;
    }
    if (quoted) throw parseFailed(path, 'unterminated quoted field', { line: start });
    fields.push(field);
    yield { line: start, fields };
  }
}
