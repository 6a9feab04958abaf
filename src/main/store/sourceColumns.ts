import type { Component, Measurement, Source } from '../../shared/domain/source';

/** Numeric `Measurement` fields and their column (same name in `sources` and `components`). */
export const MEASUREMENT_NUMBERS = {
  x: 'x',
  y: 'y',
  xErrPx: 'x_err_px',
  yErrPx: 'y_err_px',
  ra: 'ra',
  dec: 'dec',
  raErr: 'ra_err',
  decErr: 'dec_err',
  glon: 'glon',
  glat: 'glat',
  peak: 'peak',
  peakErr: 'peak_err',
  flux: 'flux',
  fluxErr: 'flux_err',
  snr: 'snr',
  bmajArcsec: 'bmaj_arcsec',
  bminArcsec: 'bmin_arcsec',
  paDeg: 'pa_deg',
  bmajErrArcsec: 'bmaj_err_arcsec',
  bminErrArcsec: 'bmin_err_arcsec',
  paErrDeg: 'pa_err_deg',
  deconvBmajArcsec: 'deconv_bmaj_arcsec',
  deconvBminArcsec: 'deconv_bmin_arcsec',
  deconvPaDeg: 'deconv_pa_deg',
  bmajPx: 'bmaj_px',
  bminPx: 'bmin_px',
  thetaPxDeg: 'theta_px_deg',
  chi2: 'chi2',
  ndf: 'ndf',
} as const satisfies Partial<Record<keyof Source & keyof Component, string>>;

export type NumericField = keyof typeof MEASUREMENT_NUMBERS;
export const NUMERIC_FIELDS = Object.keys(MEASUREMENT_NUMBERS) as NumericField[];

/** Source-only numeric fields. */
export const SOURCE_NUMBERS = { npix: 'npix', flags: 'flags', bkg: 'bkg', rms: 'rms' } as const;
export type SourceNumericField = keyof typeof SOURCE_NUMBERS;

const SOURCE_COLUMNS = [
  'catalogue_id', 'key', 'name', 'iau_name', 'run_id', 'type', 'island_id', 'parent_key',
  'contour_json', 'bbox_json', 'fit_quality', 'extra_json',
  ...Object.values(SOURCE_NUMBERS),
  ...Object.values(MEASUREMENT_NUMBERS),
];
const COMPONENT_COLUMNS = ['source_id', 'key', 'idx', 'fit_quality', 'extra_json', ...Object.values(MEASUREMENT_NUMBERS)];

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}
export const INSERT_SOURCE_SQL = insertSql('sources', SOURCE_COLUMNS);
/** One INSERT of `rows` sources (parameters: sourceParams of each, concatenated): one call per batch, not per row. */
export function insertSourcesSql(rows: number): string {
  const one = `(${SOURCE_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO sources (${SOURCE_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}`;
}
export const INSERT_COMPONENT_SQL = insertSql('components', COMPONENT_COLUMNS);

/** Finite number or NULL: the model never carries NaN, but a careless caller might. */
function num(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}
function json(v: unknown): string | null {
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) return null;
  return JSON.stringify(v);
}

function measurementParams(m: Measurement & { chi2?: number; ndf?: number }): (number | null)[] {
  const out: (number | null)[] = [];
  for (const k of NUMERIC_FIELDS) out.push(num(m[k]));
  return out;
}

/** Parameters per source row (SOURCE_COLUMNS.length). */
export const SOURCE_PARAMS = SOURCE_COLUMNS.length;

/**
 * sourceParams written into `out` from index `at` (no array per row: a 10⁶-row import refills one batch array).
 * Order = SOURCE_COLUMNS.
 */
export function writeSourceParams(out: unknown[], at: number, catalogueId: number, s: Source): void {
  let i = at;
  out[i++] = catalogueId; out[i++] = s.id; out[i++] = s.name; out[i++] = s.iauName ?? null; out[i++] = s.runId ?? null;
  out[i++] = s.type; out[i++] = s.islandId; out[i++] = s.parentId ?? null;
  out[i++] = s.contour ? JSON.stringify(s.contour) : null; out[i++] = json(s.bbox); out[i++] = s.fitQuality ?? null; out[i++] = json(s.extra);
  out[i++] = num(s.npix); out[i++] = num(s.flags); out[i++] = num(s.bkg); out[i++] = num(s.rms);
  const m = s as Measurement & { chi2?: number; ndf?: number };
  for (const k of NUMERIC_FIELDS) out[i++] = num(m[k]);
}

/** Positional parameters for INSERT_SOURCE_SQL (order = SOURCE_COLUMNS). */
export function sourceParams(catalogueId: number, s: Source): unknown[] {
  const out = new Array<unknown>(SOURCE_PARAMS);
  writeSourceParams(out, 0, catalogueId, s);
  return out;
}

export function componentParams(sourceId: number | bigint, c: Component): unknown[] {
  return [sourceId, c.id, c.index, c.fitQuality ?? null, json(c.extra), ...measurementParams(c)];
}

type Row = Record<string, unknown>;

function readMeasurement(row: Row, into: Record<string, unknown>): void {
  for (const k of NUMERIC_FIELDS) {
    const v = row[MEASUREMENT_NUMBERS[k]];
    if (v !== null && v !== undefined) into[k] = v;
  }
  if (row.fit_quality !== null) into.fitQuality = row.fit_quality;
  if (row.extra_json !== null) into.extra = JSON.parse(row.extra_json as string);
}

/** A `sources` row back to the model (components and labels are attached by the caller). */
export function rowToSource(row: Row, finder: string): Source {
  const s: Record<string, unknown> = {
    id: row.key, name: row.name, finder, type: row.type, islandId: row.island_id, components: [],
  };
  if (row.iau_name !== null) s.iauName = row.iau_name;
  if (row.run_id !== null) s.runId = row.run_id;
  if (row.parent_key !== null) s.parentId = row.parent_key;
  if (row.contour_json !== null) s.contour = JSON.parse(row.contour_json as string);
  if (row.bbox_json !== null) s.bbox = JSON.parse(row.bbox_json as string);
  for (const [k, col] of Object.entries(SOURCE_NUMBERS)) if (row[col] !== null) s[k] = row[col];
  readMeasurement(row, s);
  return s as unknown as Source;
}

export function rowToComponent(row: Row): Component {
  const c: Record<string, unknown> = { id: row.key, index: row.idx };
  readMeasurement(row, c);
  return c as unknown as Component;
}
