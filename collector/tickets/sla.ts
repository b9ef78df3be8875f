// Response targets of tickets: when the first answer is due, and how far along the clock is. Pure: "now" is passed
// in by the caller (the escalation scheduler reads its clock once per pass), and business time comes from the
// calendar, except for 7x24 plans, whose clock never stops.
import type { BusinessCalendar } from '../../config/calendar.js';
import { clockCalendar } from '../../config/calendar.js';
import type { CaseKind, Plan } from '../../config/plans.js';
import { XpearsError } from '../../lib/errors.js';

/** Where a response target stands at one instant. */
export interface ResponseStatus {
  /** true: answered by the due time; false: answered late, or not answered and past due; null: still open in time. */
  met: boolean | null;
  /** Business minutes from the first response (or now) to the due time; negative once past due. */
  remainingMinutes: number;
  /** Business time used over the whole target (0 … 1, above 1 once past due); the scheduler warns at 0.75. */
  fractionUsed: number;
}

/** The calendar a plan's target runs on: the business calendar, or plain clock time when the plan is 7x24. */
export function slaCalendar(plan: Pick<Plan, 'allHours'>, calendar: BusinessCalendar): BusinessCalendar {
  return plan.allHours && !calendar.allHours ? clockCalendar : calendar;
}

/** The instant the first response to a case is due: the plan's target for the case kind, counted from `openedAt`. */
export function responseDueAt(input: {
  plan: Plan;
  caseKind: CaseKind;
  openedAt: Date;
  calendar: BusinessCalendar;
}): Date {
  const minutes = input.plan.responseMinutes[input.caseKind];
  if (minutes === undefined) {
    throw new XpearsError('INVALID_ARGUMENT', `plan ${input.plan.id} has no response target for "${String(input.caseKind)}"`);
  }
  return slaCalendar(input.plan, input.calendar).addBusinessTime(input.openedAt, minutes);
}

/**
 * Where a response target stands at `now`: met or not, business minutes left, and the fraction of the target used.
 * A response exactly at the due time is in time. Once answered, the figures freeze at the moment of the answer.
 */
export function responseStatus(input: {
  plan: Pick<Plan, 'allHours'>;
  openedAt: Date;
  dueAt: Date;
  firstResponseAt?: Date | null;
  now: Date;
  calendar: BusinessCalendar;
}): ResponseStatus {
  const cal = slaCalendar(input.plan, input.calendar);
  const answered = input.firstResponseAt ?? undefined;
  const until = answered ?? input.now;
  const due = input.dueAt.getTime();
  const met = answered !== undefined ? answered.getTime() <= due : input.now.getTime() > due ? false : null;
  const remainingMinutes = cal.businessTimeBetween(until, input.dueAt);
  const target = cal.businessTimeBetween(input.openedAt, input.dueAt);
  const used = cal.businessTimeBetween(input.openedAt, until);
  // A zero target has nothing to divide: it is all used as soon as its due instant arrives.
  const fractionUsed = target > 0 ? Math.max(0, used) / target : until.getTime() >= due ? 1 : 0;
  return { met, remainingMinutes, fractionUsed };
}

/** Whether the warning before a missed target is due: open, not past due, and at least `threshold` of it used. */
export function responseWarningDue(status: ResponseStatus, threshold = 0.75): boolean {
  return status.met === null && status.fractionUsed >= threshold;
}
