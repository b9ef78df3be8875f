// Response targets per plan and case, and the status the escalation scheduler reads. Expected values worked out by
// hand from the manuals' matrix (seed 001, 002) and the calendar semantics (docs/business-hours.md).
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../config/calendar.js';
import { resolvePlans, type CaseKind } from '../../config/plans.js';
import type { PlanId } from '../registry/types.js';
import { responseDueAt, responseStatus, responseWarningDue } from './sla.js';

const calendar = createBusinessCalendar();
const plans = resolvePlans();
const at = (iso: string): Date => new Date(iso);

describe('responseDueAt: the matrix from Wednesday 2026-03-18 10:00', () => {
  const cases: [PlanId, CaseKind, string][] = [
    ['basic', 'threat-incident', '2026-03-18T11:00:00-03:00'],
    ['basic', 'severity-1', '2026-03-18T12:00:00-03:00'],
    ['basic', 'severity-2', '2026-03-18T16:00:00-03:00'],
    ['basic', 'severity-3', '2026-03-19T14:00:00-03:00'],
    // 7 h Wed, 8 h Thu, 8 h Fri; Mon 23 (tourism) and Tue 24 (Memoria) closed; 1 h Wed 25.
    ['basic', 'severity-4', '2026-03-25T10:00:00-03:00'],
    ['advanced', 'threat-incident', '2026-03-18T10:45:00-03:00'],
    ['managed', 'threat-incident', '2026-03-18T10:30:00-03:00'],
    ['managed', 'severity-1', '2026-03-18T11:00:00-03:00'],
    ['managed', 'severity-2', '2026-03-18T13:00:00-03:00'],
    ['managed', 'severity-3', '2026-03-18T16:00:00-03:00'],
    ['managed', 'severity-4', '2026-03-20T10:00:00-03:00'],
    ['premium', 'threat-incident', '2026-03-18T10:30:00-03:00'],
    ['premium', 'severity-4', '2026-03-19T02:00:00-03:00'],
  ];
  it.each(cases)('%s %s → %s', (plan, caseKind, due) => {
    const dueAt = responseDueAt({ plan: plans[plan], caseKind, openedAt: at('2026-03-18T10:00:00-03:00'), calendar });
    expect(dueAt.toISOString()).toBe(at(due).toISOString());
  });
});

describe('responseDueAt out of hours', () => {
  it.each([
    ['Managed ransomware on Friday 16:50', 'managed', 'threat-incident', '2026-03-13T16:50:00-03:00', '2026-03-16T09:20:00-03:00'],
    ['the same, given in UTC', 'managed', 'threat-incident', '2026-03-13T19:50:00Z', '2026-03-16T09:20:00-03:00'],
    ['Basic threat on a Saturday', 'basic', 'threat-incident', '2026-03-14T11:00:00-03:00', '2026-03-16T10:00:00-03:00'],
    ['Premium on Friday 16:50 runs through the evening', 'premium', 'threat-incident', '2026-03-13T16:50:00-03:00', '2026-03-13T17:20:00-03:00'],
    ['Premium on a holiday night', 'premium', 'severity-1', '2026-03-24T03:00:00-03:00', '2026-03-24T04:00:00-03:00'],
  ] as [string, PlanId, CaseKind, string, string][])('%s', (_name, plan, caseKind, openedAt, due) => {
    expect(responseDueAt({ plan: plans[plan], caseKind, openedAt: at(openedAt), calendar }).toISOString()).toBe(at(due).toISOString());
  });

  it('uses the configured target when the catalogue is overridden', () => {
    const custom = resolvePlans({ advanced: { responseMinutes: { 'threat-incident': 20 } } });
    const dueAt = responseDueAt({ plan: custom.advanced, caseKind: 'threat-incident', openedAt: at('2026-03-13T16:50:00-03:00'), calendar });
    expect(dueAt.toISOString()).toBe(at('2026-03-16T09:10:00-03:00').toISOString());
  });

  it('a plan made 7x24 by configuration counts clock time', () => {
    const custom = resolvePlans({ managed: { allHours: true } });
    const dueAt = responseDueAt({ plan: custom.managed, caseKind: 'threat-incident', openedAt: at('2026-03-13T16:50:00-03:00'), calendar });
    expect(dueAt.toISOString()).toBe(at('2026-03-13T17:20:00-03:00').toISOString());
  });
});

describe('responseStatus: Managed threat incident opened Friday 16:50, due Monday 09:20', () => {
  const base = {
    plan: plans.managed,
    openedAt: at('2026-03-13T16:50:00-03:00'),
    dueAt: at('2026-03-16T09:20:00-03:00'),
    calendar,
  };
  const cases: [string, string | undefined, string, boolean | null, number, number][] = [
    ['five minutes in', undefined, '2026-03-13T16:55:00-03:00', null, 25, 5 / 30],
    ['the weekend stops the clock', undefined, '2026-03-14T12:00:00-03:00', null, 20, 10 / 30],
    ['Monday 09:12, below the warning', undefined, '2026-03-16T09:12:00-03:00', null, 8, 22 / 30],
    ['Monday 09:12:30, exactly 75 %', undefined, '2026-03-16T09:12:30-03:00', null, 7.5, 0.75],
    ['at the due instant, not yet missed', undefined, '2026-03-16T09:20:00-03:00', null, 0, 1],
    ['missed: ten minutes past due', undefined, '2026-03-16T09:30:00-03:00', false, -10, 40 / 30],
    ['answered in time: figures freeze at the answer', '2026-03-16T09:05:00-03:00', '2026-03-17T12:00:00-03:00', true, 15, 15 / 30],
    ['answered exactly at the due time', '2026-03-16T09:20:00-03:00', '2026-03-16T10:00:00-03:00', true, 0, 1],
    ['answered late', '2026-03-16T09:25:00-03:00', '2026-03-16T10:00:00-03:00', false, -5, 35 / 30],
    ['answered before the clock started (Saturday)', '2026-03-14T10:00:00-03:00', '2026-03-16T10:00:00-03:00', true, 20, 10 / 30],
  ];
  it.each(cases)('%s', (_name, firstResponseAt, now, met, remainingMinutes, fractionUsed) => {
    const status = responseStatus({ ...base, now: at(now), firstResponseAt: firstResponseAt === undefined ? undefined : at(firstResponseAt) });
    expect(status.met).toBe(met);
    expect(status.remainingMinutes).toBe(remainingMinutes);
    expect(status.fractionUsed).toBeCloseTo(fractionUsed, 12);
  });

  it.each([
    ['2026-03-16T09:12:00-03:00', false],
    ['2026-03-16T09:12:30-03:00', true],
    ['2026-03-16T09:19:00-03:00', true],
    ['2026-03-16T09:21:00-03:00', false],
  ])('warning due at %s → %s (75 %%, open and not yet missed)', (now, expected) => {
    expect(responseWarningDue(responseStatus({ ...base, now: at(now) }))).toBe(expected);
  });
});

describe('responseStatus on other clocks', () => {
  it('Premium counts the weekend', () => {
    const status = responseStatus({
      plan: plans.premium, calendar, openedAt: at('2026-03-14T10:00:00-03:00'), dueAt: at('2026-03-14T10:30:00-03:00'),
      now: at('2026-03-14T10:15:00-03:00'),
    });
    expect(status).toEqual({ met: null, remainingMinutes: 15, fractionUsed: 0.5 });
  });

  it('a zero target is all used once its due instant arrives', () => {
    const zero = resolvePlans({ basic: { responseMinutes: { 'severity-4': 0 } } }).basic;
    const openedAt = at('2026-03-14T11:00:00-03:00');
    const dueAt = responseDueAt({ plan: zero, caseKind: 'severity-4', openedAt, calendar });
    expect(dueAt.toISOString()).toBe(at('2026-03-16T09:00:00-03:00').toISOString());
    const status = (now: string) => responseStatus({ plan: zero, calendar, openedAt, dueAt, now: at(now) });
    expect(status('2026-03-15T12:00:00-03:00')).toEqual({ met: null, remainingMinutes: 0, fractionUsed: 0 });
    expect(status('2026-03-16T09:00:00-03:00')).toEqual({ met: null, remainingMinutes: 0, fractionUsed: 1 });
    expect(status('2026-03-16T09:01:00-03:00')).toEqual({ met: false, remainingMinutes: -1, fractionUsed: 1 });
  });
});
