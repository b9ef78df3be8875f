// The collector's SQLite file: opened once per process, WAL, with each module's migrations applied in order.
import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files.js';

export type Db = Database.Database;

/** A schema step owned by one module. `id` is unique and never changes once released ("store/001-envelopes"). */
export interface Migration {
  id: string;
  up(db: Db): void;
}

/** Opens (creating if needed) a SQLite file with the pragmas the collector relies on. */
export function openDatabase(path: string): Db {
  const created = path !== ':memory:' && !existsSync(path);
  if (path !== ':memory:') makePrivateDir(dirname(path));
  const db = new Database(path);
  // A new file is 0600 before the WAL and SHM exist: SQLite gives them the database file's mode.
  if (created) chmodSync(path, PRIVATE_FILE_MODE);
  // 16 KiB pages for a new file (an existing one keeps its own: SQLite fixes the size when the file is created). WAL
  // frames are written one page at a time, two system calls each: at the ingest's rates that was a sixth of the main
  // thread's time with 4 KiB pages (docs/benchmarks.md). Must come before WAL mode, which writes the header.
  db.pragma('page_size = 16384');
  // A new file hands the pages a prune frees back to the disk, a few at a time (space.ts); no effect on a file that
  // has tables already (only a VACUUM switches that one).
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // When the WAL starts over, its file is cut back to this size rather than kept at its largest.
  db.pragma('journal_size_limit = 67108864');
  // FULL: a 2xx to an agent means the envelope survives a power cut, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Two collector processes on one file wait for each other rather than fail at once.
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies the migrations not applied yet, each in its own transaction, in the order given. */
export function migrate(db: Db, migrations: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, new Date().toISOString());
    }).immediate();
    applied.push(m.id);
  }
  return applied;
}
