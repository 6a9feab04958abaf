import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { Catalogue, CatalogueBeam, Source } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import {
  componentParams, INSERT_COMPONENT_SQL, INSERT_SOURCE_SQL, insertSourcesSql, rowToComponent, rowToSource, SOURCE_PARAMS, sourceParams, writeSourceParams,
} from './sourceColumns';

/** Sources per multi-row INSERT (× 45 parameters, far below SQLite's limit): the per-call overhead dominates single-row inserts. */
const INSERT_BATCH = 32;
import { buildSourceFilter, type SourceFilter } from './sourceFilter';
import { normalizeTerm, VOCABULARY_FIELDS, type VocabulariesRepo } from './vocabulariesRepo';

export interface CatalogueSummary {
  id: number;
  uid: string;
  name: string;
  finder: string;
  runId?: string;
  imageId?: number;
  imagePath?: string;
  frame: SkyFrame;
  beam?: CatalogueBeam;
  parameters?: Record<string, unknown>;
  createdAt: string;
  importedAt: string;
  sourceCount: number;
  componentCount: number;
}

export interface ImportResult {
  catalogueId: number;
  sources: number;
  components: number;
  labelled: number;
  elapsedMs: number;
}

/** A catalogue whose sources may be streamed (a generator), so 10⁶ sources need not sit in memory. */
export type CatalogueInput = Omit<Catalogue, 'sources'> & { sources: Iterable<Source> };

/** A stored source with its store id (the id labels, subsets and selections use). */
export interface StoredSource {
  sourceId: number;
  source: Source;
}

/** Catalogues, their sources and components. */
export class CataloguesRepo {
  constructor(
    private readonly db: Database.Database,
    private readonly vocabularies: VocabulariesRepo,
  ) {}

  /**
   * Store a whole catalogue in ONE transaction with prepared statements (10⁶ rows in seconds).
   * Labels carried by the catalogue (e.g. CAESAR's) become the sources' current labels without history
   * rows (they are the baseline, not user acts); unknown terms join the vocabularies.
   */
  import(cat: CatalogueInput, options: { imageId?: number } = {}): ImportResult {
    const t0 = performance.now();
    const insertCatalogue = this.db.prepare(
      `INSERT INTO catalogues (uid, name, finder, run_id, image_id, image_path, frame, beam_json, parameters_json,
         format_version, created_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertSource = this.db.prepare(INSERT_SOURCE_SQL);
    const insertSources = this.db.prepare(insertSourcesSql(INSERT_BATCH));
    const insertComponent = this.db.prepare(INSERT_COMPONENT_SQL);
    const insertLabel = this.db.prepare(
      `INSERT INTO labels (source_id, sourceness, class, morphology, notes, tags_json, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const run = this.db.transaction((): ImportResult => {
      const now = new Date().toISOString();
      const catalogueId = Number(insertCatalogue.run(
        cat.id, cat.name, cat.finder, cat.runId ?? null, options.imageId ?? null, cat.imagePath ?? null, cat.frame,
        cat.beam ? JSON.stringify(cat.beam) : null, cat.parameters ? JSON.stringify(cat.parameters) : null,
        cat.version, cat.createdAt, now,
      ).lastInsertRowid);
      let sources = 0;
      let firstId: number | undefined;
      let lastId: number | undefined;
      let components = 0;
      let labelled = 0;
      const terms = { sourceness: new Set<string>(), class: new Set<string>(), morphology: new Set<string>() };
      const importedBy = `import:${cat.finder}`;
      let pending: Source[] = [];
      // One parameter array refilled per batch (a full batch overwrites every slot).
      const params: unknown[] = new Array<unknown>(INSERT_BATCH * SOURCE_PARAMS).fill(null);
      const flush = (): void => {
        if (pending.length === 0) return;
        let last = 0;
        if (pending.length === INSERT_BATCH) last = Number(insertSources.run(params).lastInsertRowid);
        else for (const s of pending) last = Number(insertSource.run(sourceParams(catalogueId, s)).lastInsertRowid);
        // One writer inside one transaction: a rowid table numbers the rows of a batch consecutively.
        const first = last - pending.length + 1;
        firstId ??= first;
        lastId = last;
        sources += pending.length;
        for (let k = 0; k < pending.length; k++) {
          const s = pending[k]!;
          const sourceId = first + k;
          for (const c of s.components) insertComponent.run(componentParams(sourceId, c));
          components += s.components.length;
          const l = s.labels;
          if (l && (l.sourceness || l.class || l.morphology || l.tags?.length || l.notes)) {
            const [sn, cl, mo] = [l.sourceness, l.class, l.morphology].map((v) => (v ? normalizeTerm(v) : null));
            if (sn) terms.sourceness.add(sn);
            if (cl) terms.class.add(cl);
            if (mo) terms.morphology.add(mo);
            insertLabel.run(sourceId, sn, cl, mo, l.notes || null, l.tags?.length ? JSON.stringify(l.tags) : null, importedBy, now);
            labelled++;
          }
        }
        pending = [];
      };
      for (const s of cat.sources) {
        writeSourceParams(params, pending.length * SOURCE_PARAMS, catalogueId, s);
        pending.push(s);
        if (pending.length === INSERT_BATCH) flush();
      }
      flush();
      for (const field of VOCABULARY_FIELDS) {
        for (const term of terms[field]) if (!this.vocabularies.has(field, term)) this.vocabularies.add(field, term, importedBy);
      }
      this.db.prepare(
        'UPDATE catalogues SET source_count = ?, component_count = ?, first_source_id = ?, last_source_id = ? WHERE id = ?',
      ).run(sources, components, firstId ?? null, lastId ?? null, catalogueId);
      return { catalogueId, sources, components, labelled, elapsedMs: 0 };
    });
    const result = run.immediate();
    result.elapsedMs = performance.now() - t0;
    return result;
  }

  list(): CatalogueSummary[] {
    return (this.db.prepare('SELECT * FROM catalogues ORDER BY id').all() as Record<string, unknown>[]).map(rowToSummary);
  }

  get(catalogueId: number): CatalogueSummary | undefined {
    const r = this.db.prepare('SELECT * FROM catalogues WHERE id = ?').get(catalogueId) as Record<string, unknown> | undefined;
    return r && rowToSummary(r);
  }

  /** Delete a catalogue with its sources, components, labels, history rows and subsets. */
  remove(catalogueId: number): boolean {
    return this.db.transaction(() => this.db.prepare('DELETE FROM catalogues WHERE id = ?').run(catalogueId).changes > 0).immediate();
  }

  /** Sources in import order, with components and current labels, a page at a time. */
  sources(catalogueId: number, page: { offset?: number; limit?: number } = {}): StoredSource[] {
    const summary = this.require(catalogueId);
    const rows = this.db.prepare(
      `SELECT s.*, l.sourceness AS l_sourceness, l.class AS l_class, l.morphology AS l_morphology, l.tags_json AS l_tags
       FROM sources s LEFT JOIN labels l ON l.source_id = s.id WHERE s.catalogue_id = ? ORDER BY s.id LIMIT ? OFFSET ?`,
    ).all(catalogueId, page.limit ?? -1, page.offset ?? 0) as Record<string, unknown>[];
    const componentsOf = this.db.prepare('SELECT * FROM components WHERE source_id = ? ORDER BY idx, id');
    return rows.map((r) => {
      const source = rowToSource(r, summary.finder);
      source.components = (componentsOf.all(r.id) as Record<string, unknown>[]).map(rowToComponent);
      const labels: NonNullable<Source['labels']> = {};
      if (r.l_sourceness !== null && r.l_sourceness !== undefined) labels.sourceness = r.l_sourceness as NonNullable<typeof labels.sourceness>;
      if (r.l_class !== null && r.l_class !== undefined) labels.class = r.l_class as string;
      if (r.l_morphology !== null && r.l_morphology !== undefined) labels.morphology = r.l_morphology as string;
      if (r.l_tags !== null && r.l_tags !== undefined) labels.tags = JSON.parse(r.l_tags as string) as string[];
      if (Object.keys(labels).length > 0) source.labels = labels;
      return { sourceId: r.id as number, source };
    });
  }

  /** The whole catalogue back in the normalized model (for exporters). */
  load(catalogueId: number): Catalogue {
    const s = this.require(catalogueId);
    const cat: Catalogue = {
      version: 1, id: s.uid, name: s.name, finder: s.finder, createdAt: s.createdAt, frame: s.frame,
      sources: this.sources(catalogueId).map((x) => x.source),
    };
    if (s.runId !== undefined) cat.runId = s.runId;
    if (s.imagePath !== undefined) cat.imagePath = s.imagePath;
    if (s.parameters !== undefined) cat.parameters = s.parameters;
    if (s.beam !== undefined) cat.beam = s.beam;
    return cat;
  }

  /** Store ids of the sources matching `filter`, ascending. */
  filterSourceIds(catalogueId: number, filter: SourceFilter): number[] {
    const range = this.db.prepare('SELECT first_source_id AS first, last_source_id AS last FROM catalogues WHERE id = ?')
      .get(catalogueId) as { first: number | null; last: number | null } | undefined;
    if (!range) throw new AppError('notFound', `no catalogue ${catalogueId} in the store`, { catalogueId });
    if (range.first === null || range.last === null) return [];
    const { where, params } = buildSourceFilter(catalogueId, filter);
    const usesLabels = filter.sourceness !== undefined || filter.class !== undefined || filter.morphology !== undefined;
    const from = usesLabels ? 'sources s LEFT JOIN labels l ON l.source_id = s.id' : 'sources s';
    // Scan the catalogue's rowid slice in order (see migration 003); the catalogue test keeps it exact.
    return this.db.prepare(`SELECT s.id FROM ${from} WHERE s.id BETWEEN ? AND ? AND ${where} ORDER BY s.id`)
      .pluck().all(range.first, range.last, ...params) as number[];
  }

  /** Store ids by the finder's source ids (`Source.id`); unknown keys are absent from the map. */
  sourceIdsByKey(catalogueId: number, keys: readonly string[]): Map<string, number> {
    const stmt = this.db.prepare('SELECT id FROM sources WHERE catalogue_id = ? AND key = ?').pluck();
    const out = new Map<string, number>();
    for (const k of keys) {
      const id = stmt.get(catalogueId, k) as number | undefined;
      if (id !== undefined) out.set(k, id);
    }
    return out;
  }

  private require(catalogueId: number): CatalogueSummary {
    const s = this.get(catalogueId);
    if (!s) throw new AppError('notFound', `no catalogue ${catalogueId} in the store`, { catalogueId });
    return s;
  }
}

function rowToSummary(r: Record<string, unknown>): CatalogueSummary {
  const s: CatalogueSummary = {
    id: r.id as number,
    uid: r.uid as string,
    name: r.name as string,
    finder: r.finder as string,
    frame: r.frame as SkyFrame,
    createdAt: r.created_at as string,
    importedAt: r.imported_at as string,
    sourceCount: r.source_count as number,
    componentCount: r.component_count as number,
  };
  if (r.run_id !== null) s.runId = r.run_id as string;
  if (r.image_id !== null) s.imageId = r.image_id as number;
  if (r.image_path !== null) s.imagePath = r.image_path as string;
  if (r.beam_json !== null) s.beam = JSON.parse(r.beam_json as string) as CatalogueBeam;
  if (r.parameters_json !== null) s.parameters = JSON.parse(r.parameters_json as string) as Record<string, unknown>;
  return s;
}
