// Customers' cases in the one ticket queue: a case a person opens (mail, portal, an engineer on the phone) is a ticket
// with origin, requester, product and platform and the priority asked for; its due time follows the plan's matrix in
// business hours like an alert's. Comments (public or internal) and every mail of the case, threaded, live here.
import type { Language } from '../../lib/people.js';
import { uuidv7 } from '../../lib/ids.js';
import { XpearsError } from '../../lib/errors.js';
import type { Customer, Contact } from '../registry/types.js';
import type { TicketService } from '../tickets/service.js';
import { responseDueAt } from '../tickets/sla.js';
import { formatInstant } from '../tickets/describe.js';
import type { Ticket } from '../tickets/repository.js';
import { threadHeaders } from '../tickets/notify.js';
import type { CaseOrigin } from './migrations.js';
import { CaseStore, type CaseComment, type CaseTicket } from './store.js';
import { caseAcknowledgedMail, caseActivityMail, caseAnswerMail } from './templates.js';

/** What opening a case takes. */
export interface NewCase {
  customerId: string;
  origin: Exclude<CaseOrigin, 'alert'>;
  requester: { name: string; email: string; language: Language };
  title: string;
  description: string;
  vendor?: string | null;
  product?: string | null;
  productVersion?: string | null;
  os?: string | null;
  osVersion?: string | null;
  /** Nivel 1 (critical) … 4 (low), as the manuals name it. */
  priority: 1 | 2 | 3 | 4;
  /** The Message-ID of the mail that opened it: the thread's root. */
  messageId?: string;
  /** Who recorded it (an engineer for a phone case). */
  by?: string;
}

/** A comment to add. */
export interface NewComment {
  author: string;
  authorKind: CaseComment['authorKind'];
  visibility: CaseComment['visibility'];
  via: CaseComment['via'];
  body: string;
  /** The Message-ID of the mail that carried it. */
  messageId?: string;
}

/** What the case service needs besides the ticket service. */
export interface CaseServiceOptions {
  /** The domain of outgoing Message-IDs (the notify `from` address's): `<outboxId@domain>`. */
  mailDomain: string;
  /** The portal's address for mails (none: not mentioned). */
  portalUrl?: string;
}

const clean = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);

/** Opens, answers and reads customers' cases over the ticket service's database and outbox. */
export class CaseService {
  readonly store: CaseStore;

  constructor(readonly tickets: TicketService, readonly options: CaseServiceOptions) {
    this.store = new CaseStore(tickets.deps.db);
  }

  /** A ticket with its case fields. */
  get(idOrNumber: string): CaseTicket | undefined {
    return this.tickets.repo.get(idOrNumber) as CaseTicket | undefined;
  }

  /** Opens a case: the ticket, its first comment, the acknowledgement to the requester and the engineers' notice. */
  open(input: NewCase, now: Date): CaseTicket {
    const customer = this.tickets.deps.registry.getCustomer(input.customerId);
    if (!customer) throw new XpearsError('NOT_FOUND', `no customer ${input.customerId}`);
    const plan = this.tickets.planOf(customer);
    const caseKind = `severity-${input.priority}` as const;
    const due = responseDueAt({ plan, caseKind, openedAt: now, calendar: this.tickets.deps.calendar });
    const at = now.toISOString();
    const title = input.title.trim().slice(0, 200) || '(sin asunto)';
    return this.tickets.repo.inTransaction(() => {
      const id = uuidv7(now.getTime());
      const t = this.tickets.repo.insert({ id, customerId: customer.id, agentId: null, caseKind, rule: `case/${input.origin}`,
        dedupKey: `case:${id}`, windowMinutes: 0, vendor: clean(input.vendor), product: clean(input.product), eventType: null, title,
        description: input.description, titles: { [input.requester.language]: title }, language: input.requester.language,
        openedAt: at, responseDueAt: due.toISOString(), count: 1, firstSeenAt: at, lastSeenAt: at });
      this.store.setFields(id, { origin: input.origin, requesterEmail: input.requester.email.toLowerCase(), requesterName: input.requester.name,
        productVersion: clean(input.productVersion), os: clean(input.os), osVersion: clean(input.osVersion), requestedPriority: input.priority });
      this.tickets.repo.addHistory({ ticketId: id, at, actor: input.by ?? input.requester.email, action: 'opened', fromState: null,
        toState: 'open', fromLevel: null, toLevel: t.level, note: `origin ${input.origin}, requested priority ${input.priority}` });
      if (input.messageId) this.store.addMessage(input.messageId, id, 'in', input.requester.email, at);
      this.mailRequester(t, input.requester, 'ack', caseAcknowledgedMail.render(input.requester.language, {
        recipientName: input.requester.name, number: t.number, title, planName: plan.name, priority: input.priority,
        dueAt: formatInstant(t.responseDueAt, input.requester.language, this.tickets.deps.calendar.zone), portalUrl: this.options.portalUrl ?? '',
      }), at);
      this.tellEngineers(t, customer, input.requester.name, input.description, true, input.origin, at);
      return this.get(id) as CaseTicket;
    });
  }

  /** Adds a comment. A contact's reopens nothing by itself; an engineer's public one is mailed to the requester. */
  comment(idOrNumber: string, c: NewComment, now: Date): CaseComment {
    const at = now.toISOString();
    return this.tickets.repo.inTransaction(() => {
      const t = this.get(idOrNumber);
      if (!t) throw new XpearsError('NOT_FOUND', `no ticket ${idOrNumber}`);
      const body = c.body.trim();
      if (!body) throw new XpearsError('INVALID_ARGUMENT', 'an empty comment');
      const id = this.store.addComment({ ticketId: t.id, at, author: c.author, authorKind: c.authorKind, visibility: c.visibility, via: c.via, body });
      this.tickets.repo.update(t.id, {}, at);
      if (c.messageId) this.store.addMessage(c.messageId, t.id, 'in', c.author, at);
      if (c.authorKind === 'engineer' && c.visibility === 'public') this.answerRequester(t, c.author, body, id, at);
      if (c.authorKind === 'contact') {
        // On the engineer's ticket page at once: the timeline lists the history.
        this.tickets.repo.addHistory({ ticketId: t.id, at, actor: c.author, action: 'contact-replied', fromState: t.state, toState: t.state,
          fromLevel: t.level, toLevel: t.level, note: body.slice(0, 4000) });
        const customer = this.tickets.deps.registry.getCustomer(t.customerId);
        if (customer) this.tellEngineers(t, customer, c.author, body, false, c.via, at, `c${id}`);
      }
      return { id, ticketId: t.id, at, author: c.author, authorKind: c.authorKind, visibility: c.visibility, via: c.via, body };
    });
  }

  // An engineer's public answer: mailed to the requester (or the designated contacts of an alert) and the first response.
  private answerRequester(t: CaseTicket, author: string, body: string, commentId: number, at: string): void {
    if (!t.firstResponseAt) {
      this.tickets.repo.update(t.id, { firstResponseAt: at, responseMet: Date.parse(at) <= Date.parse(t.responseDueAt) }, at);
    }
    const to = this.requesterOf(t);
    if (!to) return;
    this.mailRequester(t, to, `c${commentId}`, caseAnswerMail.render(to.language, {
      recipientName: to.name, number: t.number, title: t.titles[to.language] ?? t.title, author, body,
    }), at);
  }

  /** The requester of a case as a recipient (the registry's contact when known, for name and language). */
  requesterOf(t: CaseTicket): { name: string; email: string; language: Language } | undefined {
    if (!t.requesterEmail) return undefined;
    const contact = this.contactOf(t.customerId, t.requesterEmail);
    return { name: contact?.name ?? t.requesterName ?? t.requesterEmail, email: t.requesterEmail, language: contact?.language ?? t.language };
  }

  /** The customer's contact with this address, if any. */
  contactOf(customerId: string, email: string): Contact | undefined {
    const customer = this.tickets.deps.registry.getCustomer(customerId);
    return customer?.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase());
  }

  // Queues one mail of the case to its requester, and records its Message-ID.
  private mailRequester(t: Ticket, to: { email: string }, step: string, message: { subject: string; text: string }, at: string): void {
    this.mailThreaded(t, to.email, `case:${t.id}:${step}:${to.email.toLowerCase()}`, message, at);
  }

  // One mail of the ticket in the reader's thread (her own mails of the ticket, in and out, as the ticket notifier's).
  private mailThreaded(t: Ticket, email: string, dedupKey: string, message: { subject: string; text: string }, at: string): void {
    const thread = threadHeaders(this.store.threadOf(t.id, email));
    const outboxId = this.tickets.deps.queue.enqueue({
      channel: 'email', to: [email], message, dedupKey,
      subjectRef: { kind: 'ticket', id: t.id, customerId: t.customerId }, ...(thread ? { payload: { thread } } : {}),
    });
    this.store.recordOut(`<${outboxId}@${this.options.mailDomain}>`, t.id, email, at);
  }

  // The on-duty engineers hear of a new case or a contact's words.
  private tellEngineers(t: Ticket, customer: Customer, author: string, body: string, opened: boolean, via: string, at: string, step = 'opened'): void {
    for (const to of this.tickets.deps.onDuty) {
      this.mailThreaded(t, to.email, `case:${t.id}:eng:${step}:${to.email.toLowerCase()}`,
        caseActivityMail.render(to.language, { recipientName: to.name, number: t.number, title: t.titles[to.language] ?? t.title,
          customer: customer.name, author, body, opened, via }), at);
    }
  }

  /** An engineer confirms the severity (Nivel 1–4): the case kind and its due time follow, from the opening. */
  confirmSeverity(idOrNumber: string, priority: 1 | 2 | 3 | 4, by: string, now: Date): CaseTicket {
    return this.tickets.repo.inTransaction(() => {
      const t = this.get(idOrNumber);
      if (!t) throw new XpearsError('NOT_FOUND', `no ticket ${idOrNumber}`);
      const caseKind = `severity-${priority}` as const;
      const plan = this.tickets.planOf(this.tickets.deps.registry.getCustomer(t.customerId));
      const due = responseDueAt({ plan, caseKind, openedAt: new Date(t.openedAt), calendar: this.tickets.deps.calendar });
      const at = now.toISOString();
      this.tickets.repo.update(t.id, { caseKind, responseDueAt: due.toISOString() }, at);
      this.store.setFields(t.id, { severityConfirmedBy: by, severityConfirmedAt: at });
      this.tickets.repo.addHistory({ ticketId: t.id, at, actor: by, action: 'severity-confirmed', fromState: t.state, toState: t.state,
        fromLevel: t.level, toLevel: t.level, note: `${t.caseKind} → ${caseKind}` });
      return this.get(t.id) as CaseTicket;
    });
  }

  /** Reopens a resolved or closed case within `periodDays` of its closing (the contact's right in the portal). */
  reopen(idOrNumber: string, by: string, periodDays: number, now: Date): CaseTicket {
    return this.tickets.repo.inTransaction(() => {
      const t = this.get(idOrNumber);
      if (!t) throw new XpearsError('NOT_FOUND', `no ticket ${idOrNumber}`);
      if (t.state !== 'resolved' && t.state !== 'closed') throw new XpearsError('STATE_CONFLICT', `ticket ${t.number} is ${t.state}`);
      const since = Date.parse(t.closedAt ?? t.resolvedAt ?? t.updatedAt);
      if (now.getTime() - since > periodDays * 86_400_000) throw new XpearsError('STATE_CONFLICT', `ticket ${t.number} closed over ${periodDays} days ago`);
      const at = now.toISOString();
      this.tickets.repo.update(t.id, { state: 'open', resolvedAt: null, closedAt: null }, at);
      this.tickets.repo.addHistory({ ticketId: t.id, at, actor: by, action: 'reopened', fromState: t.state, toState: 'open',
        fromLevel: t.level, toLevel: t.level, note: null });
      return this.get(t.id) as CaseTicket;
    });
  }
}
