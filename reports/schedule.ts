// The monthly schedule: the previous month's reports are due from the first working day of a month, at the
// configured hour in the calendar's zone, until the month ends. They run at start-up and on every hourly tick while
// due and not done (the ledger, collector/schedule/ledger.ts), so a collector down or restarting at that minute runs
// them when it is back, and never twice: a month is recorded done once every customer's report went out.
import cron from 'node-cron';
import type { BusinessCalendar } from '../config/calendar.js';
import type { Clock } from '../lib/clock.js';
import type { ScheduleLedger } from '../collector/schedule/ledger.js';
import { monthKey, previousMonthKey } from './month.js';
import { runMonthlyReports, type ReportDeps, type RunSummary } from './run.js';

/** The ledger's name for the monthly reports. */
export const REPORTS_JOB = 'reports.monthly';

/** What the schedule needs besides the report dependencies. */
export interface ScheduleDeps extends ReportDeps {
  calendar: Pick<BusinessCalendar, 'zone' | 'firstWorkingDayOfMonth' | 'localDate'>;
  /** Local hour of the first working day from which the month is due (default 0: the day's start). */
  hour?: number;
  /** Where done months are recorded; without it every tick while due runs the month again (mails deduplicated). */
  ledger?: Pick<ScheduleLedger, 'done' | 'markDone'>;
  /** Cron expression of the ticks, in the calendar's zone; default every hour on the hour. */
  cronExpression?: string;
  onSummary?: (summary: RunSummary) => void;
}

function localHour(now: Date, zone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(now));
}

/** The month to report on at `now`: the previous month once this month's first working day reached `hour`, else null. */
export function monthDueAt(now: Date, calendar: ScheduleDeps['calendar'], hour = 0): string | null {
  const today = calendar.localDate(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const first = calendar.firstWorkingDayOfMonth(year, month);
  if (today < first || (today === first && localHour(now, calendar.zone) < hour)) return null;
  return previousMonthKey(monthKey(year, month));
}

/** One tick: runs the due month unless the ledger has it done. Exposed so tests and `report run` share the path. */
export async function reportScheduleTick(deps: ScheduleDeps, clock: Clock = deps.clock): Promise<RunSummary | null> {
  const month = monthDueAt(clock(), deps.calendar, deps.hour);
  if (month === null || deps.ledger?.done(REPORTS_JOB, month)) return null;
  deps.logger?.info({ month }, 'monthly reports due');
  const summary = await runMonthlyReports({ month }, deps);
  deps.logger?.info({ month, generated: summary.generated, reused: summary.reused, failed: summary.failed,
    queued: summary.queued }, 'monthly reports done');
  // A month with a failed customer stays due: the next tick tries again (the others are reused, their mails deduplicated).
  if (summary.failed === 0) deps.ledger?.markDone(REPORTS_JOB, month, clock(), { generated: summary.generated, queued: summary.queued });
  deps.onSummary?.(summary);
  return summary;
}

/** Runs a tick now (catch-up) and then every hour; returns a handle to stop it. Ticks never overlap. */
export function startReportSchedule(deps: ScheduleDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<unknown> => {
    running = running.then(() => reportScheduleTick(deps)).catch((err: unknown) => deps.logger?.error({ err }, 'monthly report schedule failed'));
    return running;
  };
  void tick();
  const task = cron.schedule(deps.cronExpression ?? '0 * * * *', () => tick(), { timezone: deps.calendar.zone, name: 'monthly-reports', noOverlap: true });
  return { stop: async () => { await task.stop(); await running; } };
}
