/**
 * Rebuild the model from the flat table our CSV and VOTable exporters write (export/columns.ts): a
 * source row, then its component rows (type 'component', source_id = the source's id).
 */
import type { Catalogue, CatalogueBeam, Component, FitQuality, Source } from '../../../shared/domain/source';
import { FIT_QUALITIES, makeCatalogue } from '../../../shared/domain/source';
import type { SourceLabels } from '../../../shared/domain/labels';
import { normalizeSourceness } from '../../../shared/domain/labels';
import type { SkyFrame } from '../../../shared/domain/coords';
import { isSkyFrame } from '../../../shared/domain/coords';
import { compact, parseFailed } from '../parseUtil';

export type FlatCell = string | number | undefined;
export interface FlatRecord {
  /** 1-based line (CSV) or row (VOTable) for error messages. */
  where: number;
  cells: Record<string, FlatCell>;
}

export interface FlatMeta {
  name?: string;
  id?: string;
  finder?: string;
  runId?: string;
  image?: string;
  created?: string;
  frame?: string;
  beam?: CatalogueBeam;
}

/**
 * A function building one row's cells object from its values, made once per table header: an object
 * literal with fixed keys gets one hidden class, so 10⁶ rows are built and read several times faster than
 * by assigning keys one by one. Keys are JSON-quoted and values indexed by number: no header text becomes code.
 */
export function cellsBuilder(names: string[]): (values: FlatCell[]) => Record<string, FlatCell> {
  if (new Set(names).size !== names.length) {
    return (values) => {
      const cells: Record<string, FlatCell> = {};
      for (let k = 0; k < names.length; k++) cells[names[k]!] = values[k];
      return cells;
    };
  }
  return new Function('v', `return { ${names.map((h, k) => `${JSON.stringify(h)}: v[${k}]`).join(', ')} };`) as (values: FlatCell[]) => Record<string, FlatCell>;
}

function labelsOf(c: Record<string, FlatCell>): SourceLabels | undefined {
  const s = (k: string) => (typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined);
  const tags = s('tags')?.split(';').filter(Boolean);
  const l = compact<SourceLabels>({
    sourceness: s('sourceness') ? normalizeSourceness(s('sourceness')!) : undefined,
    class: s('class'),
    morphology: s('morphology'),
    tags: tags?.length ? tags : undefined,
    notes: s('notes'),
  });
  return Object.keys(l).length ? l : undefined;
}

/** Numeric columns of the flat table → Measurement fields (read only when the table has the column). */
const MEASUREMENT_COLUMNS: readonly [column: string, field: string][] = [
  ['x_err', 'xErrPx'], ['y_err', 'yErrPx'], ['ra', 'ra'], ['dec', 'dec'], ['ra_err', 'raErr'], ['dec_err', 'decErr'],
  ['peak', 'peak'], ['peak_err', 'peakErr'], ['flux', 'flux'], ['flux_err', 'fluxErr'], ['snr', 'snr'],
  ['bmaj', 'bmajArcsec'], ['bmin', 'bminArcsec'], ['pa', 'paDeg'], ['bmaj_err', 'bmajErrArcsec'], ['bmin_err', 'bminErrArcsec'], ['pa_err', 'paErrDeg'],
  ['deconv_bmaj', 'deconvBmajArcsec'], ['deconv_bmin', 'deconvBminArcsec'], ['deconv_pa', 'deconvPaDeg'],
  ['bmaj_px', 'bmajPx'], ['bmin_px', 'bminPx'], ['theta_px', 'thetaPxDeg'],
];
const LABEL_COLUMNS = ['sourceness', 'class', 'morphology', 'tags'];

/** `v` is the cell of column `k` (passed by value: call sites read fixed keys, which V8 makes named loads). */
function numberCell(path: string, v: FlatCell, k: string, where: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n) && typeof v === 'string' && !/^nan$/i.test(v.trim())) throw parseFailed(path, `'${v}' is not a number`, { line: where, field: k });
  return Number.isFinite(n) ? n : undefined;
}

function stringCell(v: FlatCell): string | undefined {
  return v === undefined || v === '' ? undefined : String(v);
}

function setDefined(m: Record<string, unknown>, field: string, v: unknown): void {
  if (v !== undefined) m[field] = v;
}

/** Which optional columns a table has (from its first record: every record of a table has the same keys). */
interface TableShape {
  readMeasurements: MeasurementReader;
  hasLabels: boolean;
}
type MeasurementReader = (m: Record<string, unknown>, c: Record<string, FlatCell>, n: typeof numberCell, path: string, where: number) => void;

/**
 * The table's measurement columns read into a row's model object by generated code with constant keys (fixed
 * property loads and stores instead of keyed ones in a loop: the cost of 10⁶ rows × 23 columns). The keys are
 * MEASUREMENT_COLUMNS' (JSON-quoted); no file text becomes code.
 */
function measurementReader(present: readonly (readonly [string, string])[]): MeasurementReader {
  const q = JSON.stringify;
  const body = present.map(([col, field]) => `v = n(path, c[${q(col)}], ${q(col)}, where); if (v !== undefined) m[${q(field)}] = v;`).join('\n');
  return new Function('m', 'c', 'n', 'path', 'where', `let v;\n${body}`) as MeasurementReader;
}

function shapeOf(c: Record<string, FlatCell>): TableShape {
  return { readMeasurements: measurementReader(MEASUREMENT_COLUMNS.filter(([col]) => col in c)), hasLabels: LABEL_COLUMNS.some((k) => k in c) };
}

/** One flat row as a model object: a Source (components: []) or a Component (index 0) naming its parent by `parentKey`. */
type FlatRow = { component: false; source: Source } | { component: true; value: Component; parentKey: string };

function flatRow(path: string, c: Record<string, FlatCell>, where: number, meta: FlatMeta, shape: TableShape): FlatRow {
  const x = numberCell(path, c['x'], 'x', where), y = numberCell(path, c['y'], 'y', where);
  if (x === undefined || y === undefined) throw parseFailed(path, 'row without x/y', { line: where, field: x === undefined ? 'x' : 'y' });
  const fq = stringCell(c['fit_quality']);
  const fitQuality = fq && (FIT_QUALITIES as readonly string[]).includes(fq) ? (fq as FitQuality) : undefined;
  const id = stringCell(c['id']) ?? stringCell(c['name']) ?? String(where);
  const isComponent = stringCell(c['type']) === 'component';
  // Built in place (defined fields only) rather than spread and compacted: one object per row.
  const m: Record<string, unknown> = isComponent ? { id, index: 0, x, y } : {
    id, name: stringCell(c['name']) ?? id, finder: stringCell(c['finder']) ?? meta.finder ?? 'unknown', type: stringCell(c['type']) === 'extended' ? 'extended' : 'point',
    islandId: stringCell(c['island_id']) ?? id, x, y,
  };
  shape.readMeasurements(m, c, numberCell, path, where);
  if (shape.hasLabels) {
    const labels = labelsOf(c);
    if (labels) m.labels = labels;
  }
  if (isComponent) {
    setDefined(m, 'chi2', numberCell(path, c['chi2'], 'chi2', where));
    setDefined(m, 'ndf', numberCell(path, c['ndf'], 'ndf', where));
    setDefined(m, 'fitQuality', fitQuality);
    return { component: true, value: m as unknown as Component, parentKey: stringCell(c['source_id']) ?? '' };
  }
  setDefined(m, 'parentId', stringCell(c['source_id']));
  setDefined(m, 'npix', numberCell(path, c['npix'], 'npix', where));
  setDefined(m, 'flags', numberCell(path, c['flags'], 'flags', where));
  setDefined(m, 'fitQuality', fitQuality);
  setDefined(m, 'chi2', numberCell(path, c['chi2'], 'chi2', where));
  setDefined(m, 'ndf', numberCell(path, c['ndf'], 'ndf', where));
  m.components = [];
  return { component: false, source: m as unknown as Source };
}

function unknownParent(path: string, row: { value: Component; parentKey: string }, where: number): Error {
  return parseFailed(path, `component ${row.value.id} names unknown source_id '${row.parentKey}'`, { line: where, field: 'source_id' });
}

/** The catalogue around its sources (finder: the metadata's, else the first source's). */
function flatCatalogue(meta: FlatMeta, defaults: { name: string; frame?: SkyFrame }, sources: Source[]): Catalogue {
  return makeCatalogue({
    name: meta.name ?? defaults.name,
    id: meta.id,
    finder: meta.finder ?? sources[0]?.finder ?? 'unknown',
    runId: meta.runId,
    imagePath: meta.image,
    createdAt: meta.created,
    frame: isSkyFrame(meta.frame) ? meta.frame : (defaults.frame ?? 'fk5'),
    beam: meta.beam,
    sources,
  });
}

/** The catalogue-level fields of a flat table, for a stream whose first source is `first`. */
export function flatCatalogueFields(meta: FlatMeta, defaults: { name: string; frame?: SkyFrame }, first: Source | undefined): Omit<Catalogue, 'sources'> {
  const { sources: _sources, ...fields } = flatCatalogue(meta, defaults, first ? [first] : []);
  return fields;
}

export function flatToCatalogue(path: string, records: Iterable<FlatRecord>, meta: FlatMeta, defaults: { name: string; frame?: SkyFrame }): Catalogue {
  const sources: Source[] = [];
  const byId = new Map<string, Source>();
  // 10⁶-row files skip the absent optional columns instead of probing 30 keys per row.
  let shape: TableShape | null = null;
  for (const { where, cells: c } of records) {
    shape ??= shapeOf(c);
    const row = flatRow(path, c, where, meta, shape);
    if (row.component) {
      const parent = byId.get(row.parentKey);
      if (!parent) throw unknownParent(path, row, where);
      row.value.index = parent.components.length + 1;
      parent.components.push(row.value);
      continue;
    }
    sources.push(row.source);
    byId.set(row.source.id, row.source);
  }
  return flatCatalogue(meta, defaults, sources);
}

/**
 * Thrown by flatSourceStream when a component row names a source other than the one just before it (legal,
 * but a stream cannot go back): the caller falls back to flatToCatalogue, which gives the same result or error.
 */
export class NotStreamable extends Error {}

/**
 * flatToCatalogue one source at a time (each yielded once its component rows, which follow it, are read), so
 * 10⁶ rows never sit in memory together. Same objects as flatToCatalogue, or NotStreamable.
 */
export function* flatSourceStream(path: string, records: Iterable<FlatRecord>, meta: FlatMeta): Generator<Source> {
  let shape: TableShape | null = null;
  let current: Source | undefined;
  for (const { where, cells: c } of records) {
    shape ??= shapeOf(c);
    const row = flatRow(path, c, where, meta, shape);
    if (row.component) {
      if (!current || current.id !== row.parentKey) throw new NotStreamable(`${path}: component rows out of order (line ${where})`);
      row.value.index = current.components.length + 1;
      current.components.push(row.value);
      continue;
    }
    if (current) yield current;
    current = row.source;
  }
  if (current) yield current;
}
