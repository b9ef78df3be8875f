// The monthly schedule: node-cron wakes once a day in the calendar's zone; only on the first working day of a month
// does it run the previous month's reports (the business calendar decides what a working day is).
import cron from 'node-cron';
import type { BusinessCalendar } from '../config/calendar.js';
import type { Clock } from '../lib/clock.js';
import { monthKey, previousMonthKey } from './month.js';
import { runMonthlyReports, type ReportDeps, type RunSummary } from './run.js';

/** What the schedule needs besides the report dependencies. */
export interface ScheduleDeps extends ReportDeps {
  calendar: Pick<BusinessCalendar, 'zone' | 'firstWorkingDayOfMonth' | 'localDate'>;
  /** Cron expression of the daily wake-up, in the calendar's zone; default 07:00. */
  cronExpression?: string;
  onSummary?: (summary: RunSummary) => void;
}

/** The month to report on at `now`: the previous month when today is the first working day, else null. */
export function monthDueAt(now: Date, calendar: ScheduleDeps['calendar']): string | null {
  const today = calendar.localDate(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (calendar.firstWorkingDayOfMonth(year, month) !== today) return null;
  return previousMonthKey(monthKey(year, month));
}

/** One wake-up: runs the due month, if any. Exposed so tests and `report run` share the path the cron takes. */
export async function reportScheduleTick(deps: ScheduleDeps, clock: Clock = deps.clock): Promise<RunSummary | null> {
  const month = monthDueAt(clock(), deps.calendar);
  if (month === null) return null;
  deps.logger?.info({ month }, 'monthly reports due');
  const summary = await runMonthlyReports({ month }, deps);
  deps.logger?.info({ month, generated: summary.generated, reused: summary.reused, failed: summary.failed,
    queued: summary.queued }, 'monthly reports done');
  deps.onSummary?.(summary);
  return summary;
}

/** Starts the daily wake-up; returns a handle to stop it. A run in progress is never overlapped by the next tick. */
export function startReportSchedule(deps: ScheduleDeps): { stop(): void } {
  const task = cron.schedule(deps.cronExpression ?? '0 7 * * *', async () => {
    try {
      await reportScheduleTick(deps);
    } catch (err) {
      deps.logger?.error({ err }, 'monthly report schedule failed');
    }
  }, { timezone: deps.calendar.zone, name: 'monthly-reports', noOverlap: true });
  return { stop: () => { void task.stop(); } };
}
