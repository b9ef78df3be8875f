// Pure parts of the report, by table: folding the breakdown, availability windows, maintenance window, the
// recommendation rules and the trend.
import { describe, expect, it } from 'vitest';
import { availability, expiringMaintenance, foldBreakdown, issues, topComputers } from '../../reports/aggregate.js';
import { change, recommendationsFor } from '../../reports/insights.js';
import type { MonthlyReportData } from '../../reports/model.js';
import { monthWindow } from '../../reports/month.js';
import type { ComputerSummary } from '../../reports/sqlite-events.js';
import { GOLDEN } from './helpers.js';

const W = monthWindow('nandu', '2026-10', 'America/Argentina/Buenos_Aires');

describe('foldBreakdown', () => {
  it('adds rows into totals, per day and per action, threats only for threat types', () => {
    const f = foldBreakdown([
      { day: 1, eventType: 'threat-detected', severity: 'high', action: 'cleaned', unhandled: false, notifications: 2, occurrences: 3 },
      { day: 1, eventType: 'threat-not-cleaned', severity: 'high', action: null, unhandled: true, notifications: 1, occurrences: 4 },
      { day: 31, eventType: 'web-filtered', severity: 'low', action: 'blocked', unhandled: false, notifications: 1, occurrences: 1 },
    ], 31);
    expect([f.notifications, f.occurrences, f.threats, f.unhandledThreats]).toEqual([4, 8, 7, 4]);
    expect(f.perDay[0]).toBe(7);
    expect(f.perDay[30]).toBe(1);
    expect(f.actions).toEqual([{ key: 'unknown', count: 4 }, { key: 'cleaned', count: 3 }]);
    expect(f.bySeverity).toEqual([{ key: 'high', count: 7 }, { key: 'low', count: 1 }]);
  });
});

describe('computers', () => {
  const pcs: ComputerSummary[] = [
    { name: 'B', occurrences: 2, threats: 1, unhandled: 0, days: 1, outdated: 0, outdatedLast: null, notConnected: 3,
      notConnectedLast: '2026-10-03T00:00:00.000Z' },
    { name: 'A', occurrences: 2, threats: 2, unhandled: 1, days: 2, outdated: 1, outdatedLast: '2026-10-02T00:00:00.000Z',
      notConnected: 0, notConnectedLast: null },
    { name: 'C', occurrences: 0, threats: 0, unhandled: 0, days: 0, outdated: 0, outdatedLast: null, notConnected: 0,
      notConnectedLast: null },
  ];
  it('top computers by threats, name breaking ties, without threat-free ones', () => {
    expect(topComputers(pcs).map((c) => c.name)).toEqual(['A', 'B']);
  });
  it('issue lists hold only computers with such notifications', () => {
    expect(issues(pcs, 'outdated', 'outdatedLast')).toEqual([{ name: 'A', notifications: 1,
      lastSeen: '2026-10-02T00:00:00.000Z' }]);
    expect(issues(pcs, 'notConnected', 'notConnectedLast').map((c) => c.name)).toEqual(['B']);
  });
});

describe('availability', () => {
  const agent = (id: string, enrolledAt: string, revokedAt?: string) =>
    ({ id, customerId: 'nandu', name: id, tokenHash: 'x', enrolledAt, ...(revokedAt ? { revokedAt } : {}) });

  it.each([
    // enrolled before the month, every minute seen
    { agents: [agent('a', '2026-01-01T00:00:00Z')], seen: 44_640, now: '2026-12-01T00:00:00Z', slots: 44_640, ratio: 1 },
    // revoked after 1 day: only that day is due
    { agents: [agent('a', '2026-01-01T00:00:00Z', '2026-10-02T03:00:00Z')], seen: 720, now: '2026-12-01T00:00:00Z',
      slots: 1440, ratio: 0.5 },
    // the month is still running: only the minutes until now are due
    { agents: [agent('a', '2026-01-01T00:00:00Z')], seen: 60, now: '2026-10-01T05:00:00Z', slots: 120, ratio: 0.5 },
  ])('$slots due minutes, $seen seen → $ratio', ({ agents, seen, now, slots, ratio }) => {
    const av = availability([{ agentId: 'a', minutes: seen }], W, agents, new Date(now));
    expect(av.agents[0]?.slots).toBe(slots);
    expect(av.ratio).toBe(ratio);
  });

  it('an agent enrolled after the month is not due; no heartbeat table is "no data"', () => {
    expect(availability([], W, [agent('a', '2026-12-01T00:00:00Z')], new Date('2027-01-01T00:00:00Z')))
      .toEqual({ available: true, ratio: null, agents: [] });
    expect(availability(null, W, [], new Date()).available).toBe(false);
  });
});

describe('maintenance window and trend', () => {
  it('keeps what ends within 60 days of the month end, or ended', () => {
    const rows = expiringMaintenance({ ...GOLDEN, products: [
      { vendor: 'eset', product: 'In 60', maintenanceExpires: '2026-12-30' },
      { vendor: 'eset', product: 'In 61', maintenanceExpires: '2026-12-31' },
      { vendor: 'eset', product: 'Ended', maintenanceExpires: '2025-01-01' },
    ] }, '2026-10', 31);
    expect(rows.map((r) => [r.product, r.daysLeft])).toEqual([['Ended', -668], ['In 60', 60]]);
  });

  it('change is relative, and null without a base', () => {
    expect(change(15, 10)).toBe(0.5);
    expect(change(5, 0)).toBeNull();
  });

  it('no recommendation for a clean month', () => {
    const empty = { notifications: 0, occurrences: 0, threats: 0, unhandledThreats: 0, computers: 0, byType: [],
      bySeverity: [], perDay: [], actions: [], topThreats: [], topComputers: [], outbreaks: [], outdatedDefinitions: [],
      notConnected: [], month: { ...W },
      tickets: { available: true, opened: 1, met: 1, missed: 0, byKind: [], medianFirstResponseMinutes: 5,
        averageFirstResponseMinutes: 5, list: [] },
      advisories: { available: true, relayed: 0, list: [] },
      availability: { available: true, ratio: 0.995, agents: [] } };
    const data: MonthlyReportData = { customer: { id: 'x', name: 'X', plan: 'managed', planName: 'Managed Services',
      timezone: 'UTC' }, language: 'es', generatedAt: '2026-11-02T00:00:00.000Z', current: empty, previous: empty,
    maintenance: [] };
    expect(recommendationsFor(data)).toEqual([]);
    expect(recommendationsFor({ ...data, current: { ...empty, availability: { available: true, ratio: 0.98, agents: [] } } }))
      .toEqual([{ code: 'low-availability', ratio: 0.98 }]);
  });
});
