/** Our CSV (export/csvExporter.ts): `# key: value` metadata lines, a header line, RFC 4180 rows. */
import { readFile } from 'node:fs/promises';
import type { Catalogue, Source } from '../../../shared/domain/source';
import type { CatalogueReader, ReadOptions } from '../types';
import { parseFailed, stem } from '../parseUtil';
import { cellsBuilder, type FlatCell, type FlatMeta, type FlatRecord, flatCatalogueFields, flatSourceStream, flatToCatalogue } from './flatRows';
import { readMappedCsv } from './csvMapped';
import { csvFileRecords, csvRecords, type CsvRecord } from './csvParse';

/** The table rows of our CSV; `# key: value` lines (they come first) fill `meta`, the header line `table.header`. */
function* tableRows(path: string, records: Iterable<CsvRecord>, meta: FlatMeta, table: { header?: string[] }): Generator<FlatRecord> {
  let toCells: (fields: string[]) => Record<string, FlatCell> = () => ({});
  let header: string[] | undefined;
  for (const r of records) {
    const first = r.fields[0] ?? '';
    if (r.fields.length === 1 && first.startsWith('#')) {
      const m = /^#\s*([A-Za-z]+):\s?(.*)$/.exec(first);
      if (m) {
        const [k, v] = [m[1]!, m[2]!];
        if (k === 'beam') {
          const [a, b, p] = v.split(/\s+/).map(Number);
          if (a && b) meta.beam = { bmajArcsec: a, bminArcsec: b, paDeg: p ?? 0 };
        } else if (k !== 'units') (meta as Record<string, string>)[k] = v;
      }
      continue;
    }
    if (r.fields.length === 1 && first.trim() === '') continue;
    if (first.startsWith('#')) continue;
    if (!header) {
      header = r.fields.map((f) => f.trim());
      for (const need of ['x', 'y']) if (!header.includes(need)) throw parseFailed(path, `header has no '${need}' column`, { line: r.line });
      table.header = header;
      toCells = cellsBuilder(header);
      continue;
    }
    if (r.fields.length !== header.length) throw parseFailed(path, `${r.fields.length} fields, header has ${header.length}`, { line: r.line });
    yield { where: r.line, cells: toCells(r.fields) };
  }
}

export const csvReader: CatalogueReader = {
  id: 'csv',
  detect: (path, head) => head.toString('utf8', 0, 40).startsWith('# cirasa-catalogue-csv') || (/\.csv$/i.test(path) && /(^|\n)id,name,type,/.test(head.toString('utf8'))),
  async read(path, opts) {
    if (opts.csvMapping) return readMappedCsv(path, opts.csvMapping, opts);
    const text = await readFile(path, 'utf8');
    const meta: FlatMeta = {};
    const table: { header?: string[] } = {};
    // Rows are produced while flatToCatalogue consumes them (meta lines come first, so meta is complete by then).
    const cat = flatToCatalogue(path, tableRows(path, csvRecords(path, text), meta, table), meta, { name: opts.name ?? stem(path), frame: opts.frame });
    if (!table.header) throw parseFailed(path, 'no header line', { line: 1 });
    return cat;
  },
};

/**
 * Our CSV as a stream of sources read from the file in chunks while they are consumed (for the store's
 * import: 10⁶ rows never sit in memory as a model). The catalogue fields are read eagerly (metadata, header
 * and first source). Same result as csvReader.read, or NotStreamable (see flatSourceStream): then use read.
 */
export function streamCsv(
  path: string,
  opts: Pick<ReadOptions, 'name' | 'frame'>,
  onBytes?: (read: number, size: number) => void,
): Omit<Catalogue, 'sources'> & { sources: Generator<Source> } {
  const meta: FlatMeta = {};
  const table: { header?: string[] } = {};
  const it = flatSourceStream(path, tableRows(path, csvFileRecords(path, onBytes), meta, table), meta);
  const first = it.next();
  if (!table.header) throw parseFailed(path, 'no header line', { line: 1 });
  function* sources(): Generator<Source> {
    if (first.done) return;
    yield first.value;
    yield* { [Symbol.iterator]: () => it };
  }
  return { ...flatCatalogueFields(meta, { name: opts.name ?? stem(path), frame: opts.frame }, first.done ? undefined : first.value), sources: sources() };
}
