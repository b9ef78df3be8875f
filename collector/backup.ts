// `xpears collector backup --out FILE`: a consistent copy of the collector's database taken while it runs, with its
// registry beside it. The database goes through SQLite's online backup API (better-sqlite3's db.backup) in one step:
// one read snapshot, so ingest goes on meanwhile (WAL) and the copy is the database as of one commit. The copy is
// checked (quick_check) before the command says it is done. docs/operations.md has the restore.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { XpearsError } from '../lib/errors.js';

/** The files a backup copies. */
export interface BackupSources {
  database: string;
  registry: string;
}

/** What a backup wrote. */
export interface BackupResult {
  database: string;
  registry: string | null;
  bytes: number;
  envelopes: number;
  tickets: number;
}

/** The registry copy's name beside the database copy. */
export function registryCopyOf(out: string): string {
  return `${out}.registry.json`;
}

/** Copies the database (online, consistent) and the registry to `out` and `out.registry.json`; never overwrites. */
export async function backupCollector(src: BackupSources, out: string): Promise<BackupResult> {
  if (!existsSync(src.database)) throw new XpearsError('NOT_FOUND', `no collector database at ${src.database}`);
  for (const f of [out, registryCopyOf(out)]) {
    if (existsSync(f)) throw new XpearsError('INVALID_ARGUMENT', `${f} exists: give a new file, a backup never overwrites`);
  }
  const db = new Database(src.database, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // Every page in one step: one read transaction, so writes by the running collector never restart the copy.
    await db.backup(out, { progress: () => 1 << 30 });
  } finally {
    db.close();
  }
  const copy = new Database(out, { readonly: true });
  let counts: { envelopes: number; tickets: number };
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new XpearsError('STATE_CONFLICT', `the copy failed its check: ${String(check)}`);
    const count = (t: string) => (copy.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(t) ? copy.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number : 0);
    counts = { envelopes: count('envelopes'), tickets: count('tickets') };
  } finally {
    copy.close();
  }
  const registry = existsSync(src.registry) ? registryCopyOf(out) : null;
  if (registry) copyFileSync(src.registry, registry);
  return { database: out, registry, bytes: statSync(out).size, ...counts };
}
