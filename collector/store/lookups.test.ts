// The store's lookups (lookup-migrations.ts): each agent's latest heartbeat in its own table, kept by a trigger and
// filled from the heartbeats stored before the migration; event listings without a customer served by an index.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, type Db } from './db.js';
import { eventStoreMigrations, SqliteEventRepository } from './store.js';
import { lookupMigrations } from './lookup-migrations.js';
import type { Heartbeat } from '../../protocol/envelope.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function freshDb(migrations = eventStoreMigrations): Db {
  const d = mkdtempSync(join(tmpdir(), 'xpears-lookups-'));
  dirs.push(d);
  const db = openDatabase(join(d, 'collector.db'));
  migrate(db, migrations);
  return db;
}
const beat = (depth: number) => ({ protocol: 1, agentVersion: '0.1.0', sentAt: '2026-12-01T00:00:00Z', hostname: 'h', receivers: [],
  outbox: { depth, oldestAgeSeconds: null, deadLettered: 0, refusing: false } }) as unknown as Heartbeat;
const plan = (db: Db, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('latest heartbeat per agent', () => {
  it('is the newest one recorded, whatever the order they arrive in, read from its own table', () => {
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    repo.recordHeartbeat('a1', 'acme', beat(1), '2026-12-01T10:00:00.000Z');
    repo.recordHeartbeat('a1', 'acme', beat(2), '2026-12-01T10:01:00.000Z');
    repo.recordHeartbeat('a1', 'acme', beat(9), '2026-12-01T09:00:00.000Z'); // late, older: does not replace
    repo.recordHeartbeat('b1', 'globex', beat(5), '2026-12-01T10:00:30.000Z');
    const last = repo.lastHeartbeats();
    expect([...last].map(([id, h]) => [id, h.receivedAt, h.heartbeat.outbox.depth])).toEqual([
      ['a1', '2026-12-01T10:01:00.000Z', 2], ['b1', '2026-12-01T10:00:30.000Z', 5]]);
    expect(plan(db, 'SELECT agent_id, received_at, body FROM agent_last_heartbeat')).not.toMatch(/heartbeats/);
    // Deleting old heartbeats (retention) leaves the latest in place.
    db.exec('DELETE FROM heartbeats');
    expect(repo.lastHeartbeats().size).toBe(2);
    db.close();
  });

  it('is filled by the migration from the heartbeats stored before it', () => {
    const before = eventStoreMigrations.filter((m) => !lookupMigrations.includes(m));
    const db = freshDb(before);
    const insert = db.prepare('INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES (?, ?, ?, ?)');
    insert.run('a1', 'acme', '2026-12-01T10:00:00.000Z', JSON.stringify(beat(1)));
    insert.run('a1', 'acme', '2026-12-01T10:05:00.000Z', JSON.stringify(beat(3)));
    migrate(db, eventStoreMigrations);
    expect(new SqliteEventRepository(db).lastHeartbeats().get('a1')?.heartbeat.outbox.depth).toBe(3);
    db.close();
  });
});

describe('event listing without a customer', () => {
  it('walks the occurred_at index instead of sorting every event', () => {
    const db = freshDb();
    const sql = `SELECT ev.id FROM events ev JOIN envelopes en ON en.customer_id = ev.customer_id AND en.id = ev.envelope_id
      ORDER BY ev.occurred_at DESC, ev.id DESC LIMIT 50`;
    const p = plan(db, sql);
    expect(p).toMatch(/events_occurred/);
    expect(p).not.toMatch(/TEMP B-TREE/);
    expect(plan(db, sql.replace('ORDER BY', "WHERE ev.occurred_at >= '2026-11-01' ORDER BY"))).toMatch(/events_occurred/);
    db.close();
  });
});
