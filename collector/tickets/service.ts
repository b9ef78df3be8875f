// The ticket service: the life of a ticket once the pipeline (collector/pipeline/) opened it — acknowledge, escalate,
// resolve, close, the response warning — each change recorded in history and mailed, in the same transaction as the
// change (the outbox shares the database handle).
import type { BusinessCalendar } from '../../config/calendar.js';
import type { Plan } from '../../config/plans.js';
import type { Clock } from '../../lib/clock.js';
import { XpearsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { TicketRoutes } from '../notify/ticket-routes.js';
import type { Language, NotificationQueue } from '../notify/types.js';
import type { Customer, PlanId, RegistryReader } from '../registry/types.js';
import type { Db } from '../store/db.js';
import type { TriageRules } from '../triage/rules.js';
import { designatedContacts, uniqueRecipients, type Recipient } from './describe.js';
import { LEVELS, type Level, type TicketState } from './migrations.js';
import { TicketNotifier, type TicketChange, type ThreadingDeps } from './notify.js';
import { TicketRepository, type Ticket, type TicketComputer, type TicketFilter, type TicketHistoryEntry } from './repository.js';

/** An account manager, where the registry does not name one yet. */
export interface AccountManager { name: string; email: string; language?: Language }

/** What the lead constructs the service with. `queue` must write to `db` (same handle) for atomic mail. */
export interface TicketServiceDeps {
  db: Db;
  clock: Clock;
  registry: RegistryReader;
  plans: Readonly<Record<PlanId, Plan>>;
  calendar: BusinessCalendar;
  queue: NotificationQueue;
  /** The triage rules the pipeline (collector/pipeline/) classifies events by. */
  rules: TriageRules;
  onDuty: readonly Recipient[];
  logger: Logger;
  /** Language of stored titles and descriptions (default es). */
  language?: Language;
  /** Engineers told when a ticket reaches L2 or L3. */
  levelEngineers?: Partial<Record<'L2' | 'L3', readonly Recipient[]>>;
  /** CAM per customer id, told when a ticket escalates (Customer has no CAM field yet). */
  accountManagers?: Readonly<Record<string, AccountManager>>;
  /** notify.tickets: which steps go to which webhooks, and new cases to the help desk (none without it). */
  ticketRoutes?: TicketRoutes;
  /** Threads each reader's mails of a ticket (the composition root passes the cases' store); unthreaded without it. */
  mailThreads?: ThreadingDeps;
}

/** A ticket with everything `show` prints. */
export interface TicketDetail {
  ticket: Ticket;
  history: TicketHistoryEntry[];
  eventIds: string[];
  computers: TicketComputer[];
}

/** Walks tickets through their states; the pipeline (collector/pipeline/) opens and folds them. */
export class TicketService {
  readonly repo: TicketRepository;
  readonly notifier: TicketNotifier;
  readonly language: Language;
  /** The service's clock: commands and routes read it once per request. */
  readonly clock: Clock;
  private readonly log: Logger;

  constructor(readonly deps: TicketServiceDeps) {
    this.clock = deps.clock;
    this.repo = new TicketRepository(deps.db, deps.calendar.zone);
    this.notifier = new TicketNotifier({
      queue: deps.queue, zone: deps.calendar.zone, customerName: (id) => deps.registry.getCustomer(id)?.name,
      ...(deps.ticketRoutes ? { routes: deps.ticketRoutes } : {}),
      ...(deps.mailThreads ? { threads: deps.mailThreads } : {}),
    });
    this.language = deps.language ?? 'es';
    this.log = deps.logger.child({ component: 'tickets' });
  }

  /** The plan of a customer; Basic (the smallest promise) when the customer is unknown. */
  planOf(customer: Customer | undefined): Plan {
    return this.deps.plans[customer?.plan ?? 'basic'];
  }

  private stepRecipients(ticket: Ticket, extra: readonly Recipient[] = []): Recipient[] {
    const customer = this.deps.registry.getCustomer(ticket.customerId);
    return uniqueRecipients([...this.deps.onDuty], designatedContacts(customer, ticket.vendor, ticket.product, this.log), [...extra]);
  }

  /** The CAM of a customer: the registry's `cam` when it carries one, else the configuration map. */
  accountManagerOf(customerId: string): Recipient | undefined {
    // Customer has no `cam` field yet; read it if the registry adds it (an optional field), without requiring it.
    const customer = this.deps.registry.getCustomer(customerId) as (Customer & { cam?: AccountManager }) | undefined;
    const cam = customer?.cam ?? this.deps.accountManagers?.[customerId];
    return cam ? { name: cam.name, email: cam.email, language: cam.language ?? customer?.language ?? this.language } : undefined;
  }

  // Applies one change under the write lock: state check, update, history, mail, all or nothing.
  private change(idOrNumber: string, by: string, now: Date, change: TicketChange, allowed: readonly TicketState[],
    apply: (t: Ticket) => { fields: Partial<Ticket>; extra?: Recipient[] }, note?: string | null,
    mail: { missed?: boolean; agentBack?: boolean } = {}): Ticket {
    return this.repo.inTransaction(() => {
      const before = this.repo.get(idOrNumber);
      if (!before) throw new XpearsError('NOT_FOUND', `no ticket ${idOrNumber}`);
      if (!allowed.includes(before.state)) {
        throw new XpearsError('STATE_CONFLICT', `ticket ${before.number} is ${before.state}: it cannot be ${change}`);
      }
      const { fields, extra } = apply(before);
      const at = now.toISOString();
      this.repo.update(before.id, fields, at);
      const after = this.repo.get(before.id) as Ticket;
      const historyId = this.repo.addHistory({ ticketId: before.id, at, actor: by, action: change, fromState: before.state,
        toState: after.state, fromLevel: before.level, toLevel: after.level, note: note ?? null });
      this.notifier.changed(after, historyId, change, this.stepRecipients(after, extra), { by, at: now, note, ...mail });
      this.log.info({ ticket: after.number, change, by }, 'ticket changed');
      return after;
    });
  }

  private firstResponse(t: Ticket, now: Date): Partial<Ticket> {
    if (t.firstResponseAt) return {};
    return { firstResponseAt: now.toISOString(), responseMet: now.getTime() <= Date.parse(t.responseDueAt) };
  }

  /** An engineer takes the ticket: the first response (met or missed against the due time). */
  acknowledge(idOrNumber: string, by: string, now: Date, note?: string): Ticket {
    return this.change(idOrNumber, by, now, 'acknowledged', ['open'], (t) => ({
      fields: { state: 'acknowledged', assignee: t.assignee ?? by, ...this.firstResponse(t, now) },
    }), note);
  }

  /** Raises the ticket one level (L1 → L2 → L3); tells that level's engineers and the customer's CAM. */
  escalate(idOrNumber: string, by: string, note: string | null, now: Date, opts: { missed?: boolean } = {}): Ticket {
    return this.change(idOrNumber, by, now, 'escalated', ['open', 'acknowledged'], (t) => {
      const next = LEVELS[LEVELS.indexOf(t.level) + 1] as Level | undefined;
      if (!next) throw new XpearsError('STATE_CONFLICT', `ticket ${t.number} is at L3 already`);
      const cam = this.accountManagerOf(t.customerId);
      const extra = [...(this.deps.levelEngineers?.[next as 'L2' | 'L3'] ?? []), ...(cam ? [cam] : [])];
      return { fields: { level: next, ...(opts.missed ? { escalatedAt: now.toISOString() } : {}) }, extra };
    }, note, { missed: opts.missed });
  }

  /** The case is solved; a resolution without an earlier acknowledgement counts as the first response. */
  resolve(idOrNumber: string, by: string, note: string | null, now: Date, opts: { agentBack?: boolean } = {}): Ticket {
    return this.change(idOrNumber, by, now, 'resolved', ['open', 'acknowledged'], (t) => ({
      fields: { state: 'resolved', resolvedAt: now.toISOString(), ...this.firstResponse(t, now) },
    }), note, { agentBack: opts.agentBack });
  }

  /** Closes the ticket (after resolution, or directly when it was a false alarm). */
  close(idOrNumber: string, by: string, note: string | null, now: Date): Ticket {
    return this.change(idOrNumber, by, now, 'closed', ['open', 'acknowledged', 'resolved'], () => ({
      fields: { state: 'closed', closedAt: now.toISOString() },
    }), note);
  }

  /**
   * Warns the on-duty engineers that a first response is nearly due; once per ticket (warned_at, checked under the
   * write lock). Returns false when it was warned already or is no longer waiting for a response.
   */
  warn(idOrNumber: string, status: { fractionUsed: number; remainingMinutes: number }, now: Date): boolean {
    return this.repo.inTransaction(() => {
      const t = this.repo.get(idOrNumber);
      if (!t || t.warnedAt || t.state !== 'open' || t.firstResponseAt) return false;
      const at = now.toISOString();
      this.repo.update(t.id, { warnedAt: at }, at);
      this.repo.addHistory({ ticketId: t.id, at, actor: 'system', action: 'warned', fromState: t.state, toState: t.state,
        fromLevel: t.level, toLevel: t.level, note: `${Math.floor(status.fractionUsed * 100)} % of the response target used` });
      const customer = this.deps.registry.getCustomer(t.customerId);
      this.notifier.warning(t, customer?.name ?? t.customerId, status.fractionUsed, status.remainingMinutes, [...this.deps.onDuty], now);
      return true;
    });
  }

  /**
   * The scheduler's escalation of a missed first response: one level up (L2 and the CAM told), once per ticket even
   * when two schedulers race (escalated_at, checked under the write lock). False when there was nothing to do.
   */
  escalateMissed(idOrNumber: string, now: Date): boolean {
    return this.repo.inTransaction(() => {
      const t = this.repo.get(idOrNumber);
      if (!t || t.escalatedAt || t.state !== 'open' || t.firstResponseAt) return false;
      const at = now.toISOString();
      // At L3 already: nothing higher to raise it to; recorded so the scheduler stops looking.
      if (t.level === 'L3') {
        this.repo.update(t.id, { escalatedAt: at }, at);
        this.notifier.breached(t, now);
      } else this.escalate(t.id, 'system', null, now, { missed: true });
      return true;
    });
  }

  /** Tickets matching a filter, newest first. */
  list(filter: TicketFilter = {}): Ticket[] {
    return this.repo.list(filter);
  }

  /** One ticket (by id or number) with its history, events and computers. */
  show(idOrNumber: string): TicketDetail {
    const ticket = this.repo.get(idOrNumber);
    if (!ticket) throw new XpearsError('NOT_FOUND', `no ticket ${idOrNumber}`);
    return { ticket, history: this.repo.history(ticket.id), eventIds: this.repo.eventIds(ticket.id), computers: this.repo.computers(ticket.id) };
  }
}
