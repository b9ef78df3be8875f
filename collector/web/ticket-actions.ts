// The console's ticket actions. Acknowledge, escalate, resolve and close go through the ticket service's lifecycle
// (state checks, history, mail in one transaction); take, note, reply, severity and reopen, which the service does
// not offer yet, are written here with the repository's public methods under the same write lock, each with its
// history line naming the engineer.
import type { CaseKind } from '../../config/plans.js';
import { CASE_KINDS } from '../../config/plans.js';
import { XpearsError } from '../../lib/errors.js';
import type { NotificationOutbox } from '../notify/outbox.js';
import type { RegistryReader } from '../registry/types.js';
import type { BusinessCalendar } from '../../config/calendar.js';
import { designatedContacts, type Ticket, type TicketService } from '../tickets/index.js';
import { responseDueAt } from '../tickets/sla.js';
import type { CaseService } from '../cases/service.js';

/** The action names the ticket page POSTs. */
export const TICKET_ACTIONS = ['take', 'ack', 'note', 'reply', 'severity', 'escalate', 'resolve', 'close', 'reopen'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** What an action needs. */
export interface ActionDeps { tickets: TicketService; outbox: NotificationOutbox; registry: RegistryReader; calendar: BusinessCalendar;
  /** Customers' cases (collector/cases/): a reply on a case is a public comment mailed to its requester, threaded. */
  cases?: CaseService }

/** The form fields an action may carry. */
export interface ActionInput { note?: string; subject?: string; text?: string; caseKind?: string }

function record(deps: ActionDeps, id: string, by: string, now: Date, action: string, fields: Partial<Ticket>, note: string | null,
  allowed?: readonly Ticket['state'][]): Ticket {
  const repo = deps.tickets.repo;
  return repo.inTransaction(() => {
    const before = repo.get(id);
    if (!before) throw new XpearsError('NOT_FOUND', `no ticket ${id}`);
    if (allowed && !allowed.includes(before.state)) throw new XpearsError('STATE_CONFLICT', `ticket ${before.number} is ${before.state}`);
    const at = now.toISOString();
    try {
      if (Object.keys(fields).length > 0) repo.update(before.id, fields, at);
    } catch (err) {
      // The partial unique index: another ticket of the same key is open now.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new XpearsError('STATE_CONFLICT', `another open ticket has the key of ${before.number}`);
      throw err;
    }
    const after = repo.get(before.id) as Ticket;
    const historyId = repo.addHistory({ ticketId: before.id, at, actor: by, action, fromState: before.state, toState: after.state,
      fromLevel: before.level, toLevel: after.level, note });
    if (action === 'replied') mailContacts(deps, after, historyId, note ?? '', now);
    return after;
  });
}

// The reply to the ticket's designated contacts, through the outbox (same transaction as its history line), in each
// contact's thread of the ticket (the ticket notifier's).
function mailContacts(deps: ActionDeps, ticket: Ticket, historyId: number, text: string, now: Date): void {
  const contacts = designatedContacts(deps.registry.getCustomer(ticket.customerId), ticket.vendor);
  if (contacts.length === 0) throw new XpearsError('STATE_CONFLICT', `ticket ${ticket.number} has no designated contacts to reply to`);
  const [subject, ...body] = text.split('\n');
  deps.tickets.notifier.reply(ticket, historyId, contacts, subject!, body.join('\n').trim() || subject!, now);
}

function severity(deps: ActionDeps, id: string, by: string, now: Date, value: string | undefined): Ticket {
  if (!value || !(CASE_KINDS as readonly string[]).includes(value)) throw new XpearsError('INVALID_ARGUMENT', `unknown case kind "${value ?? ''}"`);
  const t = deps.tickets.repo.get(id);
  if (!t) throw new XpearsError('NOT_FOUND', `no ticket ${id}`);
  const plan = deps.tickets.planOf(deps.registry.getCustomer(t.customerId));
  const due = responseDueAt({ plan, caseKind: value as CaseKind, openedAt: new Date(t.openedAt), calendar: deps.calendar });
  const met = t.firstResponseAt ? Date.parse(t.firstResponseAt) <= due.getTime() : null;
  return record(deps, id, by, now, 'severity', { caseKind: value as CaseKind, responseDueAt: due.toISOString(), warnedAt: null,
    ...(met === null ? {} : { responseMet: met }) }, `${t.caseKind} -> ${value}; ${due.toISOString()}`, ['open', 'acknowledged']);
}

/** Runs one action as `by`; throws STATE_CONFLICT (409) when the ticket's state does not allow it. */
export function runTicketAction(deps: ActionDeps, action: TicketAction, id: string, by: string, input: ActionInput, now: Date): Ticket {
  const note = input.note?.trim() ? input.note.trim().slice(0, 4000) : null;
  const s = deps.tickets;
  switch (action) {
    case 'ack': return s.acknowledge(id, by, now, note ?? undefined);
    case 'escalate': return s.escalate(id, by, note, now);
    case 'resolve': return s.resolve(id, by, note, now);
    case 'close': return s.close(id, by, note, now);
    case 'take': return record(deps, id, by, now, 'taken', { assignee: by }, note, ['open', 'acknowledged']);
    case 'note':
      if (!note) throw new XpearsError('INVALID_ARGUMENT', 'the note is empty');
      return record(deps, id, by, now, 'note', {}, note);
    case 'reply': {
      const subject = input.subject?.trim(); const text = input.text?.trim();
      if (!subject || !text) throw new XpearsError('INVALID_ARGUMENT', 'the reply needs a subject and a message');
      const cases = deps.cases;
      if (cases?.get(id)?.requesterEmail) {
        return s.repo.inTransaction(() => {
          cases.comment(id, { author: by, authorKind: 'engineer', visibility: 'public', via: 'console', body: text.slice(0, 8000) }, now);
          return record(deps, id, by, now, 'case-replied', {}, `${subject.slice(0, 200)}\n${text.slice(0, 8000)}`);
        });
      }
      return record(deps, id, by, now, 'replied', {}, `${subject.slice(0, 200)}\n${text.slice(0, 8000)}`);
    }
    case 'severity': {
      // On a case a person opened, the engineer's choice is the confirmed severity ("tras confirmación").
      const cases = deps.cases;
      if (!cases || (cases.get(id)?.origin ?? 'alert') === 'alert') return severity(deps, id, by, now, input.caseKind);
      return s.repo.inTransaction(() => {
        const t = severity(deps, id, by, now, input.caseKind);
        cases.store.setFields(t.id, { severityConfirmedBy: by, severityConfirmedAt: now.toISOString() });
        return t;
      });
    }
    case 'reopen': {
      const t = s.repo.get(id);
      return record(deps, id, by, now, 'reopened', { state: t?.firstResponseAt ? 'acknowledged' : 'open', resolvedAt: null, closedAt: null },
        note, ['resolved', 'closed']);
    }
  }
}
