// `xpears sla due`: when is the first answer to a case due, so an engineer can answer a customer's "when?" without
// doing the arithmetic. A plain function over its inputs; the CLI entry wires it and prints the string it returns.
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../config/calendar.js';
import { CASE_KINDS, type CaseKind, type Plan } from '../../config/plans.js';
import { XpearsError } from '../../lib/errors.js';
import { PLAN_IDS, type PlanId } from '../registry/types.js';
import { responseDueAt } from '../tickets/sla.js';

/** What `sla due` needs besides its arguments: the resolved plan catalogue and the business calendar. */
export interface SlaDueDeps {
  plans: Readonly<Record<PlanId, Plan>>;
  calendar: BusinessCalendar;
}

/** The arguments of `sla due`, as typed on the command line (validated here). */
export interface SlaDueArgs {
  /** basic | advanced | managed | premium. */
  plan: string;
  /** threat-incident | severity-1 … severity-4. */
  caseKind: string;
  /** ISO 8601 instant; with an offset or Z, or without one to mean wall time in the calendar's zone. */
  at: string;
}

function isPlanId(value: string): value is PlanId {
  return (PLAN_IDS as readonly string[]).includes(value);
}

function isCaseKind(value: string): value is CaseKind {
  return (CASE_KINDS as readonly string[]).includes(value);
}

/** Parses the `--at` argument into an instant; a time without offset is read in `zone`. */
export function parseAt(at: string, zone: string): Date {
  const text = at.trim();
  // A date alone would silently mean midnight; the engineer is asked for the time the case arrived.
  const parsed = text.includes('T') ? DateTime.fromISO(text, { zone }) : undefined;
  if (parsed === undefined || !parsed.isValid) {
    throw new XpearsError('INVALID_ARGUMENT',
      `--at "${at}" is not an ISO 8601 date and time; write e.g. 2026-03-20T15:00:00-03:00 or 2026-03-20T18:00:00Z`);
  }
  return parsed.toJSDate();
}

/** The due time of the first response, ISO 8601 with the calendar zone's offset (e.g. 2026-03-20T15:30:00-03:00). */
export function slaDue(args: SlaDueArgs, deps: SlaDueDeps): string {
  if (!isPlanId(args.plan)) {
    throw new XpearsError('INVALID_ARGUMENT', `--plan "${args.plan}" is not a plan; use one of ${PLAN_IDS.join(', ')}`);
  }
  if (!isCaseKind(args.caseKind)) {
    throw new XpearsError('INVALID_ARGUMENT', `--case "${args.caseKind}" is not a case kind; use one of ${CASE_KINDS.join(', ')}`);
  }
  const openedAt = parseAt(args.at, deps.calendar.zone);
  const dueAt = responseDueAt({ plan: deps.plans[args.plan], caseKind: args.caseKind, openedAt, calendar: deps.calendar });
  return DateTime.fromJSDate(dueAt, { zone: deps.calendar.zone }).toISO({ suppressMilliseconds: true }) ?? dueAt.toISOString();
}
