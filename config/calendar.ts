// The business calendar: when the clock of a response target runs. Pure: it reads no clock, and every instant in or
// out is a Date (a UTC instant); local wall time exists only inside, through luxon in the configured IANA zone.
// Semantics (docs/business-hours.md): opening intervals are [start, end); an arrival outside them starts the clock at
// the next opening; a target that fills an interval exactly ends at its close (17:00), not at the next opening.
import { DateTime } from 'luxon';
import { XpearsError } from '../lib/errors.js';
import { createHolidayBook, type ClosedDay } from './calendar/holidays.js';
import { calendarConfigSchema, minutesOfDay, WEEKDAYS, type CalendarConfig, type CalendarConfigInput } from './calendar/schema.js';

export { calendarConfigSchema, DEFAULT_CALENDAR_CONFIG, WEEKDAYS } from './calendar/schema.js';
export type { CalendarConfig, CalendarConfigInput, Weekday } from './calendar/schema.js';
export { classifyArHoliday } from './calendar/holidays.js';
export type { ClosedDay, HolidayKind } from './calendar/holidays.js';

/** Business-time arithmetic over one configuration; minutes may be fractional, instants are exact to the ms. */
export interface BusinessCalendar {
  /** IANA zone of the wall-clock hours (and of dates given as YYYY-MM-DD). */
  readonly zone: string;
  /** 7x24: every instant counts and nothing closes (plain clock arithmetic). */
  readonly allHours: boolean;
  /** Whether the clock runs at t (inside an opening interval [start, end) of a working day). */
  isBusinessInstant(t: Date): boolean;
  /** Whether the office opens on this local date (YYYY-MM-DD): it has hours and is not a closed day. */
  isWorkingDay(date: string): boolean;
  /** The closed days of a year (holidays, non-working days as configured, overrides), sorted. */
  holidaysOf(year: number): readonly ClosedDay[];
  /** t itself when inside business time, else the next opening. */
  nextBusinessInstant(t: Date): Date;
  /** The instant at which `minutes` of business time have run since `start` (0 → nextBusinessInstant). */
  addBusinessTime(start: Date, minutes: number): Date;
  /** Minutes of business time in [a, b); negative when b is before a. */
  businessTimeBetween(a: Date, b: Date): number;
  /** The first working day strictly after the local date given. */
  nextWorkingDay(date: string): string;
  /** The first working day of a month (1–12), on or after its 1st. */
  firstWorkingDayOfMonth(year: number, month: number): string;
  /** The local date (YYYY-MM-DD) of an instant in the calendar's zone. */
  localDate(t: Date): string;
}

/** Options of a calendar that do not belong in the configuration file. */
export interface CalendarOptions {
  /** Count every minute (Premium's 7x24): the hours and holidays are ignored. */
  allHours?: boolean;
}

// No sane calendar has a gap this long; a bound turns a configuration mistake into an error, not a hang.
const MAX_DAYS = 3660;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(message: string): XpearsError {
  return new XpearsError('INVALID_ARGUMENT', message);
}

function checkInstant(t: Date, what: string): number {
  const ms = t instanceof Date ? t.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(`${what} is not a valid instant`);
  return ms;
}

function checkDate(date: string): string {
  if (!ISO_DATE.test(date) || !DateTime.fromISO(date).isValid) throw invalid(`"${date}" is not a date YYYY-MM-DD`);
  return date;
}

// Calendar-date arithmetic needs no zone: the day after D is the same in every zone.
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function parseConfig(config: CalendarConfigInput | CalendarConfig): CalendarConfig {
  const parsed = calendarConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `calendar.${i.path.join('.')}: ${i.message}`);
  throw new XpearsError('CONFIG_INVALID', `the calendar configuration is not valid: ${lines.join('; ')}`, parsed.error.issues);
}

/** Builds a calendar from its configuration (validated here; defaults filled in). */
export function createBusinessCalendar(config: CalendarConfigInput | CalendarConfig = {}, options: CalendarOptions = {}): BusinessCalendar {
  const cfg = parseConfig(config);
  const zone = cfg.zone;
  const allHours = options.allHours === true;
  // date-holidays is loaded on first use, so a 7x24 calendar or an import costs nothing.
  let book: ReturnType<typeof createHolidayBook> | undefined;
  const holidays = (): ReturnType<typeof createHolidayBook> => (book ??= createHolidayBook(cfg.holidays));
  const openings = new Map<string, readonly (readonly [number, number])[]>();

  const localDate = (t: Date): string => DateTime.fromMillis(checkInstant(t, 'the time'), { zone }).toISODate() ?? '';

  const isWorkingDay = (date: string): boolean => {
    checkDate(date);
    if (allHours) return true;
    const weekday = WEEKDAYS[DateTime.fromISO(date, { zone }).weekday - 1];
    return weekday !== undefined && cfg.hours[weekday].length > 0 && !holidays().isClosed(date);
  };

  // The opening intervals of a local date as UTC ms; luxon resolves each wall time in the zone, so DST is handled.
  const openingsOn = (date: string): readonly (readonly [number, number])[] => {
    const cached = openings.get(date);
    if (cached !== undefined) return cached;
    const midnight = DateTime.fromISO(date, { zone }).startOf('day');
    const at = (hhmm: string): number => {
      const m = minutesOfDay(hhmm);
      return (m === 1440 ? midnight.plus({ days: 1 }) : midnight.set({ hour: Math.floor(m / 60), minute: m % 60 })).toMillis();
    };
    const weekday = WEEKDAYS[midnight.weekday - 1];
    const list = weekday !== undefined && isWorkingDay(date)
      ? cfg.hours[weekday].map(([s, e]) => [at(s), at(e)] as const)
      : [];
    openings.set(date, list);
    return list;
  };

  const addBusinessTime = (start: Date, minutes: number): Date => {
    const t = checkInstant(start, 'the start');
    if (!Number.isFinite(minutes) || minutes < 0) throw invalid(`a business time must be a number of minutes ≥ 0, got ${minutes}`);
    let remaining = Math.round(minutes * 60_000);
    if (allHours) return new Date(t + remaining);
    let date = localDate(start);
    for (let i = 0; i < MAX_DAYS; i += 1, date = dayAfter(date)) {
      for (const [s, e] of openingsOn(date)) {
        if (e <= t) continue;
        const from = Math.max(s, t);
        // `<=`: a target that fills the interval exactly ends at its close, the biz/moment-business-time convention.
        if (remaining <= e - from) return new Date(from + remaining);
        remaining -= e - from;
      }
    }
    throw invalid(`no business time found within ${MAX_DAYS} days of ${start.toISOString()}`);
  };

  const businessTimeBetween = (a: Date, b: Date): number => {
    const from = checkInstant(a, 'the start');
    const to = checkInstant(b, 'the end');
    if (to < from) return -businessTimeBetween(b, a);
    if (allHours) return (to - from) / 60_000;
    let total = 0;
    const last = localDate(b);
    for (let date = localDate(a); date <= last; date = dayAfter(date)) {
      for (const [s, e] of openingsOn(date)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
    }
    return total / 60_000;
  };

  const nextWorkingDay = (date: string): string => {
    let d = checkDate(date);
    for (let i = 0; i < MAX_DAYS; i += 1) {
      d = dayAfter(d);
      if (isWorkingDay(d)) return d;
    }
    throw invalid(`no working day within ${MAX_DAYS} days after ${date}`);
  };

  return Object.freeze({
    zone,
    allHours,
    isBusinessInstant: (t: Date): boolean => {
      const ms = checkInstant(t, 'the time');
      return allHours || openingsOn(localDate(t)).some(([s, e]) => s <= ms && ms < e);
    },
    isWorkingDay,
    holidaysOf: (year: number): readonly ClosedDay[] => {
      if (!Number.isInteger(year) || year < 1000 || year > 9999) throw invalid(`${year} is not a year`);
      return allHours ? [] : holidays().closedDays(year);
    },
    nextBusinessInstant: (t: Date): Date => addBusinessTime(t, 0),
    addBusinessTime,
    businessTimeBetween,
    nextWorkingDay,
    firstWorkingDayOfMonth: (year: number, month: number): string => {
      if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid(`${month} is not a month 1–12`);
      const first = checkDate(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`);
      return isWorkingDay(first) ? first : nextWorkingDay(first);
    },
    localDate,
  });
}

/** The default calendar: Buenos Aires, Monday to Friday 09:00–17:00, Argentine holidays and non-working days. */
export function defaultBusinessCalendar(): BusinessCalendar {
  return createBusinessCalendar({});
}

/** A 7x24 calendar in Buenos Aires: plain clock arithmetic, for plans with `allHours`. */
export const clockCalendar: BusinessCalendar = createBusinessCalendar({}, { allHours: true });
