// The days the office is closed, per year: date-holidays (country AR) filtered to real non-working days, then the
// configuration's yearly override table, applied last because decrees move days that no rule engine can predict.
import Holidays from 'date-holidays';
import type { CalendarConfig } from './schema.js';

/** Why a day is closed: a national holiday, a "día no laborable" (tourism bridge, Jueves Santo), or an override. */
export type HolidayKind = 'holiday' | 'non-working' | 'override';

/** A closed day of the calendar. */
export interface ClosedDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  name: string;
  kind: HolidayKind;
}

/** The shape of a date-holidays entry that the filter reads. */
export interface SourceHoliday {
  /** "YYYY-MM-DD hh:mm:ss", local to the country. */
  date: string;
  name: string;
  type: string;
}

/**
 * Maps one date-holidays AR entry to a closed day, or null when the office stays open. `public` are the national
 * holidays (inamovibles, trasladables already moved by the Ley 27.399 rule, and the old "feriados puente"). `bank` is
 * how the data marks Jueves Santo and the 2025 tourism bridges; full-day `optional` is how it marks the 2026 tourism
 * days: both are "días no laborables". Part-day `optional` (Nochebuena and Fin de Año from 12:00) is not a national
 * holiday under Ley 27.399, and `school`/`observance` never close the office.
 */
export function classifyArHoliday(h: SourceHoliday): ClosedDay | null {
  const date = h.date.slice(0, 10);
  const fullDay = h.date.slice(11, 19) === '00:00:00';
  if (h.type === 'public') return { date, name: h.name, kind: 'holiday' };
  if ((h.type === 'bank' || h.type === 'optional') && fullDay) return { date, name: h.name, kind: 'non-working' };
  return null;
}

// Two entries can share a date (2026-04-02: Malvinas and Jueves Santo): the holiday outranks the non-working day.
function mergeSameDay(days: ClosedDay[]): ClosedDay[] {
  const byDate = new Map<string, ClosedDay>();
  for (const d of days) {
    const seen = byDate.get(d.date);
    if (seen === undefined) byDate.set(d.date, d);
    else if (seen.kind !== 'holiday' && d.kind === 'holiday') byDate.set(d.date, { ...d, name: `${d.name} / ${seen.name}` });
    else byDate.set(d.date, { ...seen, name: `${seen.name} / ${d.name}` });
  }
  return [...byDate.values()];
}

/** The closed days of one year under a holiday policy, sorted by date. */
export function closedDaysOf(year: number, policy: CalendarConfig['holidays'], source: Holidays): ClosedDay[] {
  const fromSource = source.getHolidays(year)
    .map((h) => classifyArHoliday(h))
    .filter((d): d is ClosedDay => d !== null && d.date.startsWith(`${year}-`))
    .filter((d) => policy.includeNonWorkingDays || d.kind !== 'non-working');
  const override = policy.overrides[String(year)];
  const removed = new Set(override?.remove ?? []);
  const added = (override?.add ?? []).map((a): ClosedDay => ({ date: a.date, name: a.name, kind: 'override' }));
  // An added date replaces whatever the source said of that day, so its name and kind are the override's.
  const addedDates = new Set(added.map((a) => a.date));
  const kept = mergeSameDay(fromSource).filter((d) => !removed.has(d.date) && !addedDates.has(d.date));
  const all = [...kept, ...added];
  return all.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** A per-year cache of closed days; date-holidays is asked once per year per calendar. */
export function createHolidayBook(policy: CalendarConfig['holidays']): {
  closedDays(year: number): readonly ClosedDay[];
  isClosed(date: string): boolean;
} {
  const source = new Holidays(policy.country);
  const lists = new Map<number, readonly ClosedDay[]>();
  const sets = new Map<number, ReadonlySet<string>>();
  const closedDays = (year: number): readonly ClosedDay[] => {
    let list = lists.get(year);
    if (list === undefined) {
      list = Object.freeze(closedDaysOf(year, policy, source).map((d) => Object.freeze(d)));
      lists.set(year, list);
      sets.set(year, new Set(list.map((d) => d.date)));
    }
    return list;
  };
  const isClosed = (date: string): boolean => {
    const year = Number(date.slice(0, 4));
    if (!sets.has(year)) closedDays(year);
    return sets.get(year)?.has(date) ?? false;
  };
  return { closedDays, isClosed };
}
