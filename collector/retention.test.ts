// Retention on a real collector database: what is within its age stays (13 months of events by default), what is
// older leaves in batches, an agent's latest heartbeat stays, closed tickets leave with their history, and the daily
// prune runs once a day however often it is asked.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCollectorDb } from './migrations.js';
import { ScheduleLedger } from './schedule/ledger.js';
import { pruneOnce, retentionConfigSchema, retentionTick, type RetentionDeps } from './retention.js';
import { insertEvents } from '../reports/synthetic.js';
import { insertHeartbeats } from '../reports/synthetic-ops.js';
import { seedGolden } from '../test/reports/helpers.js';
import { silentLogger } from '../lib/logger.js';
import type { Db } from './store/db.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function seeded(): Db {
  const d = mkdtempSync(join(tmpdir(), 'xpears-retention-'));
  dirs.push(d);
  const db = openCollectorDb(join(d, 'collector.db'));
  seedGolden(db); // October 2026: events, envelopes, heartbeats, advisory deliveries
  insertEvents(db, [{ customerId: 'nandu', occurredAt: '2027-12-01T12:00:00Z', eventType: 'threat-detected', severity: 'high', computerName: 'PC-NEW' }]);
  return db;
}
const counts = (db: Db) => Object.fromEntries(['envelopes', 'events', 'heartbeats', 'agent_last_heartbeat', 'advisory_deliveries'].map((t) =>
  [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]));
const deps = (db: Db, now: string, extra: Record<string, unknown> = {}): RetentionDeps => ({
  db, config: retentionConfigSchema.parse(extra), clock: () => new Date(now), logger: silentLogger(), pruneNotifications: () => 0,
});

describe('retention', () => {
  it('keeps 13 months by default: a year later nothing of October has left', async () => {
    const db = seeded();
    const october = () => db.prepare("SELECT COUNT(*) FROM events WHERE occurred_at >= '2026-10-01' AND occurred_at < '2026-11-01'").pluck().get() as number;
    const before = october();
    expect(before).toBeGreaterThan(5);
    // 2 November 2027: the October 2027 report compares with October 2026, which is all still there.
    await pruneOnce(deps(db, '2027-11-02T12:00:00Z'));
    expect(october()).toBe(before);
    expect(counts(db).heartbeats).toBe(0); // two months of heartbeats by default
    db.close();
  });

  it('removes what is past its age, in batches, and keeps each agent\'s latest heartbeat and what is recent', async () => {
    const db = seeded();
    const before = counts(db);
    expect(before.heartbeats).toBeGreaterThan(1000);
    const r = await pruneOnce(deps(db, '2028-01-15T12:00:00Z', { batchRows: 50 }));
    expect(r.events + r.envelopes).toBeGreaterThan(10);
    expect(r.heartbeats).toBe(before.heartbeats);
    expect(counts(db)).toMatchObject({ events: 1, envelopes: 1, heartbeats: 0, agent_last_heartbeat: before.agent_last_heartbeat, advisory_deliveries: 0 });
    expect(db.prepare('SELECT computer_name FROM events').pluck().all()).toEqual(['PC-NEW']);
    db.close();
  });

  it('lets other work run between its batches: ingest is held for one batch at most, never for the whole prune', async () => {
    const db = seeded();
    let pruning = true;
    let ingestedDuringPrune = 0;
    const ingest = async () => {
      for (let i = 0; pruning; i++) {
        insertEvents(db, [{ customerId: 'nandu', occurredAt: '2028-01-10T12:00:00Z', eventType: 'threat-detected', severity: 'low', computerName: `LIVE-${i}` }]);
        ingestedDuringPrune += 1;
        await new Promise((r) => setImmediate(r));
      }
    };
    const running = ingest();
    const r = await pruneOnce(deps(db, '2028-01-15T12:00:00Z', { batchRows: 10 }));
    pruning = false;
    await running;
    expect(r.heartbeats).toBeGreaterThan(1000); // over a hundred batches
    expect(ingestedDuringPrune).toBeGreaterThan(50);
    expect(db.prepare("SELECT COUNT(*) FROM events WHERE computer_name LIKE 'LIVE-%'").pluck().get()).toBe(ingestedDuringPrune);
    db.close();
  });

  it('the file shrinks: what is pruned goes back to the disk, and what comes next takes no more than it had', async () => {
    const db = seeded();
    const pages = () => db.pragma('page_count', { simple: true }) as number;
    const full = pages();
    const r = await pruneOnce(deps(db, '2028-01-15T12:00:00Z'));
    expect(r.heartbeats).toBeGreaterThan(1000);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0); // every freed page handed back (store/space.ts)
    expect(pages()).toBeLessThan(full);
    // A month later the same volume of heartbeats again: the file grows back to what it was, not past it.
    insertHeartbeats(db, 'ag-nandu', 'nandu', '2028-01-01T03:00:00.000Z', '2028-01-01T21:00:00.000Z');
    insertHeartbeats(db, 'ag-nandu', 'nandu', '2028-01-01T03:00:30.000Z', '2028-01-01T21:00:30.000Z');
    expect(pages()).toBeLessThanOrEqual(full);
    db.close();
  });

  it('closed tickets leave with their history; open ones stay', async () => {
    const db = seeded();
    const at = '2026-01-01T00:00:00Z';
    db.exec(`INSERT INTO tickets (id, number, customer_id, case_kind, rule, dedup_key, window_minutes, title, description, language,
        opened_at, response_due_at, updated_at, first_seen_at, last_seen_at, state, closed_at)
      SELECT 't-' || v, 'XR-' || v, 'nandu', 'severity-3', 'r', 'k-' || v, 60, 'T', 'D', 'es', '${at}', '${at}', '${at}', '${at}', '${at}', s, c
      FROM (SELECT 1 AS v, 'closed' AS s, '2026-01-05T00:00:00Z' AS c UNION ALL SELECT 2, 'open', NULL)`);
    db.exec("INSERT INTO ticket_events (ticket_id, event_id, linked_at) VALUES ('t-1', 'e', '2026-01-01'), ('t-2', 'e', '2026-01-01')");
    const r = await pruneOnce(deps(db, '2027-12-02T12:00:00Z', { closedTicketsDays: 30 }));
    expect(r.tickets).toBe(1);
    expect(db.prepare("SELECT id FROM tickets WHERE id LIKE 't-%'").pluck().all()).toEqual(['t-2']);
    expect(db.prepare("SELECT ticket_id FROM ticket_events WHERE ticket_id LIKE 't-%'").pluck().all()).toEqual(['t-2']);
    db.close();
  });

  it('the daily prune runs once a day, recorded in the schedule ledger', async () => {
    const db = seeded();
    const ledger = new ScheduleLedger(db);
    let notificationPrunes = 0;
    const d = { ...deps(db, '2027-12-02T12:00:00Z'), ledger, pruneNotifications: () => { notificationPrunes += 1; return 0; } };
    expect(await retentionTick(d)).not.toBeNull();
    expect(await retentionTick(d)).toBeNull();
    expect(notificationPrunes).toBe(1);
    expect(ledger.periods('retention.prune')).toEqual(['2027-12-02']);
    db.close();
  });

  it('refuses envelopes kept for less than their events', () => {
    expect(() => retentionConfigSchema.parse({ envelopesDays: 30, eventsDays: 400 })).toThrow(/at least eventsDays/);
  });
});
