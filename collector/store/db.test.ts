// The collector's SQLite file as openDatabase leaves it: a real file in a temp folder.
import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from './db.js';
import { eventStoreMigrations } from './store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-db-'));
  dirs.push(dir);
  return join(dir, 'collector.db');
}

describe('openDatabase', () => {
  it('creates a new file in WAL mode with 16 KiB pages', () => {
    const db = openDatabase(tempFile());
    migrate(db, eventStoreMigrations);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });

  it('opens a file made with other pages as it is, keeping its page size and its rows', () => {
    const path = tempFile();
    const old = new Database(path);
    old.pragma('page_size = 4096');
    old.exec("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('before')");
    old.close();
    const db = openDatabase(path);
    migrate(db, eventStoreMigrations);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT v FROM kept').pluck().all()).toEqual(['before']);
    db.close();
  });
});
