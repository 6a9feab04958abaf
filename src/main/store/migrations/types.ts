import type Database from 'better-sqlite3';

/**
 * One numbered schema step. `up` runs inside the runner's transaction (never open one here) and must be
 * FROZEN once released: later changes go in a new numbered file, so every database walks the same path.
 */
export interface Migration {
  /** 1, 2, 3... contiguous; becomes `PRAGMA user_version` once applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
