// The outbox's file: its pragmas and its table, opened (and created with its folder) in one place.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** SQLite page cache of the outbox connection, in KiB. */
export const OUTBOX_CACHE_KIB = 2048;

/** Opens the outbox file with its pragmas, creating it, its folder and its table if needed. */
export function openOutboxDatabase(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // After a checkpoint the WAL is cut back to 4 MiB: a drain's deletions do not keep holding the disk.
  db.pragma('journal_size_limit = 4194304');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, and a drain or the count at start reads the
  // whole table through it, so it is soon full. The outbox only touches the two ends of its b-trees (appends at
  // the tail, reads and deletes at the head): 2 MB holds them, and keeps the agent's memory from paying 16 MB for it.
  db.pragma(`cache_size = -${OUTBOX_CACHE_KIB}`);
  db.exec(`CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    captured_at TEXT NOT NULL,
    body TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    error TEXT
  )`);
  db.exec("CREATE INDEX IF NOT EXISTS outbox_state_seq ON outbox (state, seq)");
  return db;
}
