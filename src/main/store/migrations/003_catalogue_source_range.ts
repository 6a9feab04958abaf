import type { Migration } from './types';

/**
 * The rowid range of each catalogue's sources (an import inserts them contiguously in one transaction),
 * so a filter scans that slice of `sources` in rowid order instead of walking the (catalogue_id, key)
 * index in key order, which is random access: 10⁶-row filters went from ~400 ms to a plain scan.
 */
export const migration003: Migration = {
  version: 3,
  name: 'catalogue_source_range',
  up(db) {
    db.exec(`
      ALTER TABLE catalogues ADD COLUMN first_source_id INTEGER;
      ALTER TABLE catalogues ADD COLUMN last_source_id INTEGER;
      UPDATE catalogues SET
        first_source_id = (SELECT min(id) FROM sources WHERE catalogue_id = catalogues.id),
        last_source_id = (SELECT max(id) FROM sources WHERE catalogue_id = catalogues.id);
    `);
  },
};
