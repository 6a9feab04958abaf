/**
 * VOTable reader for the flat table our VOTable exporter writes (TABLEDATA or BINARY2; first TABLE).
 * It reads FIELD names/datatypes generally (char, double, float, int, short, long, boolean scalars) but
 * rebuilds sources only from our column names; foreign VOTables with other columns are rejected with a
 * clear error rather than guessed at. A regular-expression scan is enough for this regular XML.
 */
import { readFile } from 'node:fs/promises';
import type { CatalogueReader } from '../types';
import { parseFailed, stem } from '../parseUtil';
import { cellsBuilder, type FlatCell, type FlatMeta, type FlatRecord, flatToCatalogue } from './flatRows';

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const map: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return map[e.toLowerCase()] ?? '';
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]!) : undefined;
}

const FRAME_OF_SYSTEM: Record<string, string> = { ICRS: 'icrs', eq_FK5: 'fk5', eq_FK4: 'fk4', galactic: 'galactic' };

interface Field { name: string; datatype: string; arraysize?: string }

const BINARY_WIDTH: Record<string, number> = { double: 8, float: 4, int: 4, short: 2, long: 8, boolean: 1, unsignedByte: 1 };

function* decodeBinary2(path: string, b64: string, fields: Field[]): Generator<FlatRecord> {
  const buf = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
  const build = cellsBuilder(fields.map((f) => f.name));
  const maskBytes = Math.ceil(fields.length / 8);
  let p = 0;
  let row = 0;
  const need = (n: number): void => {
    if (p + n > buf.length) throw parseFailed(path, `BINARY2 stream truncated in row ${row + 1}`, { line: row + 1 });
  };
  while (p < buf.length) {
    need(maskBytes);
    const maskAt = p;
    p += maskBytes;
    const values: FlatCell[] = new Array<FlatCell>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const isNull = (buf[maskAt + (i >> 3)]! & (0x80 >> (i & 7))) !== 0;
      let v: FlatCell;
      if (f.datatype === 'char' || f.datatype === 'unicodeChar') {
        let n: number;
        if (f.arraysize?.endsWith('*')) { need(4); n = buf.readUInt32BE(p); p += 4; } else n = Number(f.arraysize ?? 1);
        const bytes = f.datatype === 'unicodeChar' ? n * 2 : n;
        need(bytes);
        v = (f.datatype === 'unicodeChar' ? Buffer.from(buf.subarray(p, p + bytes)).swap16().toString('utf16le') : buf.toString('utf8', p, p + bytes)).replace(/\0+$/, '');
        p += bytes;
      } else {
        const w = BINARY_WIDTH[f.datatype];
        if (!w) throw parseFailed(path, `unsupported BINARY2 datatype '${f.datatype}'`, { field: f.name });
        need(w);
        v = f.datatype === 'double' ? buf.readDoubleBE(p) : f.datatype === 'float' ? buf.readFloatBE(p) : f.datatype === 'int' ? buf.readInt32BE(p)
          : f.datatype === 'short' ? buf.readInt16BE(p) : f.datatype === 'long' ? Number(buf.readBigInt64BE(p)) : f.datatype === 'boolean' ? String.fromCharCode(buf[p]!) : buf[p]!;
        p += w;
      }
      values[i] = isNull ? undefined : v;
    }
    row++;
    yield { where: row, cells: build(values) };
  }
}

/** TABLEDATA rows one at a time (`firstLine`: the file line of the TABLEDATA element, for errors). */
function* tableDataRows(path: string, body: string, fields: Field[], firstLine: number): Generator<FlatRecord> {
  const build = cellsBuilder(fields.map((f) => f.name));
  const intField = fields.map((f) => f.datatype === 'int');
  const trRe = /<TR\b[^>]*>([\s\S]*?)<\/TR>/g;
  const tdRe = /<TD\b[^>]*\/>|<TD\b[^>]*>([\s\S]*?)<\/TD>/g;
  let k = 0;
  for (let tr = trRe.exec(body); tr; tr = trRe.exec(body)) {
    const row = tr[1]!;
    const values: FlatCell[] = [];
    tdRe.lastIndex = 0;
    for (let m = tdRe.exec(row); m; m = tdRe.exec(row)) {
      const raw = m[1];
      values.push(raw === undefined ? '' : raw.includes('&') ? unescapeXml(raw) : raw);
    }
    if (values.length !== fields.length) throw parseFailed(path, `row ${k + 1} has ${values.length} TD, ${fields.length} FIELDs declared`, { line: firstLine + k });
    for (let i = 0; i < values.length; i++) if (intField[i] && values[i] === '-2147483648') values[i] = undefined;
    k++;
    yield { where: k, cells: build(values) };
  }
}

export const votableReader: CatalogueReader = {
  id: 'votable',
  detect: (_p, head) => /<VOTABLE[\s>]/.test(head.toString('utf8')),
  async read(path, opts) {
    const text = await readFile(path, 'utf8');
    const tableStart = text.indexOf('<TABLE');
    if (tableStart < 0) throw parseFailed(path, 'no TABLE element');
    const meta: FlatMeta = {};
    for (const m of text.slice(0, tableStart).matchAll(/<INFO\b[^>]*>/g)) {
      const name = attr(m[0], 'name'), value = attr(m[0], 'value');
      if (name === undefined || value === undefined) continue;
      const key = ({ catalogue_id: 'id', run_id: 'runId' } as Record<string, string>)[name] ?? name;
      (meta as Record<string, unknown>)[key] = value;
    }
    const coosys = /<COOSYS\b[^>]*>/.exec(text);
    if (coosys) meta.frame = FRAME_OF_SYSTEM[attr(coosys[0], 'system') ?? ''] ?? undefined;
    const params: Record<string, number> = {};
    for (const m of text.matchAll(/<PARAM\b[^>]*>/g)) params[attr(m[0], 'name') ?? ''] = Number(attr(m[0], 'value'));
    if (params.beam_bmaj && params.beam_bmin) meta.beam = { bmajArcsec: params.beam_bmaj, bminArcsec: params.beam_bmin, paDeg: params.beam_pa ?? 0 };
    const tableEnd = text.indexOf('</TABLE>', tableStart);
    const table = text.slice(tableStart, tableEnd < 0 ? undefined : tableEnd);
    const fields: Field[] = [...table.matchAll(/<FIELD\b[^>]*>/g)].map((m) => ({ name: attr(m[0], 'name') ?? '', datatype: attr(m[0], 'datatype') ?? 'char', arraysize: attr(m[0], 'arraysize') }));
    for (const need of ['x', 'y']) if (!fields.some((f) => f.name === need)) throw parseFailed(path, `no FIELD '${need}' (not a CIRASA catalogue VOTable)`, { field: need });
    let rows: Iterable<FlatRecord>;
    const stream = /<BINARY2>\s*<STREAM[^>]*>([\s\S]*?)<\/STREAM>/.exec(table);
    if (stream) rows = decodeBinary2(path, stream[1]!, fields);
    else {
      const td = /<TABLEDATA>([\s\S]*?)<\/TABLEDATA>/.exec(table);
      if (!td) throw parseFailed(path, 'neither TABLEDATA nor BINARY2 data');
      const before = text.slice(0, tableStart + (td.index ?? 0)).split('\n').length;
      rows = tableDataRows(path, td[1]!, fields, before);
    }
    return flatToCatalogue(path, rows, meta, { name: opts.name ?? stem(path), frame: opts.frame });
  },
};
