import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { normalizeTerm, type VocabulariesRepo, type VocabularyField } from './vocabulariesRepo';

/** Editable label fields. `notes` is free text; the others take a term of their vocabulary. */
export type LabelField = 'sourceness' | 'class' | 'morphology' | 'notes';
export const LABEL_FIELDS: readonly LabelField[] = ['sourceness', 'class', 'morphology', 'notes'];

/** The current labels of one source (absent = not labelled). */
export interface StoredLabels {
  sourceId: number;
  sourceness?: string;
  class?: string;
  morphology?: string;
  notes?: string;
  /** Tags as imported from the catalogue (not edited here). */
  tags?: string[];
  updatedBy?: string;
  updatedAt?: string;
}

/** Who makes a change, and on which undo stack it goes. */
export interface LabelEditor {
  who: string;
  /** Undo/redo stack name (default: `who`). Reuse it after a restart to undo earlier changes. */
  session?: string;
  /** ISO 8601 UTC; default now. */
  at?: string;
}

/** One field change: `previous` → `value` (null = unlabelled). */
export interface LabelChange {
  sourceId: number;
  field: LabelField;
  previous: string | null;
  value: string | null;
}

export interface LabelActionResult {
  /** Id of the act (undo step); null when nothing changed (no act recorded). */
  actionId: number | null;
  changes: LabelChange[];
}

export interface HistoryEntry {
  id: number;
  actionId: number;
  kind: 'set' | 'bulk' | 'undo' | 'redo';
  sourceId: number;
  field: LabelField;
  previous: string | null;
  value: string | null;
  who: string;
  at: string;
}

type LabelRow = Record<LabelField | 'tags_json' | 'updated_by' | 'updated_at', string | null> & { source_id: number };

interface PlannedStep {
  target: { id: number };
  changes: LabelChange[];
}

/**
 * Labels with history and undo/redo. Every public write is ONE transaction that writes the label rows,
 * one history row per changed field (with the previous value) and one `label_actions` row, so a change
 * is either wholly on disk or absent, and an acknowledged change survives a crash (synchronous=FULL).
 *
 * Undo/redo stacks are read from `label_actions` per session, so they survive a restart. An undo
 * restores the previous values only where the field still holds the value the act wrote (a later change
 * by another session wins and is left alone); undo and redo are themselves recorded in the history.
 */
export class LabelsRepo {
  private readonly getRow: Database.Statement<[number], LabelRow>;
  private readonly upsert = new Map<LabelField, Database.Statement<[number, string | null, string, string]>>();
  private readonly insertAction: Database.Statement<[string, string, string, string, string | null, number | null]>;
  private readonly insertHistory: Database.Statement<[number, number, string, string | null, string | null, string, string]>;

  constructor(
    private readonly db: Database.Database,
    private readonly vocabularies: VocabulariesRepo,
  ) {
    this.getRow = db.prepare('SELECT * FROM labels WHERE source_id = ?');
    for (const f of LABEL_FIELDS) {
      this.upsert.set(f, db.prepare(
        `INSERT INTO labels (source_id, ${f}, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET ${f} = excluded.${f}, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ));
    }
    this.insertAction = db.prepare('INSERT INTO label_actions (session, who, at, kind, state, target_id) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertHistory = db.prepare(
      'INSERT INTO label_history (action_id, source_id, field, old_value, new_value, who, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  get(sourceId: number): StoredLabels | undefined {
    const row = this.getRow.get(sourceId);
    return row ? rowToLabels(row) : undefined;
  }

  /** Labels of many sources (unlabelled ones are omitted). */
  getMany(sourceIds: readonly number[]): StoredLabels[] {
    const out: StoredLabels[] = [];
    for (const id of sourceIds) {
      const row = this.getRow.get(id);
      if (row) out.push(rowToLabels(row));
    }
    return out;
  }

  /** Set (or with `null`, clear) one field of one source's label. */
  set(sourceId: number, field: LabelField, value: string | null, editor: LabelEditor): LabelActionResult {
    return this.setMany([sourceId], field, value, editor);
  }

  /**
   * Set one field on many sources (bulk-label the selection): one transaction, ONE undo step. Sources
   * already holding the value are left untouched (no history row). Unknown ids → `notFound`.
   */
  setMany(sourceIds: readonly number[], field: LabelField, value: string | null, editor: LabelEditor): LabelActionResult {
    const v = this.normalizeValue(field, value);
    const ids = [...new Set(sourceIds)];
    const run = this.db.transaction((): LabelActionResult => {
      const changes: LabelChange[] = [];
      for (const sourceId of ids) {
        const previous = this.current(sourceId, field);
        if (previous !== v) changes.push({ sourceId, field, previous, value: v });
      }
      if (changes.length === 0) return { actionId: null, changes };
      const session = editor.session ?? editor.who;
      // A new act ends the redo branch of this session.
      this.db.prepare("UPDATE label_actions SET state = 'discarded' WHERE session = ? AND state = 'undone'").run(session);
      const actionId = this.apply(changes, ids.length === 1 ? 'set' : 'bulk', 'done', null, editor);
      return { actionId, changes };
    });
    try {
      return run.immediate();
    } catch (err) {
      throw this.explainFailure(err, ids);
    }
  }

  /** What `undo(session)` would change now, without changing it (null = nothing to undo). */
  peekUndo(session: string): LabelChange[] | null {
    return this.planUndo(session)?.changes ?? null;
  }

  peekRedo(session: string): LabelChange[] | null {
    return this.planRedo(session)?.changes ?? null;
  }

  /** Revert the session's latest act. Null when there is nothing to undo. */
  undo(session: string, editor: LabelEditor = { who: session }): (LabelActionResult & { undoneId: number }) | null {
    return this.db.transaction(() => {
      const plan = this.planUndo(session);
      if (!plan) return null;
      const actionId = this.apply(plan.changes, 'undo', null, plan.target.id, { ...editor, session });
      this.db.prepare("UPDATE label_actions SET state = 'undone' WHERE id = ?").run(plan.target.id);
      return { actionId, changes: plan.changes, undoneId: plan.target.id };
    }).immediate();
  }

  /** Re-apply the session's most recently undone act. Null when there is nothing to redo. */
  redo(session: string, editor: LabelEditor = { who: session }): (LabelActionResult & { redoneId: number }) | null {
    return this.db.transaction(() => {
      const plan = this.planRedo(session);
      if (!plan) return null;
      const actionId = this.apply(plan.changes, 'redo', null, plan.target.id, { ...editor, session });
      this.db.prepare("UPDATE label_actions SET state = 'done' WHERE id = ?").run(plan.target.id);
      return { actionId, changes: plan.changes, redoneId: plan.target.id };
    }).immediate();
  }

  /** A source's label history, oldest first. */
  history(sourceId: number): HistoryEntry[] {
    const rows = this.db.prepare(
      `SELECT h.id, h.action_id, a.kind, h.source_id, h.field, h.old_value, h.new_value, h.who, h.at
       FROM label_history h JOIN label_actions a ON a.id = h.action_id WHERE h.source_id = ? ORDER BY h.id`,
    ).all(sourceId) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number,
      actionId: r.action_id as number,
      kind: r.kind as HistoryEntry['kind'],
      sourceId: r.source_id as number,
      field: r.field as LabelField,
      previous: r.old_value as string | null,
      value: r.new_value as string | null,
      who: r.who as string,
      at: r.at as string,
    }));
  }

  private current(sourceId: number, field: LabelField): string | null {
    return this.getRow.get(sourceId)?.[field] ?? null;
  }

  private normalizeValue(field: LabelField, value: string | null): string | null {
    if (!LABEL_FIELDS.includes(field)) throw new AppError('validation', `unknown label field ${String(field)}`, { field });
    if (value === null) return null;
    if (field === 'notes') return value.trim() === '' ? null : value;
    const term = normalizeTerm(value);
    if (!this.vocabularies.has(field as VocabularyField, term)) {
      throw new AppError('validation', `${field} label ${JSON.stringify(value)} is not in the ${field} vocabulary (add it first)`, {
        field,
        value,
      });
    }
    return term;
  }

  /** Write changes + their history rows under a new act; returns the act id. Caller holds the transaction. */
  private apply(
    changes: readonly LabelChange[],
    kind: HistoryEntry['kind'],
    state: 'done' | null,
    targetId: number | null,
    editor: LabelEditor,
  ): number {
    const at = editor.at ?? new Date().toISOString();
    const session = editor.session ?? editor.who;
    const actionId = Number(this.insertAction.run(session, editor.who, at, kind, state, targetId).lastInsertRowid);
    for (const c of changes) {
      this.upsert.get(c.field)!.run(c.sourceId, c.value, editor.who, at);
      this.insertHistory.run(actionId, c.sourceId, c.field, c.previous, c.value, editor.who, at);
    }
    return actionId;
  }

  private planUndo(session: string): PlannedStep | null {
    const target = this.db.prepare(
      "SELECT id FROM label_actions WHERE session = ? AND state = 'done' ORDER BY id DESC LIMIT 1",
    ).get(session) as { id: number } | undefined;
    if (!target) return null;
    // Newest change first, so restoring previous values unwinds the act exactly.
    const rows = this.actionRows(target.id, 'DESC');
    const changes = rows
      .filter((r) => this.current(r.source_id, r.field) === r.new_value)
      .map((r) => ({ sourceId: r.source_id, field: r.field, previous: r.new_value, value: r.old_value }));
    return { target, changes };
  }

  private planRedo(session: string): PlannedStep | null {
    // Undone acts form a suffix of the stack; the oldest of them is the one undone last.
    const target = this.db.prepare(
      "SELECT id FROM label_actions WHERE session = ? AND state = 'undone' ORDER BY id ASC LIMIT 1",
    ).get(session) as { id: number } | undefined;
    if (!target) return null;
    const rows = this.actionRows(target.id, 'ASC');
    const changes = rows
      .filter((r) => this.current(r.source_id, r.field) === r.old_value)
      .map((r) => ({ sourceId: r.source_id, field: r.field, previous: r.old_value, value: r.new_value }));
    return { target, changes };
  }

  private actionRows(actionId: number, order: 'ASC' | 'DESC') {
    return this.db.prepare(
      `SELECT source_id, field, old_value, new_value FROM label_history WHERE action_id = ? ORDER BY id ${order}`,
    ).all(actionId) as { source_id: number; field: LabelField; old_value: string | null; new_value: string | null }[];
  }

  private explainFailure(err: unknown, ids: readonly number[]): unknown {
    if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') return err;
    const exists = this.db.prepare('SELECT 1 FROM sources WHERE id = ?');
    const missing = ids.filter((id) => exists.get(id) === undefined).slice(0, 20);
    return new AppError('notFound', `no source with id ${missing.join(', ')} in the store`, { sourceIds: missing });
  }
}

function rowToLabels(row: LabelRow): StoredLabels {
  const out: StoredLabels = { sourceId: row.source_id };
  for (const f of LABEL_FIELDS) if (row[f] !== null) out[f] = row[f];
  if (row.tags_json !== null) out.tags = JSON.parse(row.tags_json) as string[];
  if (row.updated_by !== null) out.updatedBy = row.updated_by;
  if (row.updated_at !== null) out.updatedAt = row.updated_at;
  return out;
}
