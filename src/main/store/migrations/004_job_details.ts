import type { Migration } from './types';

/**
 * What the job service needs to resume a job after a restart: the backend profile (no secrets: profiles name
 * files), the submitted spec (logs and outputs are found through it), a tag, the timeout, and the last update.
 */
export const migration004: Migration = {
  version: 4,
  name: 'job_details',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN profile_json TEXT;
      ALTER TABLE jobs ADD COLUMN spec_json TEXT;
      ALTER TABLE jobs ADD COLUMN tag TEXT;
      ALTER TABLE jobs ADD COLUMN timeout_ms INTEGER;
      ALTER TABLE jobs ADD COLUMN updated_at TEXT;
    `);
  },
};
