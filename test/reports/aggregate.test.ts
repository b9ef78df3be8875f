// Golden figures: a month seeded by hand whose every aggregate was computed by hand and is typed here literally.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Db } from '../../collector/store/db.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../../reports/aggregate.js';
import { recommendationsFor } from '../../reports/insights.js';
import { monthWindow } from '../../reports/month.js';
import { fixedRegistry } from '../../reports/example.js';
import { AGENTS, GOLDEN, OTHER, openStore, seedGolden, tempDir } from './helpers.js';

const NOW = new Date('2026-11-02T12:00:00.000Z');
let dir: string;
let db: Db;

beforeEach(() => {
  dir = tempDir();
  db = openStore(dir);
  seedGolden(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const aggregate = (customerId = 'nandu', month = '2026-10') => aggregateMonthlyReport({
  source: createSqliteReportSource(db), registry: fixedRegistry([GOLDEN, OTHER], AGENTS), now: NOW,
}, customerId, month);

describe('month bounds in the customer zone', () => {
  it('October 2026 in Buenos Aires runs from 03:00Z on the 1st to 03:00Z on 1 November', () => {
    const w = monthWindow('nandu', '2026-10', 'America/Argentina/Buenos_Aires');
    expect(w.startUtc).toBe('2026-10-01T03:00:00.000Z');
    expect(w.endUtc).toBe('2026-11-01T03:00:00.000Z');
    expect(w.dayStartsUtc).toHaveLength(32);
    expect(w.dayStartsUtc[30]).toBe('2026-10-31T03:00:00.000Z');
  });

  it('a zone with DST gets a 25-hour day when summer time ends (Madrid, Sunday 25 October 2026)', () => {
    const w = monthWindow('x', '2026-10', 'Europe/Madrid');
    expect(w.dayStartsUtc[24]).toBe('2026-10-24T22:00:00.000Z');
    expect(w.dayStartsUtc[25]).toBe('2026-10-25T23:00:00.000Z');
  });

  it('rejects a malformed month', () => {
    expect(() => monthWindow('x', '2026-13', 'UTC')).toThrow(/YYYY-MM/);
  });
});

describe('golden month (October 2026, nandu)', () => {
  it('totals, types and severities', () => {
    const m = aggregate().current;
    expect(m.notifications).toBe(10);
    expect(m.occurrences).toBe(17);
    expect(m.threats).toBe(5);
    expect(m.unhandledThreats).toBe(2);
    expect(m.computers).toBe(4);
    expect(m.byType).toEqual([
      { key: 'outbreak', count: 5 }, { key: 'threat-detected', count: 3 }, { key: 'web-filtered', count: 3 },
      { key: 'definitions-outdated', count: 2 }, { key: 'threat-not-cleaned', count: 2 },
      { key: 'client-not-connected', count: 1 }, { key: 'hips', count: 1 },
    ]);
    expect(m.bySeverity).toEqual([
      { key: 'critical', count: 5 }, { key: 'low', count: 5 }, { key: 'high', count: 3 }, { key: 'medium', count: 3 },
      { key: 'info', count: 1 },
    ]);
  });

  it('per local day: 23:00 AR on the 1st is day 1, 23:30 and 23:59 AR on the 31st are day 31', () => {
    const perDay = aggregate().current.perDay;
    expect(perDay).toHaveLength(31);
    const expected = Array<number>(31).fill(0);
    expected[0] = 4; expected[9] = 5; expected[14] = 3; expected[19] = 1; expected[20] = 1; expected[21] = 1;
    expected[30] = 2;
    expect(perDay).toEqual(expected);
  });

  it('actions, top threats, top computers, outbreaks and computer issues', () => {
    const m = aggregate().current;
    expect(m.actions).toEqual([{ key: 'failed', count: 2 }, { key: 'blocked', count: 1 }, { key: 'cleaned', count: 1 },
      { key: 'quarantined', count: 1 }]);
    expect(m.topThreats).toEqual([
      { name: 'Win32/Alpha', occurrences: 3, computers: 1, unhandled: 0, firstSeen: '2026-10-01T03:00:00.000Z',
        lastSeen: '2026-11-01T02:30:00.000Z' },
      { name: 'Win32/Beta', occurrences: 2, computers: 1, unhandled: 2, firstSeen: '2026-10-15T12:00:00.000Z',
        lastSeen: '2026-10-15T12:00:00.000Z' },
    ]);
    expect(m.topComputers).toEqual([
      { name: 'PC-A', occurrences: 3, threats: 1, unhandled: 0, days: 3 },
      { name: 'PC-B', occurrences: 2, threats: 1, unhandled: 2, days: 1 },
    ]);
    expect(m.outbreaks).toEqual([{ occurredAt: '2026-10-10T15:00:00.000Z', threatName: 'Win32/Alpha',
      computersAffected: 4, occurrences: 5 }]);
    expect(m.outdatedDefinitions).toEqual([{ name: 'PC-C', notifications: 2, lastSeen: '2026-10-21T10:00:00.000Z' }]);
    expect(m.notConnected).toEqual([{ name: 'PC-D', notifications: 1, lastSeen: '2026-10-22T10:00:00.000Z' }]);
  });

  it('tickets: by case kind, met and missed, median and average first response', () => {
    const t = aggregate().current.tickets;
    expect(t.available).toBe(true);
    expect([t.opened, t.met, t.missed]).toEqual([4, 2, 1]);
    expect(t.byKind).toEqual([
      { kind: 'threat-incident', opened: 1, met: 1, missed: 0, pending: 0 },
      { kind: 'severity-2', opened: 1, met: 0, missed: 1, pending: 0 },
      { kind: 'severity-3', opened: 1, met: 1, missed: 0, pending: 0 },
      { kind: 'severity-4', opened: 1, met: 0, missed: 0, pending: 1 },
    ]);
    // 20, 45 and 240 minutes.
    expect(t.medianFirstResponseMinutes).toBe(45);
    expect(t.averageFirstResponseMinutes).toBe(101.7);
    expect(t.list.map((r) => r.ref)).toEqual(['XR-2026-000104', 'XR-2026-000103', 'XR-2026-000102', 'XR-2026-000101']);
  });

  it('advisories: one per advisory however many contacts, only this customer and month', () => {
    const a = aggregate().current.advisories;
    expect(a.available).toBe(true);
    // Alfa and Crítico went at once, Beta in a digest; the one waiting for its digest is not relayed yet; November's
    // and Zeta's are not counted. Alfa, in two deliveries, counts once, at its first.
    expect(a.relayed).toBe(3);
    expect(a.list.map((r) => r.title)).toEqual(['Aviso Beta', 'Aviso Crítico', 'Aviso Alfa']);
    expect(a.list.find((r) => r.title === 'Aviso Alfa')?.relayedAt).toBe('2026-10-08T12:00:00.000Z');
  });

  it('availability: distinct minutes with a heartbeat over the minutes the agent was due', () => {
    const av = aggregate().current.availability;
    expect(av.agents).toEqual([{ agentId: 'ag-nandu', name: 'srv-nandu-01', slots: 1440, slotsWithHeartbeat: 1080,
      ratio: 0.75 }]);
    expect(av.ratio).toBe(0.75);
  });

  it('previous month for the trend, maintenance window and recommendations', () => {
    const data = aggregate();
    expect(data.previous.month.key).toBe('2026-09');
    expect([data.previous.notifications, data.previous.occurrences, data.previous.threats]).toEqual([2, 2, 1]);
    expect(data.previous.perDay[29]).toBe(1);
    expect(data.previous.tickets.opened).toBe(1);
    expect(data.maintenance).toEqual([
      { vendor: 'eset', product: 'ESET Mail Security', expires: '2026-10-20', daysLeft: -11 },
      { vendor: 'eset', product: 'ESET PROTECT Entry', expires: '2026-12-15', daysLeft: 45 },
    ]);
    expect(recommendationsFor(data).map((r) => r.code)).toEqual(['failed-actions', 'repeated-infection', 'outbreak',
      'outdated-definitions', 'not-connected', 'maintenance-expired', 'maintenance-expiring', 'response-missed',
      'low-availability']);
    expect(data.customer).toEqual({ id: 'nandu', name: 'Distribuidora Ñandú S.R.L.', plan: 'managed',
      planName: 'Managed Services', timezone: 'America/Argentina/Buenos_Aires' });
  });

  it('the other customer sees only its own figures', () => {
    const m = aggregate('zeta').current;
    expect([m.notifications, m.occurrences, m.threats, m.unhandledThreats]).toEqual([2, 41, 40, 40]);
    expect(m.topThreats.map((t) => t.name)).toEqual(['Trojan.Zetaworm']);
    expect(m.tickets.opened).toBe(1);
    expect(m.advisories.relayed).toBe(1);
  });
});

describe('guarded tables', () => {
  it('a store without ticket, advisory or heartbeat tables reports no data instead of failing', () => {
    const bare = openStore(tempDir(), { operations: false });
    const data = aggregateMonthlyReport({ source: createSqliteReportSource(bare),
      registry: fixedRegistry([GOLDEN], AGENTS), now: NOW }, 'nandu', '2026-10');
    bare.close();
    expect(data.current.tickets).toMatchObject({ available: false, opened: 0, list: [] });
    expect(data.current.advisories).toEqual({ available: false, relayed: 0, list: [] });
    expect(data.current.availability).toEqual({ available: false, ratio: null, agents: [] });
    expect(data.current.notifications).toBe(0);
  });

  it('an unknown customer is an error, not an empty report', () => {
    expect(() => aggregate('nobody')).toThrow(/no customer/);
  });
});
