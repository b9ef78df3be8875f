// When a maintenance window is open: one-off (from–to), weekly (days and hours, the end may cross midnight) or
// monthly (the nth weekday of the month, e.g. the first Sunday), the hours read in the customer's zone (luxon).
import { DateTime } from 'luxon';
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');

/** A window's schedule, as stored (JSON) and as the CLI and API take it. */
export const windowScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict(),
  /** days: ISO weekdays the window starts on (1 Monday … 7 Sunday); `to` at or before `from` ends the next day. */
  z.object({ kind: z.literal('weekly'), days: z.array(z.number().int().min(1).max(7)).min(1), from: hhmm, to: hhmm }).strict(),
  /** nth (1–4, or -1 for the last) weekday of the month. */
  z.object({ kind: z.literal('monthly'), nth: z.union([z.literal(-1), z.number().int().min(1).max(4)]),
    weekday: z.number().int().min(1).max(7), from: hhmm, to: hhmm }).strict(),
]);
export type WindowSchedule = z.infer<typeof windowScheduleSchema>;

const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/** Parses the CLI's `--weekly sat,sun 22:00-02:00` form (days in English three-letter names or 1–7). */
export function parseWeekly(days: string, hours: string): WindowSchedule {
  const list = days.toLowerCase().split(',').map((d) => WEEKDAYS[d.trim().slice(0, 3)] ?? Number(d));
  const [from, to] = hours.split('-');
  return windowScheduleSchema.parse({ kind: 'weekly', days: list, from, to });
}

/** Parses `--monthly first-sun 06:00-10:00` (first, second, third, fourth, last). */
export function parseMonthly(day: string, hours: string): WindowSchedule {
  const [which, wd] = day.toLowerCase().split('-');
  const nth = { first: 1, second: 2, third: 3, fourth: 4, last: -1 }[which ?? ''];
  const [from, to] = hours.split('-');
  return windowScheduleSchema.parse({ kind: 'monthly', nth, weekday: WEEKDAYS[(wd ?? '').slice(0, 3)], from, to });
}

function at(day: DateTime, hm: string): DateTime {
  const [h, m] = hm.split(':').map(Number) as [number, number];
  return day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
}

function startsOn(s: Exclude<WindowSchedule, { kind: 'once' }>, day: DateTime): boolean {
  if (s.kind === 'weekly') return s.days.includes(day.weekday);
  if (day.weekday !== s.weekday) return false;
  if (s.nth === -1) return day.plus({ days: 7 }).month !== day.month;
  return Math.ceil(day.day / 7) === s.nth;
}

/** The occurrence of the schedule that holds `now` (start inclusive, end exclusive), or null. */
export function activeOccurrence(s: WindowSchedule, now: Date, zone: string): { from: Date; to: Date } | null {
  if (s.kind === 'once') {
    const from = new Date(s.from); const to = new Date(s.to);
    return from <= now && now < to ? { from, to } : null;
  }
  const local = DateTime.fromJSDate(now, { zone }).startOf('day');
  // An occurrence started today or yesterday (a window crossing midnight) may hold now.
  for (const day of [local, local.minus({ days: 1 })]) {
    if (!startsOn(s, day)) continue;
    const from = at(day, s.from);
    const to = s.to <= s.from ? at(day.plus({ days: 1 }), s.to) : at(day, s.to);
    if (from.toMillis() <= now.getTime() && now.getTime() < to.toMillis()) return { from: from.toJSDate(), to: to.toJSDate() };
  }
  return null;
}

/** A schedule in one line, for lists: "once 2026-03-21T22:00Z → …", "weekly 6 22:00-02:00", "monthly 1st 7 06:00-10:00". */
export function describeSchedule(s: WindowSchedule): string {
  if (s.kind === 'once') return `${s.from} → ${s.to}`;
  const names = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  if (s.kind === 'weekly') return `weekly ${s.days.map((d) => names[d]).join(',')} ${s.from}-${s.to}`;
  const nth = s.nth === -1 ? 'last' : ['', 'first', 'second', 'third', 'fourth'][s.nth];
  return `monthly ${nth}-${names[s.weekday]} ${s.from}-${s.to}`;
}
