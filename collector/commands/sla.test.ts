// `xpears sla due` as a plain function: the printed due time, and the refusals a person reads.
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../config/calendar.js';
import { resolvePlans } from '../../config/plans.js';
import { parseAt, slaDue } from './sla.js';

const deps = { plans: resolvePlans(), calendar: createBusinessCalendar() };

describe('slaDue', () => {
  it.each([
    ['the issue example', 'managed', 'threat-incident', '2026-03-20T15:00:00-03:00', '2026-03-20T15:30:00-03:00'],
    ['the same instant in UTC', 'managed', 'threat-incident', '2026-03-20T18:00:00Z', '2026-03-20T15:30:00-03:00'],
    ['the same instant without offset: Buenos Aires wall time', 'managed', 'threat-incident', '2026-03-20T15:00', '2026-03-20T15:30:00-03:00'],
    ['seconds are kept', 'managed', 'threat-incident', '2026-03-20T15:00:30-03:00', '2026-03-20T15:30:30-03:00'],
    ['Friday 16:50 to Monday 09:20', 'managed', 'threat-incident', '2026-03-13T16:50:00-03:00', '2026-03-16T09:20:00-03:00'],
    ['over the tourism day and Memoria', 'managed', 'threat-incident', '2026-03-20T16:50:00-03:00', '2026-03-25T09:20:00-03:00'],
    ['Basic severity 1 lands on closing time', 'basic', 'severity-1', '2026-03-18T15:00:00-03:00', '2026-03-18T17:00:00-03:00'],
    ['Premium is 7x24', 'premium', 'threat-incident', '2026-03-21T23:50:00-03:00', '2026-03-22T00:20:00-03:00'],
  ])('%s', (_name, plan, caseKind, at, expected) => {
    expect(slaDue({ plan, caseKind, at }, deps)).toBe(expected);
  });

  it('uses the plans it is given (configuration overrides)', () => {
    const plans = resolvePlans({ advanced: { responseMinutes: { 'severity-2': 120 } } });
    expect(slaDue({ plan: 'advanced', caseKind: 'severity-2', at: '2026-03-18T10:00:00-03:00' }, { ...deps, plans }))
      .toBe('2026-03-18T12:00:00-03:00');
  });

  it.each([
    ['an unknown plan', { plan: 'gold', caseKind: 'threat-incident', at: '2026-03-20T15:00:00-03:00' }, '--plan "gold"'],
    ['an unknown case', { plan: 'basic', caseKind: 'severity-5', at: '2026-03-20T15:00:00-03:00' }, '--case "severity-5"'],
    ['a date without time', { plan: 'basic', caseKind: 'severity-1', at: '2026-03-20' }, '--at "2026-03-20"'],
    ['an impossible date', { plan: 'basic', caseKind: 'severity-1', at: '2026-02-30T10:00:00-03:00' }, '--at "2026-02-30'],
    ['words', { plan: 'basic', caseKind: 'severity-1', at: 'tomorrow at ten' }, '--at "tomorrow at ten"'],
    ['an empty time', { plan: 'basic', caseKind: 'severity-1', at: '' }, '--at ""'],
  ])('refuses %s with INVALID_ARGUMENT naming the flag', (_name, args, mention) => {
    expect(() => slaDue(args, deps)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(mention) }));
  });
});

describe('parseAt', () => {
  it.each([
    ['2026-03-20T15:00:00-03:00', '2026-03-20T18:00:00.000Z'],
    ['2026-03-20T18:00:00Z', '2026-03-20T18:00:00.000Z'],
    ['2026-03-20T20:00:00+02:00', '2026-03-20T18:00:00.000Z'],
    ['2026-03-20T15:00', '2026-03-20T18:00:00.000Z'],
    ['  2026-03-20T15:00:00-03:00  ', '2026-03-20T18:00:00.000Z'],
  ])('%s is %s', (text, instant) => {
    expect(parseAt(text, 'America/Argentina/Buenos_Aires').toISOString()).toBe(instant);
  });
});
