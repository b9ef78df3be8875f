// The heartbeat roll-up on a real collector database: a month's availability read from the raw heartbeats and read
// again after they are rolled up into heartbeat_days is the same, in zones whose month starts on the hour, on the
// half hour and at UTC midnight; also when the roll-up was cut short, and with a heartbeat stored late for a day
// already rolled up. The rolled-up row keeps the count, first and last, the last version and the deepest outbox.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCollectorDb } from '../migrations.js';
import { pruneOnce, retentionConfigSchema } from '../retention.js';
import { rollUpHeartbeats } from './heartbeat-rollup.js';
import { insertHeartbeats } from '../../reports/synthetic-ops.js';
import { seededRandom } from '../../reports/synthetic.js';
import { SqliteOperationsQueries } from '../../reports/sqlite-operations.js';
import { availability } from '../../reports/aggregate.js';
import { monthWindow } from '../../reports/month.js';
import { silentLogger } from '../../lib/logger.js';
import type { Db } from './db.js';

const dirs: string[] = [];

const ZONES = ['America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'UTC'];
const MONTHS = ['2026-09', '2026-10', '2026-11'];

// Seeded once into a file; each test works on its own copy.
let template = '';
beforeAll(() => {
  const d = mkdtempSync(join(tmpdir(), 'xpears-rollup-'));
  dirs.push(d);
  template = join(d, 'template.db');
  const db = seed(openCollectorDb(template));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
});
afterAll(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function seeded(): Db {
  const d = mkdtempSync(join(tmpdir(), 'xpears-rollup-'));
  dirs.push(d);
  copyFileSync(template, join(d, 'collector.db'));
  return openCollectorDb(join(d, 'collector.db'));
}

function seed(db: Db): Db {
  const rnd = seededRandom(20);
  // Outages of random length, one every few hours; a second heartbeat in some minutes; a third agent of another customer.
  const outages = () => {
    let downUntil = -1;
    return (i: number) => {
      if (i < downUntil) return true;
      if (rnd() < 0.0005) { downUntil = i + 1 + Math.floor(rnd() * 300); return true; }
      return false;
    };
  };
  insertHeartbeats(db, 'ag-1', 'nandu', '2026-09-28T00:00:00.000Z', '2026-11-03T11:17:00.000Z', outages());
  insertHeartbeats(db, 'ag-1', 'nandu', '2026-10-10T00:00:31.000Z', '2026-10-12T00:00:31.000Z', outages());
  insertHeartbeats(db, 'ag-2', 'nandu', '2026-10-15T17:43:00.000Z', '2026-11-02T04:00:00.000Z', (i) => i % 97 === 5);
  insertHeartbeats(db, 'ag-z', 'zeta', '2026-09-30T00:00:00.000Z', '2026-11-01T00:00:00.000Z', outages());
  return db;
}

// Every month of every zone, per customer: the minutes per agent and the availability the report computes.
function figures(db: Db): unknown {
  const q = new SqliteOperationsQueries(db);
  const now = new Date('2026-12-15T00:00:00Z');
  return ZONES.flatMap((zone) => MONTHS.flatMap((month) => ['nandu', 'zeta'].map((customer) => {
    const w = monthWindow(customer, month, zone);
    const minutes = q.heartbeatMinutes(w);
    return { zone, month, customer, minutes, availability: availability(minutes, w, [], now) };
  })));
}

const rawRows = (db: Db) => db.prepare('SELECT COUNT(*) FROM heartbeats').pluck().get() as number;
const dayRows = (db: Db) => db.prepare('SELECT COUNT(*) FROM heartbeat_days').pluck().get() as number;
const prune = (db: Db, now: string, extra: Record<string, unknown> = {}) => pruneOnce({ db, config: retentionConfigSchema.parse(extra),
  clock: () => new Date(now), logger: silentLogger(), pruneNotifications: () => 0 });

describe('heartbeat roll-up', () => {
  it('a month\'s availability from the rolled-up days equals the one from the raw heartbeats, in any zone', async () => {
    const db = seeded();
    const before = figures(db);
    const raw = rawRows(db);
    expect(raw).toBeGreaterThan(100_000);
    const agentDays = db.prepare('SELECT COUNT(DISTINCT agent_id || substr(received_at, 1, 10)) FROM heartbeats').pluck().get();
    expect(agentDays).toBe(37 + 19 + 32);
    expect(JSON.stringify(before)).toContain('"ratio":0.'); // outages: not all 100 %
    // 20 November: heartbeats before 13 November (7 days) are rolled up; all of them here.
    const r = await prune(db, '2026-11-20T05:00:00.000Z');
    expect(r.heartbeats).toBe(raw);
    expect(rawRows(db)).toBe(0);
    expect(dayRows(db)).toBe(agentDays);
    expect(figures(db)).toEqual(before);
    // Each agent's latest heartbeat is still where the agents listing reads it.
    expect(db.prepare('SELECT COUNT(*) FROM agent_last_heartbeat').pluck().get()).toBe(3);
    db.close();
  });

  it('gives the same answer half-way (a roll-up cut short) and rolls up the rest on the next run', async () => {
    const db = seeded();
    const before = figures(db);
    let chunks = 0;
    const removed = await rollUpHeartbeats(db, '2026-11-13T00:00:00.000Z', 777, () => ++chunks > 60);
    expect(removed).toBeGreaterThan(0);
    expect(rawRows(db)).toBeGreaterThan(0);
    expect(figures(db)).toEqual(before);
    await rollUpHeartbeats(db, '2026-11-13T00:00:00.000Z');
    expect(rawRows(db)).toBe(0);
    expect(figures(db)).toEqual(before);
    db.close();
  });

  it('rolls up only what is older than heartbeatsRawDays, whole UTC days; the recent days stay raw', async () => {
    const db = seeded();
    const before = figures(db);
    await prune(db, '2026-10-20T12:00:00.000Z', { heartbeatsRawDays: 3 });
    expect(db.prepare('SELECT MIN(received_at) FROM heartbeats').pluck().get()).toMatch(/^2026-10-17T00:0/);
    expect(db.prepare('SELECT MAX(day) FROM heartbeat_days').pluck().get()).toBe('2026-10-16');
    expect(figures(db)).toEqual(before);
    db.close();
  });

  it('counts a heartbeat stored late for a rolled-up day at once, merges it on the next run, and never counts twice', async () => {
    const db = seeded();
    await rollUpHeartbeats(db, '2026-11-13T00:00:00.000Z');
    const w = monthWindow('nandu', '2026-10', 'UTC');
    const q = new SqliteOperationsQueries(db);
    const at = (m: string) => db.prepare("INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES ('ag-2', 'nandu', ?, '{}')").run(m);
    const minutesOf = () => q.heartbeatMinutes(w)?.find((r) => r.agentId === 'ag-2')?.minutes;
    const start = minutesOf()!;
    at('2026-10-15T17:00:10.000Z'); // before ag-2's first: a new minute
    at('2026-10-20T10:00:59.000Z'); // a minute that may or may not hold one already
    const mayBeNew = db.prepare("SELECT mask FROM heartbeat_days WHERE agent_id = 'ag-2' AND day = '2026-10-20'").pluck().get() as Buffer;
    const m = 10 * 60;
    const extra = 1 + (((mayBeNew[m >> 3]! >> (m & 7)) & 1) === 1 ? 0 : 1);
    expect(minutesOf()).toBe(start + extra);
    await rollUpHeartbeats(db, '2026-11-13T00:00:00.000Z');
    expect(rawRows(db)).toBe(0);
    expect(minutesOf()).toBe(start + extra);
    const rows = db.prepare('SELECT * FROM heartbeat_days ORDER BY customer_id, day, agent_id').all();
    await rollUpHeartbeats(db, '2026-11-13T00:00:00.000Z');
    expect(db.prepare('SELECT * FROM heartbeat_days ORDER BY customer_id, day, agent_id').all()).toEqual(rows);
    db.close();
  });

  it('keeps per agent-day the count, first and last, the last version and the deepest outbox', async () => {
    const db = seeded();
    db.prepare('DELETE FROM heartbeats').run();
    const body = (version: string, depth: number) => JSON.stringify({ protocol: 1, agentVersion: version, sentAt: '2026-10-01T00:00:00Z',
      hostname: 'srv', outbox: { depth, oldestAgeSeconds: null, deadLettered: 0, refusing: false }, receivers: [] });
    const put = db.prepare("INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES ('ag-1', 'nandu', ?, ?)");
    put.run('2026-10-01T00:00:05.000Z', body('1.0.0', 3));
    put.run('2026-10-01T00:00:45.000Z', body('1.0.0', 40));
    put.run('2026-10-01T23:59:59.999Z', body('1.1.0', 0));
    put.run('2026-10-02T08:00:00.000Z', 'not json');
    await rollUpHeartbeats(db, '2026-11-01T00:00:00.000Z');
    expect(db.prepare("SELECT day, minutes, beats, first_at, last_at, agent_version, max_outbox_depth FROM heartbeat_days WHERE agent_id = 'ag-1' ORDER BY day").all()).toEqual([
      { day: '2026-10-01', minutes: 2, beats: 3, first_at: '2026-10-01T00:00:05.000Z', last_at: '2026-10-01T23:59:59.999Z', agent_version: '1.1.0', max_outbox_depth: 40 },
      { day: '2026-10-02', minutes: 1, beats: 1, first_at: '2026-10-02T08:00:00.000Z', last_at: '2026-10-02T08:00:00.000Z', agent_version: null, max_outbox_depth: null },
    ]);
    db.close();
  });

  it('rolled-up days leave after heartbeatsDays; heartbeatsRawDays past heartbeatsDays is refused', async () => {
    const db = seeded();
    await prune(db, '2026-11-20T00:00:00.000Z');
    await prune(db, '2026-12-20T00:00:00.000Z', { heartbeatsDays: 60 });
    expect(db.prepare('SELECT MIN(day) FROM heartbeat_days').pluck().get()).toBe('2026-10-21');
    expect(() => retentionConfigSchema.parse({ heartbeatsDays: 30, heartbeatsRawDays: 31 })).toThrow(/at most heartbeatsDays/);
    db.close();
  });
});
