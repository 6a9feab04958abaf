import { resolve } from 'node:path';
import type {
  CatalogueSummary, ColumnInfo, CsvMapping, CsvPreview, ExportFormat, ExportFrame, ExportResult, FilterIdsResult, LabelField, QueryResult,
  ReviewOrder, ReviewQueue, SourceDetail, UndoDepths, UndoResult, Vocabularies,
} from '../../shared/contract/catalogues';
import { AppError } from '../../shared/contract/errors';
import type { EventMap, EventName } from '../../shared/contract/events';
import type { Source } from '../../shared/domain/source';
import {
  columnsUsed, compileToSql, CONSTANT_COLUMNS, EXTRA_FILTER_COLUMNS, parseFilter, TABLE_COLUMNS, type Expr,
} from '../../shared/filter';
import { geometryFromImage, previewCsv, type PixelGeometry } from '../catalogue';
import { importCatalogueFile } from './catalogueImport';
import type { Store } from '../store';
import type { CatalogueSummary as StoredSummary } from '../store';
import { rowToComponent, rowToSource } from '../store/sourceColumns';
import { CatalogueColumns } from './columnCache';
import { loadSelection, writeSelection } from './exportSelection';
import { CatalogueDefinitions } from './sessionDefinitions';
import { buildOverlayBase, labelCodes, packOverlay, packOverlayColumn, type OverlayBase } from './overlay';
import { overlayColumnValues } from './overlayColumn';
import { ORDER_KEY, queueFromColumns, queueFromSql, type QueueRequest } from './reviewQueue';
import { columnSql, needsLabels, ROW_SELECT, toSourceRow } from './sourceSql';

export type Emit = <K extends EventName>(name: K, payload: EventMap[K]) => void;

export interface CatalogueServiceOptions {
  store: Store;
  emit: Emit;
  /** Undo/redo stack of this app's labelling (persists across restarts in the store). */
  session?: string;
  /** Default author of label changes. */
  who?: string;
  /** Filter and sort over in-memory columns (default true); false = always SQL (tests compare both). */
  inMemoryColumns?: boolean;
}

interface Compiled {
  where: string;
  params: unknown[];
  usesLabels: boolean;
}

const SORTABLE = new Set([...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS].map((c) => c.name));
const ID_CACHE_SIZE = 4;
/** Columns loaded into memory right after an import (what filters, sorts and the review queue use most). */
const PRELOAD = ['snr', 'flux', 'peak', 'x', 'y', 'bmaj', 'bmin', 'type'];

/**
 * The catalogue review backend over the SQLite store: import, table queries with filter expressions,
 * labels with undo/redo, the review queue, the binary overlay and export. Filter expressions run over
 * columns held in memory (CatalogueColumns, typed arrays loaded on first use) — or, for a catalogue whose
 * ids are not contiguous, compile to SQL with bound parameters; both paths have the same semantics
 * (src/shared/filter property test). Ordered id lists are cached per (catalogue, filter, sort) so paging
 * through 10⁶ rows does not re-sort; a label change patches label columns and drops lists that read labels.
 */
export class CatalogueService {
  private readonly store: Store;
  private readonly emit: Emit;
  private readonly session: string;
  private readonly who: string;
  private labelsVersion = 0;
  private readonly idCache = new Map<string, Int32Array>();
  private readonly overlayBases = new Map<number, Promise<OverlayBase>>();
  private readonly geometries = new Map<string, Promise<PixelGeometry>>();
  private readonly columnSets = new Map<number, CatalogueColumns | null>();
  private readonly inMemoryColumns: boolean;
  /** Saved subsets and computed columns the filters see, and where each catalogue was imported from. */
  readonly definitions: CatalogueDefinitions;

  constructor(options: CatalogueServiceOptions) {
    this.store = options.store;
    this.definitions = new CatalogueDefinitions(options.store);
    this.emit = options.emit;
    this.session = options.session ?? 'review';
    this.who = options.who ?? 'user';
    this.inMemoryColumns = options.inMemoryColumns ?? true;
  }

  async import(input: { path: string; format?: string; imagePath?: string; name?: string; csvMapping?: CsvMapping }): Promise<CatalogueSummary> {
    const path = resolve(input.path);
    this.emit('catalogue.importProgress', { path, fraction: 0 });
    const imagePath = input.imagePath ? resolve(input.imagePath) : undefined;
    const result = await importCatalogueFile(this.store, this.emit, path, input, imagePath);
    this.definitions.recordOrigin(result.catalogueId, path, input.format, input.csvMapping);
    this.emit('catalogue.importProgress', { path, fraction: 1 });
    this.emit('catalogue.changed', { catalogueId: result.catalogueId });
    const summary = this.require(result.catalogueId);
    this.columnsOf(summary); // starts loading its columns in the background; SQL serves until they are in
    return toSummary(summary);
  }

  /** Head of a delimited table with a guessed column mapping (the open dialog's mapping step). */
  csvPreview(path: string): Promise<CsvPreview> {
    return previewCsv(resolve(path));
  }

  list(): CatalogueSummary[] {
    return this.store.catalogues.list().map(toSummary);
  }

  remove(catalogueId: number): void {
    if (!this.store.catalogues.remove(catalogueId)) throw notFound(catalogueId);
    this.overlayBases.delete(catalogueId);
    this.columnSets.get(catalogueId)?.dispose();
    this.columnSets.delete(catalogueId);
    for (const k of [...this.idCache.keys()]) if (k.startsWith(`${catalogueId}|`)) this.idCache.delete(k);
    this.emit('catalogue.changed', { catalogueId });
  }

  /** Load columns into memory in the background (filters then run in JS); resolves when loaded. */
  preloadColumns(catalogueId: number, names: readonly string[] = PRELOAD): Promise<void> {
    const cols = this.columnsOf(this.require(catalogueId));
    return cols ? cols.prefetch(names) : Promise.resolve();
  }

  /** Stop background column loads (before the store closes). */
  dispose(): void {
    for (const cols of this.columnSets.values()) cols?.dispose();
    this.columnSets.clear();
  }

  columns(catalogueId: number): ColumnInfo[] {
    this.require(catalogueId);
    return [
      ...[...TABLE_COLUMNS, ...CONSTANT_COLUMNS].map(({ name, unit, kind, description }) => ({ name, unit, kind, description })),
      ...this.definitions.computedColumnInfo(catalogueId),
    ];
  }

  query(input: { catalogueId: number; filter?: string; sort?: { column: string; descending?: boolean }; offset: number; limit: number }): QueryResult {
    const s = this.require(input.catalogueId);
    const ids = this.orderedIds(s, input.filter, input.sort);
    const page = ids.subarray(Math.min(input.offset, ids.length), Math.min(input.offset + input.limit, ids.length));
    return { total: ids.length, rows: this.rowsOf(s, Array.from(page)) };
  }

  /** Ids matching a filter, ascending (cached). */
  filteredIds(catalogueId: number, filter?: string): Int32Array {
    return this.orderedIds(this.require(catalogueId), filter, undefined);
  }

  filterIds(catalogueId: number, filter?: string): FilterIdsResult {
    const ids = this.filteredIds(catalogueId, filter);
    return { count: ids.length, idsBase64: Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).toString('base64') };
  }

  source(sourceId: number): SourceDetail {
    const db = this.store.db;
    const raw = db.prepare('SELECT * FROM sources WHERE id = ?').get(sourceId) as Record<string, unknown> | undefined;
    if (!raw) throw new AppError('notFound', `no source with id ${sourceId} in the store`, { sourceId });
    const s = this.require(raw.catalogue_id as number);
    const source = rowToSource(raw, s.finder);
    source.components = (db.prepare('SELECT * FROM components WHERE source_id = ? ORDER BY idx, id').all(sourceId) as Record<string, unknown>[]).map(rowToComponent);
    const l = this.store.labels.get(sourceId);
    if (l && (l.sourceness || l.class || l.morphology || l.tags)) {
      source.labels = {};
      if (l.sourceness) source.labels.sourceness = l.sourceness as NonNullable<NonNullable<Source['labels']>['sourceness']>;
      if (l.class) source.labels.class = l.class;
      if (l.morphology) source.labels.morphology = l.morphology;
      if (l.tags) source.labels.tags = l.tags;
    }
    return { row: this.rowsOf(s, [sourceId])[0]!, source };
  }

  setLabels(input: { sourceIds: number[]; field: LabelField; value: string | null; who?: string }): UndoDepths {
    const result = this.store.labels.setMany(input.sourceIds, input.field, input.value, { who: input.who ?? this.who, session: this.session });
    this.labelsChanged(result.changes);
    return this.depths();
  }

  undo(): UndoResult {
    const r = this.store.labels.undo(this.session, { who: this.who, session: this.session });
    const changed = r ? this.labelsChanged(r.changes) : [];
    return { ...this.depths(), changedSourceIds: changed };
  }

  redo(): UndoResult {
    const r = this.store.labels.redo(this.session, { who: this.who, session: this.session });
    const changed = r ? this.labelsChanged(r.changes) : [];
    return { ...this.depths(), changedSourceIds: changed };
  }

  vocabularies(): Vocabularies {
    const v = this.store.vocabularies;
    return { sourceness: v.list('sourceness'), class: v.list('class'), morphology: v.list('morphology') };
  }

  reviewQueue(input: { catalogueId: number; filter?: string; order?: ReviewOrder; unlabelledField?: LabelField }): ReviewQueue {
    const s = this.require(input.catalogueId);
    const q: QueueRequest = { order: input.order ?? 'snr-desc', field: input.unlabelledField ?? 'sourceness', onlyUnlabelled: input.unlabelledField !== undefined };
    const ast = this.parse(s, input.filter);
    const cols = this.readyColumns(s, [...(ast ? columnsUsed(ast) : []), ORDER_KEY[q.order][0], q.field]);
    return cols ? queueFromColumns(cols, ast, q) : queueFromSql(this.store.db, this.compile(s, input.filter), q);
  }

  async export(input: {
    catalogueId: number; format: ExportFormat; path: string; frame?: ExportFrame; sourceIds?: number[]; filter?: string;
  }): Promise<ExportResult> {
    const s = this.require(input.catalogueId);
    let selection: ArrayLike<number> | null = input.sourceIds ?? null;
    if (input.filter !== undefined && input.filter.trim() !== '') {
      const matching = this.filteredIds(s.id, input.filter);
      selection = selection === null ? matching : intersect(selection, matching);
    }
    const cat = await loadSelection(this.store, s, this.range(s.id), selection);
    const path = resolve(input.path);
    const { rows } = await writeSelection(cat, input.format, path, input.frame, await this.geometry(s.imagePath), this.definitions.attachComputed(s.id, s.beam, cat.sources));
    return { path, rows };
  }

  /**
   * The binary overlay body (layout in src/shared/contract/catalogues.ts); with `column`, that numeric
   * column instead, one Float32 per entry of the same overlay (colour and size rules).
   */
  async overlay(catalogueId: number, filter?: string, column?: string): Promise<Buffer> {
    const s = this.require(catalogueId);
    const selected = filter !== undefined && filter.trim() !== '' ? this.filteredIds(catalogueId, filter) : null;
    let base = this.overlayBases.get(catalogueId);
    if (!base) {
      base = this.geometry(s.imagePath).then((geo) => buildOverlayBase(this.store.db, this.range(catalogueId), geo, s.frame));
      this.overlayBases.set(catalogueId, base);
      base.catch(() => this.overlayBases.delete(catalogueId));
    }
    if (column === undefined) {
      const b = await base;
      return packOverlay(b, labelCodes(this.store.db, b), selected);
    }
    const valueOf = overlayColumnValues(this.store.db, s, this.range(catalogueId), this.columnsOf(s), this.definitions, column);
    const [b, values] = await Promise.all([base, valueOf]);
    return packOverlayColumn(b, selected, values);
  }

  // ---- internals ----

  private require(catalogueId: number): StoredSummary {
    const s = this.store.catalogues.get(catalogueId);
    if (!s) throw notFound(catalogueId);
    return s;
  }

  private range(catalogueId: number): { first: number; last: number } | null {
    const r = this.store.db.prepare('SELECT first_source_id AS first, last_source_id AS last FROM catalogues WHERE id = ?')
      .get(catalogueId) as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /** WHERE over `sources s [LEFT JOIN labels l]`: the catalogue's rowid slice (see store migration 003) and the expression. */
  private compile(s: StoredSummary, filter: string | undefined): Compiled {
    const range = this.range(s.id) ?? { first: 1, last: 0 };
    const base = 's.id BETWEEN ? AND ? AND +s.catalogue_id = ?';
    const params: unknown[] = [range.first, range.last, s.id];
    const ast = this.parse(s, filter);
    if (!ast) return { where: base, params, usesLabels: false };
    const sql = compileToSql(ast, columnSql);
    return { where: `${base} AND ${sql.sql}`, params: [...params, ...sql.params], usesLabels: needsLabels(columnsUsed(ast)) };
  }

  private parse(s: StoredSummary, filter: string | undefined): Expr | null {
    return filter === undefined ? null : parseFilter(filter, this.definitions.schemaFor(s.id, s.beam));
  }

  /** In-memory columns of a catalogue whose source ids are contiguous (else null: use SQL). */
  private columnsOf(s: StoredSummary): CatalogueColumns | null {
    if (!this.columnSets.has(s.id)) {
      const r = this.range(s.id);
      const contiguous = r !== null && r.last - r.first + 1 === s.sourceCount;
      const cols = contiguous && this.inMemoryColumns ? new CatalogueColumns(this.store.db, r.first, s.sourceCount) : null;
      this.columnSets.set(s.id, cols);
      // First touch of a catalogue (e.g. after a restart): bring the usual columns into memory in the background.
      void cols?.prefetch(PRELOAD).catch(() => undefined);
    }
    return this.columnSets.get(s.id)!;
  }

  /** The catalogue's in-memory columns if `names` are all loaded; else start loading them and answer null (use SQL). */
  private readyColumns(s: StoredSummary, names: string[]): CatalogueColumns | null {
    const cols = this.columnsOf(s);
    if (!cols) return null;
    if (cols.ready(names)) return cols;
    void cols.prefetch(names).catch(() => undefined);
    return null;
  }

  private orderedIds(s: StoredSummary, filter: string | undefined, sort: { column: string; descending?: boolean } | undefined): Int32Array {
    const sortCol = sort?.column.toLowerCase();
    // A computed column sorts in SQL by its expression (it has no in-memory column).
    const computed = sortCol !== undefined && !SORTABLE.has(sortCol) ? this.definitions.computedSql(s.id, s.beam, sortCol) : null;
    if (sortCol !== undefined && !SORTABLE.has(sortCol) && !computed && !CONSTANT_COLUMNS.some((c) => c.name === sortCol)) {
      throw new AppError('validation', `cannot sort by unknown column '${sort!.column}'`, { column: sort!.column });
    }
    const ast = this.parse(s, filter);
    const sortSql = sortCol !== undefined && SORTABLE.has(sortCol) ? columnSql(sortCol) : (computed?.sql ?? null);
    const usesLabels = (ast !== null && needsLabels(columnsUsed(ast))) || (sortSql?.startsWith('l.') ?? false) || computed !== null;
    const key = `${s.id}|${this.definitions.revision(s.id)}|${usesLabels ? this.labelsVersion : '-'}|${sortSql ?? ''}${computed ? JSON.stringify(computed.params) : ''}|${sort?.descending ? 'd' : 'a'}|${filter?.trim() ?? ''}`;
    const hit = this.idCache.get(key);
    if (hit) {
      this.idCache.delete(key);
      this.idCache.set(key, hit);
      return hit;
    }
    const cols = computed ? null : this.readyColumns(s, [...(ast ? columnsUsed(ast) : []), ...(sortSql ? [sortCol!] : [])]);
    let ids: Int32Array;
    if (cols) {
      let idx = cols.match(ast);
      if (sortSql) idx = cols.sort(idx, sortCol!, sort?.descending ?? false);
      ids = idx.map((i) => i + cols.firstId);
    } else {
      const c = this.compile(s, filter);
      const from = usesLabels ? 'sources s LEFT JOIN labels l ON l.source_id = s.id' : 'sources s';
      const order = sortSql ? `(${sortSql} IS NULL), ${sortSql} ${sort?.descending ? 'DESC' : 'ASC'}, s.id` : 's.id';
      const params = computed ? [...c.params, ...computed.params, ...computed.params] : c.params;
      ids = Int32Array.from(this.store.db.prepare(`SELECT s.id FROM ${from} WHERE ${c.where} ORDER BY ${order}`).pluck().all(...params) as number[]);
    }
    this.idCache.set(key, ids);
    while (this.idCache.size > ID_CACHE_SIZE) this.idCache.delete(this.idCache.keys().next().value!);
    return ids;
  }

  private rowsOf(s: StoredSummary, ids: number[]): QueryResult['rows'] {
    if (ids.length === 0) return [];
    const constants = { beam_bmaj: s.beam?.bmajArcsec ?? null, beam_bmin: s.beam?.bminArcsec ?? null };
    const rows = this.store.db.prepare(
      `SELECT ${ROW_SELECT} FROM sources s LEFT JOIN labels l ON l.source_id = s.id WHERE s.id IN (${ids.map(() => '?').join(',')})`,
    ).all(...ids) as Record<string, unknown>[];
    const byId = new Map(rows.map((r) => [r.__id as number, r]));
    const computed = this.definitions.computedValues(s.id, s.beam, ids);
    return ids.map((id) => {
      const row = toSourceRow(byId.get(id)!, constants);
      Object.assign(row.values, computed.get(id));
      return row;
    });
  }

  private depths(): UndoDepths {
    const count = this.store.db.prepare('SELECT count(*) FROM label_actions WHERE session = ? AND state = ?').pluck();
    return { undoDepth: count.get(this.session, 'done') as number, redoDepth: count.get(this.session, 'undone') as number };
  }

  /** Patch label columns, drop label-dependent id lists, tell every client; returns the unique changed ids. */
  private labelsChanged(changes: readonly { sourceId: number; field: string; value: string | null }[]): number[] {
    const unique = [...new Set(changes.map((c) => c.sourceId))];
    if (unique.length > 0) {
      this.labelsVersion++;
      for (const cols of this.columnSets.values()) cols?.patchLabels(changes);
      this.emit('labels.changed', { sourceIds: unique });
    }
    return unique;
  }

  private geometry(imagePath: string | undefined): Promise<PixelGeometry> {
    if (!imagePath) return Promise.resolve({});
    let g = this.geometries.get(imagePath);
    if (!g) {
      // A moved or unreadable image must not break the overlay: fall back to the stored pixel values.
      g = geometryFromImage(imagePath).then((x) => ({ wcs: x.wcs, pixelScaleArcsec: x.pixelScaleArcsec }), () => ({}));
      this.geometries.set(imagePath, g);
    }
    return g;
  }
}

function notFound(catalogueId: number): AppError {
  return new AppError('notFound', `no catalogue ${catalogueId} in the store`, { catalogueId });
}

function intersect(a: ArrayLike<number>, sortedB: Int32Array): number[] {
  const inB = new Set(sortedB);
  return Array.from(a).filter((x) => inB.has(x));
}

function toSummary(s: StoredSummary): CatalogueSummary {
  return {
    catalogueId: s.id, name: s.name, finder: s.finder, imagePath: s.imagePath ?? null,
    sourceCount: s.sourceCount, componentCount: s.componentCount, createdAt: s.createdAt,
  };
}
