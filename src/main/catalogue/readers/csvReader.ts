/** Our CSV (export/csvExporter.ts): `# key: value` metadata lines, a header line, RFC 4180 rows. */
import { readFile } from 'node:fs/promises';
import type { CatalogueReader } from '../types';
import { parseFailed, stem } from '../parseUtil';
import { cellsBuilder, type FlatCell, type FlatMeta, type FlatRecord, flatToCatalogue } from './flatRows';
import { readMappedCsv } from './csvMapped';
import { csvRecords } from './csvParse';

export const csvReader: CatalogueReader = {
  id: 'csv',
  detect: (path, head) => head.toString('utf8', 0, 40).startsWith('# cirasa-catalogue-csv') || (/\.csv$/i.test(path) && /(^|\n)id,name,type,/.test(head.toString('utf8'))),
  async read(path, opts) {
    if (opts.csvMapping) return readMappedCsv(path, opts.csvMapping, opts);
    const text = await readFile(path, 'utf8');
    const meta: FlatMeta = {};
    let header: string[] | undefined;
    // Rows are produced while flatToCatalogue consumes them (meta lines come first, so meta is complete by then).
    function* rows(): Generator<FlatRecord> {
      let toCells: (fields: string[]) => Record<string, FlatCell> = () => ({});
      for (const r of csvRecords(path, text)) {
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
          toCells = cellsBuilder(header);
          continue;
        }
        if (r.fields.length !== header.length) throw parseFailed(path, `${r.fields.length} fields, header has ${header.length}`, { line: r.line });
        yield { where: r.line, cells: toCells(r.fields) };
      }
    }
    const cat = flatToCatalogue(path, rows(), meta, { name: opts.name ?? stem(path), frame: opts.frame });
    if (!header) throw parseFailed(path, 'no header line', { line: 1 });
    return cat;
  },
};
