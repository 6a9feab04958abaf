/** RFC 4180 CSV records (quoted fields may hold commas, quotes and newlines), for the CSV readers. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseFailed } from '../parseUtil';

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Split RFC 4180 text into records of fields, keeping each record's starting line number. */
export function parseCsv(path: string, text: string): CsvRecord[] {
  return [...csvRecords(path, text)];
}

/**
 * Where a partial parse stopped: the text offset and line of the first record not yet complete. With
 * `final: false` the text is a chunk of a longer file, and a record it cuts is left for the next chunk.
 */
interface ChunkState {
  offset: number;
  line: number;
}

/** parseCsv one record at a time: a 10⁶-row file never holds every record's fields at once. */
export function* csvRecords(path: string, text: string, chunk?: { final: boolean; state: ChunkState }): Generator<CsvRecord> {
  const final = chunk?.final ?? true;
  let line = chunk?.state.line ?? 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const startAt = i;
    // Fast path: a record without quotes is one line split at commas.
    let end = text.indexOf('\n', i);
    if (end < 0) {
      if (!final) return;
      end = text.length;
    }
    const plain = text.slice(i, end);
    if (!plain.includes('"')) {
      i = end + 1;
      line++;
      if (chunk) Object.assign(chunk.state, { offset: Math.min(i, text.length), line });
      yield { line: start, fields: (plain.endsWith('\r') ? plain.slice(0, -1) : plain).split(',') };
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let ended = false;
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
      if (ch === '\n') { i++; line++; ended = true; break; }
      field += ch; i++;
    }
    if (!ended && !final) {
      // The chunk cut this record: leave it (from its start) for the next chunk.
      if (chunk) Object.assign(chunk.state, { offset: startAt, line: start });
      return;
    }
    if (quoted) throw parseFailed(path, 'unterminated quoted field', { line: start });
    fields.push(field);
    if (chunk) Object.assign(chunk.state, { offset: i, line });
    yield { line: start, fields };
  }
}

const CHUNK_BYTES = 8 << 20;

/**
 * csvRecords of a whole file read in chunks (synchronously, so a caller can consume them inside one SQLite
 * transaction): a 400 MB file never becomes one string. `onBytes` gets the bytes read so far and the file size.
 */
export function* csvFileRecords(path: string, onBytes?: (read: number, size: number) => void, chunkBytes = CHUNK_BYTES): Generator<CsvRecord> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder('utf8');
    const state: ChunkState = { offset: 0, line: 1 };
    let carry = '';
    let read = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, null);
      read += n;
      const final = n === 0;
      const text = carry + (final ? decoder.end() : decoder.write(buf.subarray(0, n)));
      state.offset = 0;
      yield* csvRecords(path, text, { final, state });
      onBytes?.(read, size);
      if (final) return;
      carry = text.slice(state.offset);
    }
  } finally {
    closeSync(fd);
  }
}
