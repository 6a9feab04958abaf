import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvFileRecords, parseCsv } from './csvParse';

const dir = mkdtempSync(join(tmpdir(), 'csv-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Quoted fields with newlines, commas, doubled quotes; CRLF lines; multi-byte UTF-8 (split across chunks too).
const TEXT = [
  '# meta: é',
  'id,name,notes',
  'S1,"a, b","line one\nline two"',
  'S2,plain,"say ""hi"""\r',
  'S3,ünïcødé ☃,"x\r\ny"',
  'S4,,',
  '"S5","q""",end',
].join('\n');

describe('csvFileRecords', () => {
  it('gives the same records and line numbers as parseCsv whatever the chunk size', () => {
    const file = join(dir, 'a.csv');
    writeFileSync(file, TEXT);
    const whole = parseCsv(file, TEXT);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 8, 9]);
    for (const chunk of [1, 2, 3, 5, 7, 16, 64, 1 << 20]) {
      expect([...csvFileRecords(file, undefined, chunk)], `chunk ${chunk}`).toEqual(whole);
    }
  });

  it('reports the bytes read, ending at the file size', () => {
    const file = join(dir, 'b.csv');
    writeFileSync(file, `${TEXT}\n`);
    const seen: number[] = [];
    let total = 0;
    const n = [...csvFileRecords(file, (read, size) => { seen.push(read); total = size; }, 16)].length;
    expect(n).toBe(7);
    expect(seen.at(-1)).toBe(total);
    expect(total).toBe(Buffer.byteLength(`${TEXT}\n`));
  });

  it('still names the line of an unterminated quoted field', () => {
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'a,b\n1,"open\n2,3\n');
    expect(() => [...csvFileRecords(file, undefined, 4)]).toThrow(/line 2.*unterminated/);
  });
});
