import { AppError } from '../../shared/contract/errors';
import type { SourceRow } from '../../shared/contract/catalogues';
import { TABLE_COLUMNS } from '../../shared/filter';

/**
 * Filter/table column → SQL over `sources s LEFT JOIN labels l`. This whitelist is the only way a
 * column name reaches SQL (the expression compiler asks it for every identifier).
 */
export const COLUMN_SQL: Readonly<Record<string, string>> = {
  id: 's.id', name: 's.name', ra: 's.ra', dec: 's.dec', x: 's.x', y: 's.y', peak: 's.peak', flux: 's.flux',
  flux_err: 's.flux_err', snr: 's.snr', bmaj: 's.bmaj_arcsec', bmin: 's.bmin_arcsec', pa: 's.pa_deg', type: 's.type',
  island: 's.island_id', sourceness: 'l.sourceness', class: 'l.class', morphology: 'l.morphology', notes: 'l.notes',
  peak_err: 's.peak_err', ra_err: 's.ra_err', dec_err: 's.dec_err', glon: 's.glon', glat: 's.glat',
  bmaj_err: 's.bmaj_err_arcsec', bmin_err: 's.bmin_err_arcsec', pa_err: 's.pa_err_deg',
  deconv_bmaj: 's.deconv_bmaj_arcsec', deconv_bmin: 's.deconv_bmin_arcsec', npix: 's.npix', flags: 's.flags',
  bkg: 's.bkg', rms: 's.rms', chi2: 's.chi2', ndf: 's.ndf',
};

export function columnSql(name: string): string {
  const sql = COLUMN_SQL[name];
  if (!sql) throw new AppError('validation', `no SQL column for '${name}'`, { column: name });
  return sql;
}

/** Whether any of these columns lives in the labels table (the query then needs the join). */
export function needsLabels(columns: Iterable<string>): boolean {
  for (const c of columns) if (COLUMN_SQL[c]?.startsWith('l.')) return true;
  return false;
}

/** SELECT list of a table row (TABLE_COLUMNS, aliased by their names) plus the store id. */
export const ROW_SELECT = ['s.id AS "__id"', ...TABLE_COLUMNS.map((c) => `${columnSql(c.name)} AS "${c.name}"`)].join(', ');

/** A row selected with ROW_SELECT → the contract's SourceRow (constants appended, e.g. beam_bmaj). */
export function toSourceRow(r: Record<string, unknown>, constants: Record<string, number | null>): SourceRow {
  const values: Record<string, number | string | null> = {};
  for (const c of TABLE_COLUMNS) {
    const v = r[c.name];
    values[c.name] = v === undefined ? null : (v as number | string | null);
  }
  Object.assign(values, constants);
  return { sourceId: r.__id as number, values };
}
