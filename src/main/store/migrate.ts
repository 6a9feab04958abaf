import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { Migration } from './migrations/types';

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

/** The schema version a database is at (`PRAGMA user_version`; 0 = empty). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}

/**
 * Bring `db` up to the last of `migrations`, each step in its own transaction together with its
 * `schema_migrations` row and `user_version`, so a crash leaves the database at a whole step.
 * A database from a NEWER schema is refused (`store.newerSchema`): this build would misread it.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): MigrationReport {
  checkSequence(migrations);
  const latest = migrations.length;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new AppError('store.newerSchema', `${file}: database schema version ${from} is newer than this build's ${latest}`, {
      path: file,
      version: from,
      supported: latest,
    });
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
      // user_version lives in the file header, which is written inside the same transaction.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(`${String(m.version).padStart(3, '0')}_${m.name}`);
  }
  return { from, to: schemaVersion(db), applied };
}
