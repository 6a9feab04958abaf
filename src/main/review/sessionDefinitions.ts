import type Database from 'better-sqlite3';
import type { ColumnInfo } from '../../shared/contract/catalogues';
import { AppError } from '../../shared/contract/errors';
import type { ComputedColumn, SubsetInfo } from '../../shared/contract/session';
import {
  catalogueFilterSchema, compileToSql, computedNameProblem, parseNumericExpression, type ComputedRef, type FilterSchema, type SubsetRef,
} from '../../shared/filter';
import type { Store } from '../store';
import { bumpDefinitions, definitionsRevision } from '../store/subsetsRepo';
import { columnSql } from './sourceSql';

type Beam = { bmajArcsec: number; bminArcsec: number } | undefined;

/**
 * A catalogue's user definitions that the filter language sees: saved subsets (`subset('name')`) and
 * computed columns (`ratio = flux / peak`, inlined where the name is used, so every evaluator and the SQL
 * compiler handle them unchanged). Also where a catalogue was imported from (session files re-import it).
 * All state is in the store (migration 005); the parsed schema is cached per catalogue revision.
 */
export class CatalogueDefinitions {
  private readonly schemas = new Map<number, { rev: number; schema: FilterSchema }>();

  constructor(private readonly store: Store) {}

  private get db(): Database.Database {
    return this.store.db;
  }

  /** Revision of the catalogue's subsets and computed columns (part of filter cache keys). */
  revision(catalogueId: number): number {
    return definitionsRevision(this.db, catalogueId);
  }

  /** The filter schema of a catalogue: its beam constants, subsets and computed columns. */
  schemaFor(catalogueId: number, beam: Beam): FilterSchema {
    const rev = this.revision(catalogueId);
    const hit = this.schemas.get(catalogueId);
    if (hit && hit.rev === rev) return hit.schema;
    const base = catalogueFilterSchema(beam);
    const computed = new Map<string, ComputedRef>();
    for (const c of this.listComputed(catalogueId)) {
      // A definition that no longer parses (it was checked when saved) is left out rather than breaking every filter.
      try {
        computed.set(c.name, { expr: parseNumericExpression(c.expression, base) });
      } catch {
        continue;
      }
    }
    const subsets = new Map<string, SubsetRef>();
    for (const s of this.store.subsets.list(catalogueId)) {
      // Loaded once per schema revision (a subset's members change only with the revision).
      let members: ReadonlySet<number> | null = null;
      subsets.set(s.name, { subsetId: s.id, members: () => (members ??= new Set(this.store.subsets.members(s.id))) });
    }
    const schema = catalogueFilterSchema(beam, { subsets, computed });
    this.schemas.set(catalogueId, { rev, schema });
    return schema;
  }

  // ---- computed columns ----

  listComputed(catalogueId: number): ComputedColumn[] {
    return this.db.prepare('SELECT catalogue_id AS catalogueId, name, expression FROM computed_columns WHERE catalogue_id = ? ORDER BY created_at, name')
      .all(catalogueId) as ComputedColumn[];
  }

  /** Define or redefine `name = expression`; the expression may use catalogue columns and constants (not other computed columns). */
  defineComputed(catalogueId: number, rawName: string, expression: string, who: string, beam: Beam): ComputedColumn {
    const name = rawName.trim().toLowerCase();
    const base = catalogueFilterSchema(beam);
    const problem = computedNameProblem(name, base);
    if (problem) throw new AppError('validation', `computed column: ${problem}`, { field: 'name', name: rawName });
    parseNumericExpression(expression, base); // throws filter.parseFailed pointed at the character
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare(
        `INSERT INTO computed_columns (catalogue_id, name, expression, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (catalogue_id, name) DO UPDATE SET expression = excluded.expression, updated_at = excluded.updated_at`,
      ).run(catalogueId, name, expression, who, now, now);
      bumpDefinitions(this.db, catalogueId);
    }).immediate();
    return { catalogueId, name, expression };
  }

  removeComputed(catalogueId: number, name: string): void {
    const removed = this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM computed_columns WHERE catalogue_id = ? AND name = ?').run(catalogueId, name.toLowerCase()).changes;
      if (n > 0) bumpDefinitions(this.db, catalogueId);
      return n;
    }).immediate();
    if (removed === 0) throw new AppError('notFound', `catalogue ${catalogueId} has no computed column '${name}'`, { catalogueId, name });
  }

  /** Table/plot columns of the computed columns (units unknown: '' ). */
  computedColumnInfo(catalogueId: number): ColumnInfo[] {
    return this.listComputed(catalogueId).map((c) => ({ name: c.name, unit: '', kind: 'number', description: `Computed: ${c.expression}` }));
  }

  /**
   * SELECT items (`<sql> AS "<name>"`) and their bound parameters for the computed columns of a catalogue,
   * over `sources s LEFT JOIN labels l` (same semantics as the filter evaluators).
   */
  computedSelect(catalogueId: number, beam: Beam): { sql: string[]; params: unknown[]; names: string[] } {
    const schema = this.schemaFor(catalogueId, beam);
    const out = { sql: [] as string[], params: [] as unknown[], names: [] as string[] };
    for (const [name, ref] of schema.computed ?? []) {
      const f = compileToSql(ref.expr, columnSql);
      out.sql.push(`${f.sql} AS "${name}"`);
      out.params.push(...f.params);
      out.names.push(name);
    }
    return out;
  }

  /** SQL of one computed column over `sources s LEFT JOIN labels l` (null if the catalogue has no such column). */
  computedSql(catalogueId: number, beam: Beam, name: string): { sql: string; params: unknown[] } | null {
    const ref = this.schemaFor(catalogueId, beam).computed?.get(name);
    if (!ref) return null;
    const f = compileToSql(ref.expr, columnSql);
    return { sql: f.sql, params: f.params };
  }

  /** Values of the computed columns for the given store ids (id → name → value). */
  computedValues(catalogueId: number, beam: Beam, ids: readonly number[]): Map<number, Record<string, number | null>> {
    const sel = this.computedSelect(catalogueId, beam);
    const out = new Map<number, Record<string, number | null>>();
    if (sel.names.length === 0 || ids.length === 0) return out;
    const stmt = this.db.prepare(`SELECT s.id AS "__id", ${sel.sql.join(', ')} FROM sources s LEFT JOIN labels l ON l.source_id = s.id WHERE s.id = ?`);
    for (const id of ids) {
      const r = stmt.get(...sel.params, id) as Record<string, number | null> | undefined;
      if (!r) continue;
      const values: Record<string, number | null> = {};
      for (const n of sel.names) values[n] = typeof r[n] === 'number' && Number.isFinite(r[n]) ? r[n] : null;
      out.set(id, values);
    }
    return out;
  }

  /**
   * Put the computed column values into each source's `extra` (by source key, one scan of the catalogue) and
   * answer the columns for ExportOptions.extraColumns (empty when the catalogue has none).
   */
  attachComputed(catalogueId: number, beam: Beam, sources: readonly { id: string; extra?: Record<string, number | string | boolean> }[]): { name: string; description: string }[] {
    const sel = this.computedSelect(catalogueId, beam);
    if (sel.names.length === 0 || sources.length === 0) return [];
    const byKey = new Map(sources.map((s) => [s.id, s]));
    const rows = this.db.prepare(`SELECT s.key AS "__key", ${sel.sql.join(', ')} FROM sources s LEFT JOIN labels l ON l.source_id = s.id WHERE s.catalogue_id = ?`)
      .all(...sel.params, catalogueId) as Record<string, unknown>[];
    for (const r of rows) {
      const source = byKey.get(r.__key as string);
      if (!source) continue;
      for (const n of sel.names) {
        const v = r[n];
        if (typeof v === 'number' && Number.isFinite(v)) (source.extra ??= {})[n] = v;
      }
    }
    return this.listComputed(catalogueId).map((c) => ({ name: c.name, description: `Computed: ${c.expression}` }));
  }

  // ---- subsets ----

  listSubsets(catalogueId: number): SubsetInfo[] {
    return this.store.subsets.list(catalogueId).map((s) => ({
      catalogueId, name: s.name, memberCount: s.memberCount, updatedAt: s.updatedAt, ...(s.expression !== undefined ? { expression: s.expression } : {}),
    }));
  }

  saveSubset(catalogueId: number, name: string, ids: ArrayLike<number>, expression: string | undefined, who: string): SubsetInfo {
    const saved = this.store.subsets.save({ catalogueId, name, sourceIds: Array.from(ids), who, ...(expression ? { expression } : {}) });
    return { catalogueId, name: saved.name, memberCount: saved.memberCount, updatedAt: saved.updatedAt, ...(saved.expression ? { expression: saved.expression } : {}) };
  }

  removeSubset(catalogueId: number, name: string): void {
    const s = this.store.subsets.byName(catalogueId, name);
    if (!s) throw new AppError('notFound', `catalogue ${catalogueId} has no subset '${name}'`, { catalogueId, name });
    this.store.subsets.remove(s.id);
  }

  // ---- where a catalogue came from ----

  /** Where a catalogue was imported from and how (format, CSV column mapping): a session re-imports it the same way. */
  recordOrigin(catalogueId: number, path: string, format: string | undefined, csvMapping?: object): void {
    this.db.prepare('UPDATE catalogues SET source_path = ?, source_format = ?, source_options_json = ? WHERE id = ?')
      .run(path, format ?? null, csvMapping ? JSON.stringify({ csvMapping }) : null, catalogueId);
  }

  origin(catalogueId: number): { path: string | null; format: string | null; csvMapping: Record<string, unknown> | null } {
    const r = this.db.prepare('SELECT source_path AS path, source_format AS format, source_options_json AS options FROM catalogues WHERE id = ?')
      .get(catalogueId) as { path: string | null; format: string | null; options: string | null } | undefined;
    if (!r) return { path: null, format: null, csvMapping: null };
    const options = r.options ? (JSON.parse(r.options) as { csvMapping?: Record<string, unknown> }) : {};
    return { path: r.path, format: r.format, csvMapping: options.csvMapping ?? null };
  }
}
