import Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { CataloguesRepo } from './cataloguesRepo';
import { ImagesRepo } from './imagesRepo';
import { LabelsRepo } from './labelsRepo';
import { migrate, schemaVersion, type MigrationReport } from './migrate';
import { MIGRATIONS, type Migration } from './migrations/index';
import { SubsetsRepo } from './subsetsRepo';
import { VocabulariesRepo } from './vocabulariesRepo';

export interface StoreOptions {
  /** Schema steps to apply (tests open at an older version); default all. */
  migrations?: readonly Migration[];
  /** How long a write waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

/** The project database: one connection and the repositories over it. Close it when done. */
export interface Store {
  readonly path: string;
  readonly db: Database.Database;
  readonly migration: MigrationReport;
  readonly images: ImagesRepo;
  readonly catalogues: CataloguesRepo;
  readonly labels: LabelsRepo;
  readonly subsets: SubsetsRepo;
  readonly vocabularies: VocabulariesRepo;
  schemaVersion(): number;
  /** `PRAGMA integrity_check` + `foreign_key_check`: `['ok']` when intact, else the problems found. */
  integrityCheck(): string[];
  close(): void;
}

const SQLITE_DAMAGE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function corrupt(path: string, err: unknown): AppError {
  const e = err as { code?: string; message?: string };
  return new AppError('store.corrupt', `${path}: not a readable CIRASA database (${e.code ?? 'error'}: ${e.message ?? String(err)})`, {
    path,
    sqliteCode: e.code,
  });
}

/**
 * Open (creating if needed) and migrate the store at `path` (':memory:' for tests).
 * WAL journal; synchronous=FULL so a committed label survives SIGKILL and power loss (the WAL is synced
 * at every commit: see bench/catalogue-store.mjs for the cost); foreign keys on; busy timeout.
 * Throws `store.newerSchema` for a database from a newer build, `store.corrupt` for a damaged/foreign file.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    if (SQLITE_DAMAGE.has((err as { code?: string }).code ?? '')) throw corrupt(path, err);
    throw err;
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Larger page cache for the 10⁶-row import and scans (negative = KiB).
    db.pragma('cache_size = -65536');
    // A 10⁶-row import grows the WAL to the size of the data; truncate it back after checkpoints.
    db.pragma('journal_size_limit = 67108864');
    const migration = migrate(db, options.migrations ?? MIGRATIONS, path);
    const vocabularies = new VocabulariesRepo(db);
    const labels = new LabelsRepo(db, vocabularies);
    return {
      path,
      db,
      migration,
      images: new ImagesRepo(db),
      catalogues: new CataloguesRepo(db, vocabularies),
      labels,
      subsets: new SubsetsRepo(db),
      vocabularies,
      schemaVersion: () => schemaVersion(db),
      integrityCheck: () => integrityCheck(db),
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    if (SQLITE_DAMAGE.has((err as { code?: string }).code ?? '')) throw corrupt(path, err);
    throw err;
  }
}

function integrityCheck(db: Database.Database): string[] {
  const problems = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
  const messages = problems.map((p) => p.integrity_check);
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const f of fk) messages.push(`foreign key: ${f.table} row ${f.rowid} → missing ${f.parent}`);
  return messages.length === 1 && messages[0] === 'ok' ? ['ok'] : messages.filter((m) => m !== 'ok');
}
