// The outbox file's schema version, kept in SQLite's user_version, and the steps that bring an older file up to date.
// An upgrade runs `xpears-agent migrate` with the NEW package's code while the service is stopped, after the upgrade
// script copied the file aside (packaging/linux/xpears-agent-upgrade): a failed start puts the copy back.
import Database from 'better-sqlite3';

/** One schema step: the SQL that turns version `to - 1` into version `to`, run in one transaction. */
export interface OutboxMigration {
  to: number;
  sql: string;
}

/** Version 1: the outbox as agent/outbox/outbox.ts creates it (a file without user_version is that schema). */
const BASELINE: OutboxMigration = { to: 1, sql: 'SELECT 1' };

/** The steps of this package; a build may add one (packaging/bundle.ts `extraMigrationSql`, the upgrade test's N+1). */
export function outboxMigrations(extraSql: string | undefined): OutboxMigration[] {
  const steps = [BASELINE];
  if (extraSql) steps.push({ to: 2, sql: extraSql });
  return steps;
}

/** What a migration did, for the upgrade script's log. */
export interface MigrationResult {
  from: number;
  to: number;
  pending: number;
}

/** Brings the outbox file at `path` to the newest schema; refuses a file newer than this package knows. */
export function migrateOutbox(path: string, steps: readonly OutboxMigration[]): MigrationResult {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const from = db.pragma('user_version', { simple: true }) as number;
    const target = steps.length > 0 ? steps[steps.length - 1]!.to : 0;
    if (from > target) throw new Error(`outbox schema ${from} is newer than this package's ${target}: install the newer package`);
    const hasTable = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").pluck().get() as number;
    for (const step of steps) {
      if (step.to <= from) continue;
      db.transaction(() => {
        if (hasTable > 0) db.exec(step.sql);
        db.pragma(`user_version = ${step.to}`);
      })();
    }
    const pending = hasTable > 0 ? db.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").pluck().get() as number : 0;
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { from, to: Math.max(from, target), pending };
  } finally {
    db.close();
  }
}
