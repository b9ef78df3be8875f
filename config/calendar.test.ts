// Business-time arithmetic, table tests. Every expected value was worked out by hand from the semantics in
// docs/business-hours.md and the official 2026 calendar (research §3); none is computed by the code under test.
import { describe, expect, it } from 'vitest';
import { clockCalendar, createBusinessCalendar } from './calendar.js';

const cal = createBusinessCalendar();
const at = (iso: string): Date => new Date(iso);

describe('addBusinessTime on the default calendar (Mon–Fri 09:00–17:00, Buenos Aires, AR holidays)', () => {
  const cases: [string, string, number, string][] = [
    ['inside hours', '2026-03-18T10:00:00-03:00', 60, '2026-03-18T11:00:00-03:00'],
    ['at opening', '2026-03-18T09:00:00-03:00', 30, '2026-03-18T09:30:00-03:00'],
    ['landing exactly on closing time stays at 17:00', '2026-03-18T16:00:00-03:00', 60, '2026-03-18T17:00:00-03:00'],
    ['one minute before closing', '2026-03-18T16:59:00-03:00', 1, '2026-03-18T17:00:00-03:00'],
    ['overflow into the next morning', '2026-03-18T16:30:00-03:00', 60, '2026-03-19T09:30:00-03:00'],
    ['three full days end at the third close', '2026-03-02T09:00:00-03:00', 1440, '2026-03-04T17:00:00-03:00'],
    ['across a weekend', '2026-03-13T16:00:00-03:00', 120, '2026-03-16T10:00:00-03:00'],
    ['Managed ransomware, Friday 16:50, 30 min', '2026-03-13T16:50:00-03:00', 30, '2026-03-16T09:20:00-03:00'],
    ['arriving on a Saturday', '2026-03-14T11:00:00-03:00', 30, '2026-03-16T09:30:00-03:00'],
    ['arriving on a Sunday night', '2026-03-15T23:59:00-03:00', 30, '2026-03-16T09:30:00-03:00'],
    ['before opening', '2026-03-18T07:45:00-03:00', 60, '2026-03-18T10:00:00-03:00'],
    ['exactly at closing starts next morning', '2026-03-18T17:00:00-03:00', 30, '2026-03-19T09:30:00-03:00'],
    ['after closing', '2026-03-18T21:10:00-03:00', 45, '2026-03-19T09:45:00-03:00'],
    ['on a holiday (25 de Mayo, Monday)', '2026-05-25T10:00:00-03:00', 60, '2026-05-26T10:00:00-03:00'],
    ['Easter: Malvinas/Jueves Santo and Viernes Santo', '2026-04-01T16:00:00-03:00', 120, '2026-04-06T10:00:00-03:00'],
    ['movable Güemes moved to Monday 15-Jun', '2026-06-12T16:00:00-03:00', 120, '2026-06-16T10:00:00-03:00'],
    ['Güemes original date (Wed 17-Jun) is worked', '2026-06-17T10:00:00-03:00', 60, '2026-06-17T11:00:00-03:00'],
    ['movable Soberanía moved to Monday 23-Nov', '2026-11-19T12:00:00-03:00', 960, '2026-11-24T12:00:00-03:00'],
    ['tourism day 23-Mar then Memoria 24-Mar', '2026-03-20T16:50:00-03:00', 30, '2026-03-25T09:20:00-03:00'],
    ['Independencia then tourism day 10-Jul', '2026-07-08T15:00:00-03:00', 180, '2026-07-13T10:00:00-03:00'],
    ['tourism day 7-Dec then Inmaculada 8-Dec', '2026-12-04T16:00:00-03:00', 360, '2026-12-09T14:00:00-03:00'],
    ['Nochebuena is a full working day', '2026-12-24T16:00:00-03:00', 120, '2026-12-28T10:00:00-03:00'],
    ['half a minute', '2026-03-18T10:00:00-03:00', 0.5, '2026-03-18T10:00:30-03:00'],
  ];
  it.each(cases)('%s', (_name, start, minutes, due) => {
    expect(cal.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
  });
});

describe('a zero target: the start itself when inside hours, else the next opening', () => {
  const cases: [string, string, string][] = [
    ['inside hours', '2026-03-18T10:15:00-03:00', '2026-03-18T10:15:00-03:00'],
    ['at opening', '2026-03-18T09:00:00-03:00', '2026-03-18T09:00:00-03:00'],
    ['before opening', '2026-03-18T08:00:00-03:00', '2026-03-18T09:00:00-03:00'],
    ['at closing', '2026-03-18T17:00:00-03:00', '2026-03-19T09:00:00-03:00'],
    ['on a Saturday', '2026-03-14T11:00:00-03:00', '2026-03-16T09:00:00-03:00'],
    ['on a holiday', '2026-03-24T11:00:00-03:00', '2026-03-25T09:00:00-03:00'],
  ];
  it.each(cases)('%s', (_name, start, expected) => {
    expect(cal.addBusinessTime(at(start), 0).toISOString()).toBe(at(expected).toISOString());
    expect(cal.nextBusinessInstant(at(start)).toISOString()).toBe(at(expected).toISOString());
  });
});

describe('input in UTC or any offset is the same instant', () => {
  it.each([
    ['2026-03-13T19:50:00Z'],
    ['2026-03-13T16:50:00-03:00'],
    ['2026-03-13T21:50:00+02:00'],
    ['2026-03-14T04:50:00+09:00'],
  ])('%s + 30 min is Monday 09:20 in Buenos Aires', (start) => {
    expect(cal.addBusinessTime(at(start), 30).toISOString()).toBe('2026-03-16T12:20:00.000Z');
  });
});

describe('businessTimeBetween', () => {
  const cases: [string, string, string, number][] = [
    ['inside one interval', '2026-03-18T10:00:00-03:00', '2026-03-18T11:30:00-03:00', 90],
    ['Friday 16:50 to Monday 09:20', '2026-03-13T16:50:00-03:00', '2026-03-16T09:20:00-03:00', 30],
    ['across the tourism day and Memoria', '2026-03-20T16:50:00-03:00', '2026-03-25T09:20:00-03:00', 30],
    ['a weekend alone', '2026-03-14T00:00:00-03:00', '2026-03-16T00:00:00-03:00', 0],
    ['a holiday alone', '2026-03-24T00:00:00-03:00', '2026-03-25T00:00:00-03:00', 0],
    ['one ordinary week', '2026-03-02T00:00:00-03:00', '2026-03-09T00:00:00-03:00', 2400],
    ['March 2026: 22 weekdays less 23 and 24', '2026-03-01T00:00:00-03:00', '2026-04-01T00:00:00-03:00', 9600],
    ['same instant', '2026-03-18T10:00:00-03:00', '2026-03-18T10:00:00-03:00', 0],
    ['reversed is negative', '2026-03-16T09:20:00-03:00', '2026-03-13T16:50:00-03:00', -30],
    ['given in UTC', '2026-03-18T12:00:00Z', '2026-03-18T20:00:00Z', 480],
  ];
  it.each(cases)('%s', (_name, a, b, minutes) => {
    expect(cal.businessTimeBetween(at(a), at(b))).toBe(minutes);
  });

  it.each([
    ['2026-03-13T16:50:00-03:00', 30],
    ['2026-03-14T11:00:00-03:00', 90],
    ['2026-03-18T17:00:00-03:00', 480],
    ['2026-03-20T16:59:00-03:00', 961],
    ['2026-12-04T16:00:00-03:00', 1440],
  ])('is the inverse of addBusinessTime from %s + %i min', (start, minutes) => {
    expect(cal.businessTimeBetween(at(start), cal.addBusinessTime(at(start), minutes))).toBe(minutes);
  });

  it.each([
    ['2026-03-13T16:50:00-03:00', '2026-03-16T09:20:00-03:00'],
    ['2026-03-20T10:00:00-03:00', '2026-03-25T16:00:00-03:00'],
    ['2026-03-18T07:00:00-03:00', '2026-03-18T17:00:00-03:00'],
  ])('adding businessTimeBetween(%s, %s) to the start gives the end back', (a, b) => {
    expect(cal.addBusinessTime(at(a), cal.businessTimeBetween(at(a), at(b))).toISOString()).toBe(at(b).toISOString());
  });
});

describe('isBusinessInstant: intervals are [09:00, 17:00)', () => {
  it.each([
    ['2026-03-18T09:00:00-03:00', true],
    ['2026-03-18T16:59:59-03:00', true],
    ['2026-03-18T17:00:00-03:00', false],
    ['2026-03-18T08:59:59-03:00', false],
    ['2026-03-18T12:00:00Z', true],
    ['2026-03-14T12:00:00-03:00', false],
    ['2026-03-23T12:00:00-03:00', false],
    ['2026-06-17T12:00:00-03:00', true],
  ])('%s → %s', (t, expected) => {
    expect(cal.isBusinessInstant(at(t))).toBe(expected);
  });
});

describe('working days', () => {
  it.each([
    ['2026-03-18', true], ['2026-03-21', false], ['2026-03-22', false], ['2026-03-23', false], ['2026-03-24', false],
    ['2026-04-02', false], ['2026-06-15', false], ['2026-06-17', true], ['2026-11-20', true], ['2026-11-23', false],
    ['2026-12-24', true], ['2026-12-31', true], ['2025-10-10', true], ['2027-03-25', false],
  ])('isWorkingDay(%s) → %s', (date, expected) => {
    expect(cal.isWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2026-03-18', '2026-03-19'], ['2026-03-20', '2026-03-25'], ['2026-04-01', '2026-04-06'],
    ['2026-07-08', '2026-07-13'], ['2026-12-31', '2027-01-04'],
  ])('nextWorkingDay(%s) → %s', (date, expected) => {
    expect(cal.nextWorkingDay(date)).toBe(expected);
  });

  it.each([
    [2026, 2, '2026-02-02'], [2026, 3, '2026-03-02'], [2026, 4, '2026-04-01'], [2026, 5, '2026-05-04'],
    [2026, 8, '2026-08-03'], [2026, 12, '2026-12-01'], [2027, 1, '2027-01-04'],
  ])('firstWorkingDayOfMonth(%i, %i) → %s', (year, month, expected) => {
    expect(cal.firstWorkingDayOfMonth(year, month)).toBe(expected);
  });

  it('localDate is the date in Buenos Aires, not in UTC', () => {
    expect(cal.localDate(at('2026-03-19T01:30:00Z'))).toBe('2026-03-18');
  });
});

describe('7x24 (Premium): plain clock arithmetic', () => {
  const allHours = createBusinessCalendar({}, { allHours: true });
  it.each([
    ['Saturday night over midnight', '2026-03-14T23:50:00-03:00', 30, '2026-03-15T00:20:00-03:00'],
    ['on a holiday', '2026-03-24T03:00:00-03:00', 60, '2026-03-24T04:00:00-03:00'],
    ['Friday 16:50', '2026-03-13T16:50:00-03:00', 30, '2026-03-13T17:20:00-03:00'],
    ['16 hours', '2026-03-18T10:00:00-03:00', 960, '2026-03-19T02:00:00-03:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(allHours.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
    expect(clockCalendar.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
  });

  it('counts every minute, is always open and has no closed days', () => {
    expect(clockCalendar.businessTimeBetween(at('2026-03-13T17:00:00-03:00'), at('2026-03-16T09:00:00-03:00'))).toBe(3840);
    expect(clockCalendar.isBusinessInstant(at('2026-03-24T03:00:00-03:00'))).toBe(true);
    expect(clockCalendar.isWorkingDay('2026-03-24')).toBe(true);
    expect(clockCalendar.holidaysOf(2026)).toEqual([]);
    expect(clockCalendar.allHours).toBe(true);
  });
});

describe('bad arguments are refused with INVALID_ARGUMENT', () => {
  it.each([
    ['a negative target', () => cal.addBusinessTime(at('2026-03-18T10:00:00Z'), -1)],
    ['a NaN target', () => cal.addBusinessTime(at('2026-03-18T10:00:00Z'), Number.NaN)],
    ['an invalid Date', () => cal.addBusinessTime(new Date('nope'), 30)],
    ['an impossible date', () => cal.isWorkingDay('2026-02-30')],
    ['a date in another format', () => cal.nextWorkingDay('20/03/2026')],
    ['month 13', () => cal.firstWorkingDayOfMonth(2026, 13)],
  ])('%s', (_name, call) => {
    expect(call).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
