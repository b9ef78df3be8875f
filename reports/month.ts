// Calendar months in a customer's zone: "YYYY-MM" parsed strictly and turned into UTC bounds with luxon, day by
// day, so that SQL compares plain ISO text and a day is the customer's day, whatever the zone's offset or DST.
import { DateTime } from 'luxon';
import { XpearsError } from '../lib/errors.js';
import type { ReportMonth } from './model.js';

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month with the UTC instant each local day starts at: `dayStartsUtc[i]` is day i+1, the last entry the end. */
export interface MonthWindow extends ReportMonth {
  customerId: string;
  dayStartsUtc: string[];
}

/** Parses "YYYY-MM"; throws INVALID_ARGUMENT otherwise. */
export function parseMonthKey(key: string): { year: number; month: number } {
  const m = MONTH_KEY.exec(key);
  if (!m) throw new XpearsError('INVALID_ARGUMENT', `month must be YYYY-MM, got "${key}"`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** "YYYY-MM" of a year and month. */
export function monthKey(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month before the one given. */
export function previousMonthKey(key: string): string {
  const { year, month } = parseMonthKey(key);
  return month === 1 ? monthKey(year - 1, 12) : monthKey(year, month - 1);
}

/** The month (in `zone`) that contains an instant. */
export function monthOf(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone });
  return monthKey(local.year, local.month);
}

/** The bounds of a month in a zone, as UTC ISO instants, with the start of every local day. */
export function monthWindow(customerId: string, key: string, zone: string): MonthWindow {
  const { year, month } = parseMonthKey(key);
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone });
  if (!start.isValid) throw new XpearsError('INVALID_ARGUMENT', `not a usable time zone: "${zone}"`);
  const days = start.daysInMonth ?? 31;
  const dayStartsUtc: string[] = [];
  for (let d = 0; d <= days; d++) {
    dayStartsUtc.push(start.plus({ days: d }).startOf('day').toUTC().toISO({ suppressMilliseconds: false }) ?? '');
  }
  return {
    customerId, key, year, month, daysInMonth: days, zone,
    startUtc: dayStartsUtc[0] ?? '', endUtc: dayStartsUtc[days] ?? '', dayStartsUtc,
  };
}

/** The report month without the per-day bounds (what the document keeps). */
export function reportMonthOf(w: MonthWindow): ReportMonth {
  return { key: w.key, year: w.year, month: w.month, daysInMonth: w.daysInMonth, zone: w.zone,
    startUtc: w.startUtc, endUtc: w.endUtc };
}
