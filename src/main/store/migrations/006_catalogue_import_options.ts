import type { Migration } from './types';

/** The reader options a catalogue was imported with (e.g. a CSV column mapping), so a session file can re-import it the same way. */
export const migration006: Migration = {
  version: 6,
  name: 'catalogue_import_options',
  up(db) {
    db.exec('ALTER TABLE catalogues ADD COLUMN source_options_json TEXT;');
  },
};
