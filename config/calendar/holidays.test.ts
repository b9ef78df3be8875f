// The holiday policy: which date-holidays AR entries close the office, and the yearly override table on top.
// Expected lists are the official calendars (research §3), typed here by hand.
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../calendar.js';
import { classifyArHoliday } from './holidays.js';

const at = (iso: string): Date => new Date(iso);

const OFFICIAL_2026: [string, 'holiday' | 'non-working'][] = [
  ['2026-01-01', 'holiday'], ['2026-02-16', 'holiday'], ['2026-02-17', 'holiday'], ['2026-03-23', 'non-working'],
  ['2026-03-24', 'holiday'], ['2026-04-02', 'holiday'], ['2026-04-03', 'holiday'], ['2026-05-01', 'holiday'],
  ['2026-05-25', 'holiday'], ['2026-06-15', 'holiday'], ['2026-06-20', 'holiday'], ['2026-07-09', 'holiday'],
  ['2026-07-10', 'non-working'], ['2026-08-17', 'holiday'], ['2026-10-12', 'holiday'], ['2026-11-23', 'holiday'],
  ['2026-12-07', 'non-working'], ['2026-12-08', 'holiday'], ['2026-12-25', 'holiday'],
];

describe('classifyArHoliday: date-holidays types to closed days', () => {
  it.each([
    ['public', 'public', '2026-05-25 00:00:00', 'holiday'],
    ['bank (Jueves Santo, 2025 bridges)', 'bank', '2025-04-17 00:00:00', 'non-working'],
    ['full-day optional (2026 tourism days)', 'optional', '2026-03-23 00:00:00', 'non-working'],
  ])('%s', (_name, type, date, kind) => {
    expect(classifyArHoliday({ date, name: 'x', type })).toEqual({ date: date.slice(0, 10), name: 'x', kind });
  });

  it.each([
    ['optional from noon (Nochebuena)', 'optional', '2026-12-24 12:00:00'],
    ['observance', 'observance', '2026-06-20 00:00:00'],
    ['school', 'school', '2026-07-20 00:00:00'],
  ])('%s stays open', (_name, type, date) => {
    expect(classifyArHoliday({ date, name: 'x', type })).toBeNull();
  });
});

describe('holidaysOf on the default policy', () => {
  const cal = createBusinessCalendar();

  it('2026 is exactly the official list: 16 holidays and 3 tourism days', () => {
    expect(cal.holidaysOf(2026).map((d) => [d.date, d.kind])).toEqual(OFFICIAL_2026);
  });

  it('a date with two entries keeps one, as a holiday, with both names', () => {
    const malvinas = cal.holidaysOf(2026).find((d) => d.date === '2026-04-02');
    expect(malvinas?.name).toContain('Malvinas');
    expect(malvinas?.name).toContain('Jueves Santo');
  });

  it('2025 includes Jueves Santo and the three tourism bridges as non-working days', () => {
    const nonWorking = cal.holidaysOf(2025).filter((d) => d.kind === 'non-working').map((d) => d.date);
    expect(nonWorking).toEqual(['2025-04-17', '2025-05-02', '2025-08-15', '2025-11-21']);
  });

  it('never lists the Nochebuena and Fin de Año afternoons', () => {
    const dates = cal.holidaysOf(2026).map((d) => d.date);
    expect(dates).not.toContain('2026-12-24');
    expect(dates).not.toContain('2026-12-31');
  });
});

describe('includeNonWorkingDays: false (the office opens on días no laborables)', () => {
  const cal = createBusinessCalendar({ holidays: { includeNonWorkingDays: false } });

  it('keeps only the 16 holidays of 2026', () => {
    expect(cal.holidaysOf(2026).map((d) => d.date))
      .toEqual(OFFICIAL_2026.filter(([, kind]) => kind === 'holiday').map(([date]) => date));
  });

  it.each([
    ['tourism day 23-Mar is worked', '2026-03-20T16:50:00-03:00', 30, '2026-03-23T09:20:00-03:00'],
    ['Jueves Santo 2027 is worked', '2027-03-23T16:30:00-03:00', 60, '2027-03-25T09:30:00-03:00'],
    ['Malvinas 2026 still closes although it is also Jueves Santo', '2026-04-01T16:30:00-03:00', 60, '2026-04-06T09:30:00-03:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(cal.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
  });
});

describe('the yearly override table, applied last', () => {
  const cal = createBusinessCalendar({
    holidays: {
      overrides: {
        // Res. 139/2025 moved Diversidad Cultural to Friday 10-Oct; date-holidays still says Sunday 12-Oct.
        2025: { add: [{ date: '2025-10-10', name: 'Día del Respeto a la Diversidad Cultural' }], remove: ['2025-10-12'] },
        2026: { add: [{ date: '2026-03-18', name: 'Cierre de oficina' }], remove: ['2026-03-23'] },
      },
    },
  });

  it.each([
    ['an added day closes', '2026-03-17T16:30:00-03:00', 60, '2026-03-19T09:30:00-03:00'],
    ['a removed tourism day opens', '2026-03-20T16:50:00-03:00', 30, '2026-03-23T09:20:00-03:00'],
    ['the 2025 correction closes Friday 10-Oct', '2025-10-09T16:30:00-03:00', 60, '2025-10-13T09:30:00-03:00'],
    ['other days are untouched (24-Mar)', '2026-03-23T16:30:00-03:00', 60, '2026-03-25T09:30:00-03:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(cal.addBusinessTime(at(start), minutes).toISOString()).toBe(at(due).toISOString());
  });

  it('lists added days as overrides and drops removed ones', () => {
    const y2025 = cal.holidaysOf(2025).map((d) => `${d.date} ${d.kind}`);
    expect(y2025).toContain('2025-10-10 override');
    expect(y2025.some((d) => d.startsWith('2025-10-12'))).toBe(false);
    const y2026 = cal.holidaysOf(2026);
    expect(y2026.find((d) => d.date === '2026-03-18')).toEqual({ date: '2026-03-18', name: 'Cierre de oficina', kind: 'override' });
    expect(y2026.some((d) => d.date === '2026-03-23')).toBe(false);
    expect(y2026).toHaveLength(19);
  });

  it('an added day that is already a holiday takes the override name', () => {
    const renamed = createBusinessCalendar({ holidays: { overrides: { 2026: { add: [{ date: '2026-05-25', name: 'Patria' }] } } } });
    expect(renamed.holidaysOf(2026).filter((d) => d.date === '2026-05-25')).toEqual([{ date: '2026-05-25', name: 'Patria', kind: 'override' }]);
  });
});
