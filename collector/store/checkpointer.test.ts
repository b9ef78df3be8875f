// The checkpointer copies the WAL into the database file from another thread; the writer no longer does it.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './db.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { silentLogger } from '../../lib/logger.js';
import { reached } from '../../test/helpers/eventually.js';

let dir: string;
let db: Db;
let cp: Checkpointer | undefined;
afterEach(async () => { await cp?.stop(); db.close(); rmSync(dir, { recursive: true, force: true }); });

function writeMany(rows: number): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i += 500) db.transaction(() => { for (let j = 0; j < 500; j++) insert.run('x'.repeat(1000)); })();
}

const until = (check: () => boolean, ms = 10_000): Promise<void> => reached(check, ms, 25);

describe('startCheckpointer', () => {
  it('turns off the writer\'s automatic checkpoint and copies the WAL into the database file from its thread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-ckpt-'));
    db = openDatabase(join(dir, 'c.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    cp = startCheckpointer(db, silentLogger(), 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(join(dir, 'c.db')).size;
    writeMany(20_000); // ~20 MB, 1,300 frames of 16 KiB: past the 1,000 pages at which the writer would have checkpointed itself
    await until(() => cp!.framesCheckpointed() > 1_000);
    await until(() => statSync(join(dir, 'c.db')).size > before + 4 * 1024 * 1024);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(20_000);
    await cp.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    cp = undefined;
  });

  it('keeps the WAL bounded under a writer that never pauses, by making it start over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-ckpt-'));
    db = openDatabase(join(dir, 'c.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    cp = startCheckpointer(db, silentLogger(), 20, 2 * 1024 * 1024);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    let largestWal = 0;
    // 60 MB of rows in small commits, the writer yielding only a turn of the loop between them (as the collector does).
    for (let i = 0; i < 3_000; i++) {
      db.transaction(() => { for (let j = 0; j < 20; j++) insert.run('x'.repeat(1000)); })();
      cp.catchUp(); // as the collector's group commit does after each commit
      if (i % 100 === 0) largestWal = Math.max(largestWal, statSync(join(dir, 'c.db-wal')).size);
      await new Promise((r) => setImmediate(r));
    }
    expect(cp.restarts()).toBeGreaterThan(0);
    // Without the catch-up the WAL only grows: 190 MB by the end of this loop (3,000 commits of 16 KiB pages).
    expect(largestWal).toBeLessThan(64 * 1024 * 1024);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(60_000);
  });
});
