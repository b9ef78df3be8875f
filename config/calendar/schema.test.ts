// The calendar configuration: defaults, strictness, and hours other than the default office (split days, another
// zone with daylight saving time).
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../calendar.js';
import { calendarConfigSchema, DEFAULT_CALENDAR_CONFIG } from './schema.js';

const at = (iso: string): Date => new Date(iso);
const OFFICE = [['09:00', '17:00']];

describe('calendarConfigSchema', () => {
  it('fills every default from an empty object', () => {
    expect(DEFAULT_CALENDAR_CONFIG).toEqual({
      zone: 'America/Argentina/Buenos_Aires',
      hours: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
      holidays: { country: 'AR', includeNonWorkingDays: true, overrides: {} },
    });
  });

  it('defaults each weekday on its own: adding Saturday keeps Monday to Friday', () => {
    const cfg = calendarConfigSchema.parse({ hours: { sat: [['09:00', '13:00']] } });
    expect(cfg.hours.mon).toEqual(OFFICE);
    expect(cfg.hours.sat).toEqual([['09:00', '13:00']]);
  });

  it('parses its own output to the same value', () => {
    expect(calendarConfigSchema.parse(DEFAULT_CALENDAR_CONFIG)).toEqual(DEFAULT_CALENDAR_CONFIG);
  });

  it.each([
    ['an unknown key', { zona: 'America/Argentina/Buenos_Aires' }, []],
    ['an unknown weekday', { hours: { monday: OFFICE } }, ['hours']],
    ['an unknown zone', { zone: 'America/Atlantis' }, ['zone']],
    ['a bad time', { hours: { mon: [['9:00', '17:00']] } }, ['hours', 'mon', 0, 0]],
    ['25:00', { hours: { mon: [['09:00', '25:00']] } }, ['hours', 'mon', 0, 1]],
    ['an interval that ends before it starts', { hours: { mon: [['17:00', '09:00']] } }, ['hours', 'mon', 0]],
    ['overlapping intervals', { hours: { mon: [['09:00', '13:00'], ['12:00', '17:00']] } }, ['hours', 'mon']],
    ['a week without hours', { hours: { mon: [], tue: [], wed: [], thu: [], fri: [] } }, ['hours']],
    ['another country', { holidays: { country: 'UY' } }, ['holidays', 'country']],
    ['an impossible override date', { holidays: { overrides: { 2026: { remove: ['2026-02-30'] } } } }, ['holidays', 'overrides', '2026', 'remove', 0]],
    ['an override in another year', { holidays: { overrides: { 2026: { remove: ['2027-01-01'] } } } }, ['holidays', 'overrides', '2026']],
    ['a day added and removed', { holidays: { overrides: { 2026: { add: [{ date: '2026-03-18', name: 'x' }], remove: ['2026-03-18'] } } } }, ['holidays', 'overrides', '2026']],
  ])('rejects %s, with its path', (_name, input, path) => {
    const result = calendarConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('createBusinessCalendar turns a bad configuration into CONFIG_INVALID naming the path', () => {
    expect(() => createBusinessCalendar({ hours: { mon: [['9:00', '17:00']] } }))
      .toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('calendar.hours.mon.0.0') }));
  });
});

describe('other hours', () => {
  type Hours = [string, string][];
  const LONG: Hours = [['09:00', '18:00']];
  const SPLIT: Hours = [['09:00', '13:00'], ['14:00', '18:00']];
  const EVENING: Hours = [['20:00', '24:00']];
  const cases: [string, Hours, string, number, string][] = [
    ['"9 AM a 18 PM": an exact fill ends at 18:00', LONG, '2026-03-13T17:30:00-03:00', 30, '2026-03-13T18:00:00-03:00'],
    ['lunch break: the clock stops 13:00–14:00', SPLIT, '2026-03-18T12:30:00-03:00', 60, '2026-03-18T14:30:00-03:00'],
    ['lunch break: a fill to 13:00 ends at 13:00', SPLIT, '2026-03-18T12:30:00-03:00', 30, '2026-03-18T13:00:00-03:00'],
    ['lunch break: arriving at 13:00 starts at 14:00', SPLIT, '2026-03-18T13:00:00-03:00', 0, '2026-03-18T14:00:00-03:00'],
    ['until midnight: 24:00 ends the day', EVENING, '2026-03-18T23:00:00-03:00', 90, '2026-03-19T20:30:00-03:00'],
  ];
  it.each(cases)('%s', (_name, hours, start, minutes, due) => {
    const cal = createBusinessCalendar({ hours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours } });
    expect(cal.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
  });

  it('Saturday morning hours count when configured', () => {
    const cal = createBusinessCalendar({ hours: { sat: [['09:00', '13:00']] } });
    expect(cal.addBusinessTime(at('2026-03-13T16:50:00-03:00'), 30).toISOString()).toBe(at('2026-03-14T09:20:00-03:00').toISOString());
    expect(cal.isWorkingDay('2026-03-14')).toBe(true);
  });
});

describe('a zone with daylight saving time (New York, DST from Sunday 2026-03-08)', () => {
  const cal = createBusinessCalendar({ zone: 'America/New_York' });

  it('Friday 16:30 EST + 60 min is Monday 09:30 EDT, not a fixed offset away', () => {
    expect(cal.addBusinessTime(at('2026-03-06T16:30:00-05:00'), 60).toISOString()).toBe('2026-03-09T13:30:00.000Z');
  });

  it('a 7-day-a-week, 24-hour schedule counts 23 hours on the day the clocks go forward', () => {
    const day: [string, string][] = [['00:00', '24:00']];
    const allDays = createBusinessCalendar({
      zone: 'America/New_York',
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    });
    expect(allDays.businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(1380);
  });
});
