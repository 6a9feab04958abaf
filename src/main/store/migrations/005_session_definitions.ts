import type { Migration } from './types';

/**
 * Session files and filter definitions (issue 4): where each catalogue was imported from (so a session
 * can re-import it), user-defined computed columns, and a revision counter bumped whenever a catalogue's
 * subsets or computed columns change (cached filter results keyed by it are then not reused).
 */
export const migration005: Migration = {
  version: 5,
  name: 'session_definitions',
  up(db) {
    db.exec(`
      ALTER TABLE catalogues ADD COLUMN source_path TEXT;
      ALTER TABLE catalogues ADD COLUMN source_format TEXT;
      ALTER TABLE catalogues ADD COLUMN definitions_rev INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE computed_columns (
        catalogue_id INTEGER NOT NULL REFERENCES catalogues(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        expression TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (catalogue_id, name)
      ) WITHOUT ROWID;
    `);
  },
};
