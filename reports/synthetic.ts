// Synthetic events written straight into a collector store: for the example report, the tests and the benchmark.
// Deterministic (a seeded generator), never used by the running collector.
import { DateTime } from 'luxon';
import type { ActionTaken, EventType, Severity } from '../protocol/event.js';
import type { Db } from '../collector/store/db.js';

/** One event to seed; everything but type and time has a default. */
export interface SeedEvent {
  customerId: string;
  eventType: EventType;
  occurredAt: string;
  severity?: Severity;
  computerName?: string | null;
  threatName?: string | null;
  action?: ActionTaken | null;
  handled?: boolean | null;
  count?: number;
  computersAffected?: number | null;
}

let seq = 0;

/** Inserts events (one envelope each) in one transaction; returns how many. */
export function insertEvents(db: Db, events: SeedEvent[]): number {
  const env = db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at,
    source_address, payload) VALUES (?, ?, 'agent-1', 'snmp', ?, ?, '127.0.0.1', '')`);
  const ev = db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, event_type, severity,
    occurred_at, received_at, computer_name, threat_name, action, handled, count, computers_affected, summary, format,
    detail) VALUES (@id, @id, 0, @customerId, 'agent-1', 'eset', @eventType, @severity, @occurredAt, @occurredAt,
    @computerName, @threatName, @action, @handled, @count, @computersAffected, @summary, 'synthetic', '{}')`);
  db.transaction(() => {
    for (const e of events) {
      const id = `syn-${process.pid}-${++seq}`;
      const at = new Date(e.occurredAt).toISOString();
      env.run(id, e.customerId, at, at);
      ev.run({ id, customerId: e.customerId, eventType: e.eventType, severity: e.severity ?? 'medium', occurredAt: at,
        computerName: e.computerName ?? null, threatName: e.threatName ?? null, action: e.action ?? null,
        handled: e.handled === undefined || e.handled === null ? null : e.handled ? 1 : 0, count: e.count ?? 1,
        computersAffected: e.computersAffected ?? null, summary: `${e.eventType} (synthetic)` });
    }
  })();
  return events.length;
}

/** A small seeded generator (mulberry32): the same seed gives the same month. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THREATS = ['Win32/Emotet.CD', 'JS/Adware.Agent', 'HTML/Phishing.Gen', 'Win32/Qbot.ADB', 'MSIL/Kryptik.AGQN',
  'Trojan.Gen.2', 'W97M/Downloader', 'Win64/CoinMiner.ND', 'PUA.InstallCore', 'Ransom.Lockbit!g1'];
const ACTIONS: ActionTaken[] = ['cleaned', 'cleaned', 'cleaned', 'quarantined', 'quarantined', 'quarantined', 'deleted',
  'blocked', 'blocked', 'cleaned', 'quarantined', 'deleted', 'cleaned', 'quarantined', 'failed', 'left-alone'];
const NOISE: { type: EventType; severity: Severity }[] = [
  { type: 'web-filtered', severity: 'low' }, { type: 'firewall-attack', severity: 'high' },
  { type: 'hips', severity: 'medium' }, { type: 'blocked-file', severity: 'medium' },
  { type: 'definitions-outdated', severity: 'medium' }, { type: 'client-not-connected', severity: 'low' },
  { type: 'authentication-failure', severity: 'high' }, { type: 'server-health', severity: 'info' },
  { type: 'audit', severity: 'info' },
];

/** A plausible month of events for one customer, in time order: weekday-heavy, a few noisy computers, one outbreak. */
export function syntheticMonth(opts: { customerId: string; month: string; zone: string; events: number; seed: number;
  computerPrefix?: string; computers?: number }): SeedEvent[] {
  const rnd = seededRandom(opts.seed);
  const start = DateTime.fromISO(`${opts.month}-01`, { zone: opts.zone });
  const days = start.daysInMonth ?? 30;
  const prefix = opts.computerPrefix ?? 'PC';
  const pcs = Array.from({ length: opts.computers ?? 40 }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  // Local day starts computed once with luxon; per event, plain millisecond arithmetic (200,000 events stay fast).
  const dayStart = Array.from({ length: days }, (_, d) => start.plus({ days: d }));
  const out: SeedEvent[] = [];
  for (let i = 0; i < opts.events; i++) {
    let day = Math.floor(rnd() * days);
    if ((dayStart[day]?.weekday ?? 1) > 5 && rnd() < 0.7) day = Math.max(0, day - 2);
    const ms = (dayStart[day]?.toMillis() ?? 0) + Math.floor((8 + rnd() * 11) * 60) * 60_000;
    const occurredAt = new Date(ms).toISOString();
    // Some events land on three computers, so "repeated infection" has something to find.
    const computer = rnd() < 0.15 ? pick(pcs.slice(0, 3)) : pick(pcs);
    if (rnd() < 0.3) {
      const action = pick(ACTIONS);
      const handled = action !== 'failed' && action !== 'left-alone';
      const threat = pick(THREATS);
      out.push({ customerId: opts.customerId, occurredAt, computerName: computer,
        eventType: threat.startsWith('Ransom') ? 'ransomware' : handled ? 'threat-detected' : 'threat-not-cleaned',
        severity: threat.startsWith('Ransom') ? 'critical' : handled ? 'medium' : 'high', threatName: threat,
        action, handled });
    } else {
      const noise = pick(NOISE);
      out.push({ customerId: opts.customerId, occurredAt, eventType: noise.type,
        severity: noise.severity, computerName: computer });
    }
  }
  const outbreakAt = start.plus({ days: Math.min(days - 1, 17), hours: 10, minutes: 42 });
  out.push({ customerId: opts.customerId, occurredAt: outbreakAt.toUTC().toISO() ?? '', eventType: 'outbreak',
    severity: 'critical', threatName: THREATS[0] ?? null, count: 12, computersAffected: 9 });
  // In time order, as a collector ingests them (rows then lie in the table roughly in occurred_at order).
  return out.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
}
