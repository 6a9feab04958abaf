import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';

/**
 * A named subset of one catalogue's sources: explicit member ids, or a filter expression (stored
 * verbatim; the catalogue filter interprets it), or both (e.g. the expression that produced the ids).
 */
export interface SavedSubset {
  id: number;
  catalogueId: number;
  name: string;
  expression?: string;
  memberCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface SubsetInput {
  catalogueId: number;
  name: string;
  sourceIds?: readonly number[];
  expression?: string;
  who: string;
}

export class SubsetsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Create or replace (same catalogue + name) a subset, in one transaction. */
  save(input: SubsetInput): SavedSubset {
    const name = input.name.trim();
    if (name === '') throw new AppError('validation', 'a saved subset needs a name', { field: 'name' });
    if (!input.sourceIds && input.expression === undefined) {
      throw new AppError('validation', `subset ${name}: give member ids or an expression`, { name });
    }
    const now = new Date().toISOString();
    const run = this.db.transaction(() => {
      const row = this.db.prepare(
        `INSERT INTO saved_subsets (catalogue_id, name, expression, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (catalogue_id, name) DO UPDATE SET expression = excluded.expression, updated_at = excluded.updated_at
         RETURNING id`,
      ).get(input.catalogueId, name, input.expression ?? null, input.who, now, now) as { id: number };
      this.db.prepare('DELETE FROM subset_members WHERE subset_id = ?').run(row.id);
      bumpDefinitions(this.db, input.catalogueId);
      if (input.sourceIds) {
        // Members must belong to the subset's catalogue (a subset never spans catalogues).
        const add = this.db.prepare(
          'INSERT OR IGNORE INTO subset_members (subset_id, source_id) SELECT ?, id FROM sources WHERE id = ? AND catalogue_id = ?',
        );
        let added = 0;
        for (const id of new Set(input.sourceIds)) added += add.run(row.id, id, input.catalogueId).changes;
        if (added !== new Set(input.sourceIds).size) {
          throw new AppError('notFound', `subset ${name}: some source ids are not in catalogue ${input.catalogueId}`, {
            catalogueId: input.catalogueId,
          });
        }
      }
      return row.id;
    });
    try {
      return this.get(run.immediate())!;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new AppError('notFound', `no catalogue ${input.catalogueId} in the store`, { catalogueId: input.catalogueId });
      }
      throw err;
    }
  }

  get(id: number): SavedSubset | undefined {
    const r = this.db.prepare(
      `SELECT s.*, (SELECT count(*) FROM subset_members m WHERE m.subset_id = s.id) AS member_count
       FROM saved_subsets s WHERE s.id = ?`,
    ).get(id) as Record<string, unknown> | undefined;
    return r && rowToSubset(r);
  }

  list(catalogueId: number): SavedSubset[] {
    const rows = this.db.prepare(
      `SELECT s.*, (SELECT count(*) FROM subset_members m WHERE m.subset_id = s.id) AS member_count
       FROM saved_subsets s WHERE s.catalogue_id = ? ORDER BY s.name`,
    ).all(catalogueId) as Record<string, unknown>[];
    return rows.map(rowToSubset);
  }

  /** Member source ids in ascending order. */
  members(subsetId: number): number[] {
    return (this.db.prepare('SELECT source_id FROM subset_members WHERE subset_id = ? ORDER BY source_id').pluck().all(subsetId)) as number[];
  }

  /** The subset of a catalogue with this exact name. */
  byName(catalogueId: number, name: string): SavedSubset | undefined {
    const id = this.db.prepare('SELECT id FROM saved_subsets WHERE catalogue_id = ? AND name = ?').pluck().get(catalogueId, name) as number | undefined;
    return id === undefined ? undefined : this.get(id);
  }

  remove(id: number): boolean {
    return this.db.transaction(() => {
      const catalogueId = this.db.prepare('SELECT catalogue_id FROM saved_subsets WHERE id = ?').pluck().get(id) as number | undefined;
      if (catalogueId === undefined) return false;
      this.db.prepare('DELETE FROM saved_subsets WHERE id = ?').run(id);
      bumpDefinitions(this.db, catalogueId);
      return true;
    }).immediate();
  }
}

/**
 * Count a change of a catalogue's subsets or computed columns (migration 005): filter results cached
 * under the previous revision are then not reused. Call inside the writing transaction.
 */
export function bumpDefinitions(db: Database.Database, catalogueId: number): void {
  db.prepare('UPDATE catalogues SET definitions_rev = definitions_rev + 1 WHERE id = ?').run(catalogueId);
}

/** The revision of a catalogue's subsets and computed columns (0 when never changed or unknown). */
export function definitionsRevision(db: Database.Database, catalogueId: number): number {
  return (db.prepare('SELECT definitions_rev FROM catalogues WHERE id = ?').pluck().get(catalogueId) as number | undefined) ?? 0;
}

function rowToSubset(r: Record<string, unknown>): SavedSubset {
  const s: SavedSubset = {
    id: r.id as number,
    catalogueId: r.catalogue_id as number,
    name: r.name as string,
    memberCount: r.member_count as number,
    createdBy: r.created_by as string,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
  if (r.expression !== null) s.expression = r.expression as string;
  return s;
}
