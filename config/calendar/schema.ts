// The business calendar's settings: zone, weekly opening hours and the holiday policy. Validated strictly so a typo
// in an hour or a date fails at start-up with its path, never as a silently wrong deadline.
import { IANAZone } from 'luxon';
import { z } from 'zod';

/** Weekday keys in ISO order (Monday = 1 … Sunday = 7, as luxon's `weekday`). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** Minutes after local midnight of an "HH:MM" string ("24:00" = 1440, the end of the day). */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const timeOfDay = z.string().regex(HHMM, 'expected "HH:MM" (00:00–23:59, or 24:00 as an end)');
const isoDate = z.string().regex(ISO_DATE, 'expected a date "YYYY-MM-DD"')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'no such calendar date');

/** One opening interval [start, end) of a day, in local wall time. */
const interval = z.tuple([timeOfDay, timeOfDay]).refine(([s, e]) => minutesOfDay(s) < minutesOfDay(e),
  'an interval must end after it starts');

// Intervals of one day: sorted and disjoint, so the arithmetic can walk them in order without merging.
const dayHours = z.array(interval).refine((list) => list.every((iv, i) => {
  const prev = list[i - 1];
  return prev === undefined || minutesOfDay(prev[1]) <= minutesOfDay(iv[0]);
}), 'intervals must be in order and must not overlap');

const OFFICE: [string, string][] = [['09:00', '17:00']];

// Each weekday defaults separately, so `{ sat: [["09:00","13:00"]] }` adds Saturday and keeps Monday to Friday.
const weeklyHours = z.strictObject({
  mon: dayHours.default(OFFICE), tue: dayHours.default(OFFICE), wed: dayHours.default(OFFICE),
  thu: dayHours.default(OFFICE), fri: dayHours.default(OFFICE), sat: dayHours.default([]), sun: dayHours.default([]),
}).refine((w) => WEEKDAYS.some((d) => w[d].length > 0), 'at least one weekday must have opening hours');

const yearOverride = z.strictObject({
  add: z.array(z.strictObject({ date: isoDate, name: z.string().min(1) })).default([]),
  remove: z.array(isoDate).default([]),
});

const holidayPolicy = z.strictObject({
  // date-holidays' AR data is the only one whose `type` values we have mapped to real non-working days.
  country: z.enum(['AR']).default('AR'),
  // Tourism "días no laborables" and Jueves Santo: private employers may open, so this is a contract decision.
  includeNonWorkingDays: z.boolean().default(true),
  overrides: z.record(z.string().regex(/^\d{4}$/, 'expected a year "YYYY"'), yearOverride).default({}),
}).superRefine((policy, ctx) => {
  for (const [year, o] of Object.entries(policy.overrides)) {
    const added = o.add.map((a) => a.date);
    for (const d of [...added, ...o.remove]) {
      if (!d.startsWith(`${year}-`)) {
        ctx.addIssue({ code: 'custom', path: ['overrides', year], message: `${d} is not in ${year}` });
      }
    }
    // Both at once would make the outcome depend on an order nobody wrote down.
    for (const d of o.remove.filter((r) => added.includes(r))) {
      ctx.addIssue({ code: 'custom', path: ['overrides', year], message: `${d} is both added and removed` });
    }
  }
});

/** The calendar's configuration, with every default filled in (see docs/business-hours.md). */
export const calendarConfigSchema = z.strictObject({
  zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone')
    .default('America/Argentina/Buenos_Aires'),
  hours: weeklyHours.prefault({}),
  holidays: holidayPolicy.prefault({}),
});

/** The validated calendar configuration. */
export type CalendarConfig = z.output<typeof calendarConfigSchema>;
/** The calendar configuration as written by a person (every key optional). */
export type CalendarConfigInput = z.input<typeof calendarConfigSchema>;

/** The defaults: Buenos Aires, Monday to Friday 09:00–17:00, AR holidays and non-working days. */
export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = calendarConfigSchema.parse({});
