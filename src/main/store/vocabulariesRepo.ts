import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { CLASS_LABELS, MORPHOLOGY_LABELS, SOURCENESS_LABELS } from '../../shared/domain/labels';

export type VocabularyField = 'sourceness' | 'class' | 'morphology';
export const VOCABULARY_FIELDS: readonly VocabularyField[] = ['sourceness', 'class', 'morphology'];

const DEFAULTS: Record<VocabularyField, readonly string[]> = {
  sourceness: SOURCENESS_LABELS,
  class: CLASS_LABELS,
  morphology: MORPHOLOGY_LABELS,
};

/** Vocabulary spelling: trimmed upper case (labels.ts keeps unknown values upper case too). */
export function normalizeTerm(value: string): string {
  return value.trim().toUpperCase();
}

/** Label vocabularies: the defaults of labels.ts plus the user's additions (stored). */
export class VocabulariesRepo {
  private readonly listAdded: Database.Statement<[string], { value: string }>;
  private readonly insert: Database.Statement<[string, string, string, string]>;

  constructor(private readonly db: Database.Database) {
    this.listAdded = db.prepare('SELECT value FROM vocabulary_terms WHERE field = ? ORDER BY added_at, value');
    this.insert = db.prepare('INSERT OR IGNORE INTO vocabulary_terms (field, value, added_by, added_at) VALUES (?, ?, ?, ?)');
  }

  /** Defaults first (in their documented order), then additions in the order they were made. */
  list(field: VocabularyField): string[] {
    const out = [...DEFAULTS[field]];
    for (const { value } of this.listAdded.all(field)) if (!out.includes(value)) out.push(value);
    return out;
  }

  has(field: VocabularyField, value: string): boolean {
    return this.list(field).includes(value);
  }

  /** Add a term (normalized; a no-op if known). Returns the stored spelling. */
  add(field: VocabularyField, value: string, who: string): string {
    if (!VOCABULARY_FIELDS.includes(field)) throw new AppError('validation', `unknown vocabulary ${String(field)}`, { field });
    const term = normalizeTerm(value);
    if (term === '' || term.length > 64) {
      throw new AppError('validation', `vocabulary ${field}: a term must be 1-64 characters, got ${JSON.stringify(value)}`, { field, value });
    }
    if (!DEFAULTS[field].includes(term)) this.insert.run(field, term, who, new Date().toISOString());
    return term;
  }
}
