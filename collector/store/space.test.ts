// The disk space comes back (space.ts, compact.ts): a new file hands freed pages back; a file made before that is
// switched at start-up when small, or named in the log when large; `collector compact` rewrites old-shape events and
// the file, and every event reads the same afterwards.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, migrate, type Db } from './db.js';
import { eventStoreMigrations, SqliteEventRepository } from './store.js';
import { databaseBytes, ensureSpaceComesBack, reclaimFreePages, reclaims } from './space.js';
import { compactStore, newShapeDetail } from './compact.js';
import { parseEnvelope, rawText } from '../parse/index.js';
import { createLogger } from '../../lib/logger.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Envelope } from '../../protocol/envelope.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/eset');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const tempPath = () => { const d = mkdtempSync(join(tmpdir(), 'xpears-space-')); dirs.push(d); return join(d, 'collector.db'); };
const envelopes = (): Envelope[] => readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
  .map((f) => (JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { envelope?: Envelope }).envelope).filter((e): e is Envelope => e !== undefined);

// Stores every ESET fixture `times` times (fresh ids), in the old shape when asked: the whole event in `detail`.
function fill(db: Db, times: number, oldShape: boolean): void {
  db.pragma('synchronous = OFF'); // a disk sync per envelope would only slow the test
  const repo = new SqliteEventRepository(db);
  const setDetail = db.prepare('UPDATE events SET detail = ? WHERE id = ?');
  for (let i = 0; i < times; i++) {
    for (const base of envelopes()) {
      const e = { ...base, id: uuidv7() };
      const events = parseEnvelope(e);
      repo.storeBatch('acme', 'agent-1', [{ envelope: e, events, raw: rawText(e) }], '2026-12-01T00:00:00.000Z');
      if (oldShape) events.forEach((ev, seq) => setDetail.run(JSON.stringify(ev), `${e.id}.${seq}`));
    }
  }
}

// A log that keeps its lines, to read what it said.
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ name: 'test', level: 'info', destination: { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>); } } } as never);
  return { logger, lines };
}

describe('the disk space comes back', () => {
  it('a new file hands the pages a delete freed back to the disk', () => {
    const db = openDatabase(tempPath());
    migrate(db, eventStoreMigrations);
    expect(reclaims(db)).toBe(true);
    fill(db, 20, false);
    const full = databaseBytes(db);
    db.exec('DELETE FROM envelopes');
    expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
    while (reclaimFreePages(db, 8) > 0) { /* a few pages a step, as the prune does */ }
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(databaseBytes(db)).toBeLessThan(full / 2);
    db.close();
  });

  it('a file made before is switched at start-up when small, and left with a line naming the command when large', () => {
    for (const [limit, outcome] of [[1 << 30, 'switched'], [0, 'left']] as const) {
      const path = tempPath();
      const old = new Database(path);
      old.pragma('journal_mode = WAL');
      old.exec('CREATE TABLE before_incremental (x)');
      old.close();
      const db = openDatabase(path);
      migrate(db, eventStoreMigrations);
      expect(reclaims(db)).toBe(false);
      const { logger, lines } = capturedLogger();
      expect(ensureSpaceComesBack(db, logger, limit)).toBe(outcome);
      expect(reclaims(db)).toBe(outcome === 'switched');
      if (outcome === 'left') expect(lines.map((l) => l.command)).toContain('xpears collector compact');
      expect(ensureSpaceComesBack(db, logger, limit)).toBe(outcome === 'switched' ? 'incremental' : 'left');
      db.close();
    }
  });

  it('compact rewrites old-shape events to the new one and the file, and every event reads the same', () => {
    const path = tempPath();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.close();
    const db = openDatabase(path);
    db.exec('VACUUM'); // the file as a version before incremental vacuum left it (auto_vacuum NONE)
    db.pragma('auto_vacuum = NONE');
    db.exec('VACUUM');
    expect(reclaims(db)).toBe(false);
    migrate(db, eventStoreMigrations);
    fill(db, 10, true);
    const repo = new SqliteEventRepository(db);
    const before = repo.listEvents({ limit: 100_000 });
    const oldRows = db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    const r = compactStore(db);
    expect(r.detailsRewritten).toBe(oldRows);
    expect(r.after).toBeLessThan(r.before * 0.9); // the fixtures' payloads are large: the events' part is about a fifth
    expect(reclaims(db)).toBe(true);
    expect(repo.listEvents({ limit: 100_000 })).toStrictEqual(before);
    expect(compactStore(db).detailsRewritten).toBe(0); // run again (interrupted, say): nothing left to rewrite
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps the raw text an old row carried in its detail', () => {
    expect(newShapeDetail('{"vendor":"eset","summary":"s","raw":"the old copy","actionText":"limpiado"}')).toBe('{"actionText":"limpiado","raw":"the old copy"}');
    expect(newShapeDetail('{"actionText":"limpiado"}')).toBeNull();
  });
});
