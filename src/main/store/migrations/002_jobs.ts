import type { Migration } from './types';

/**
 * Finder jobs (the job service's record; see architecture.md §3). `state` is the service's own state
 * (PENDING ... TIMED-OUT); `native_state` keeps the backend's string beside it for diagnostics.
 */
export const migration002: Migration = {
  version: 2,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        app TEXT NOT NULL,
        options_json TEXT NOT NULL,
        inputs_json TEXT NOT NULL,
        backend TEXT NOT NULL,
        native_id TEXT,
        state TEXT NOT NULL,
        native_state TEXT,
        image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
        catalogue_id INTEGER REFERENCES catalogues(id) ON DELETE SET NULL,
        submitted_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        exit_code INTEGER,
        messages_json TEXT,
        output_dir TEXT
      );
      CREATE INDEX jobs_state ON jobs(state);
    `);
  },
};
