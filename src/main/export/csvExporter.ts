/**
 * CSV (RFC 4180, comma, header line) of the flat table in columns.ts. Leading `#` lines carry the
 * catalogue metadata and the units (`# units: ra=deg,...`); tools that do not know comments can skip
 * them (astropy: `Table.read(f, format='ascii.csv', comment='#')`). Contours are not written (use JSON).
 */
import type { SkyFrame } from '../../shared/domain/coords';
import { walkRows } from '../../shared/domain/source';
import { type CellValue, columnSpecs, extraCells, rowCells, withExtraColumns } from './columns';
import { makeExporter } from './makeExporter';

export const CSV_MAGIC = '# cirasa-catalogue-csv 1';

function cell(v: CellValue): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export const csvExporter = makeExporter('csv', 'csv', (cat, opts) => {
  const frame: SkyFrame = opts.frame && opts.frame !== 'image' ? opts.frame : cat.frame;
  const standard = columnSpecs(frame);
  const cols = withExtraColumns(standard, opts.extraColumns);
  const meta: [string, string | undefined][] = [
    ['name', cat.name], ['id', cat.id], ['finder', cat.finder], ['runId', cat.runId], ['image', cat.imagePath],
    ['created', cat.createdAt], ['frame', frame],
    ['beam', cat.beam ? `${cat.beam.bmajArcsec} ${cat.beam.bminArcsec} ${cat.beam.paDeg}` : undefined],
  ];
  const lines = [CSV_MAGIC];
  for (const [k, v] of meta) if (v !== undefined) lines.push(`# ${k}: ${v.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`# units: ${cols.filter((c) => c.unit).map((c) => `${c.name}=${c.unit}`).join(',')}`);
  lines.push(cols.map((c) => c.name).join(','));
  for (const row of walkRows(cat)) {
    const cells = rowCells(cat, row, frame);
    if (cols.length > standard.length) Object.assign(cells, extraCells(row, cols, standard.length));
    lines.push(cols.map((c) => cell(cells[c.name])).join(','));
  }
  return { data: lines.join('\n') + '\n', warnings: [] };
});
