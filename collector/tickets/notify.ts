// Ticket mail: who is told, in which language, with which template, under which dedup key; and the same steps on the
// webhooks and help desk that notify.tickets names (channels.ts). Every message is rendered here and handed to the
// NotificationQueue in the caller's transaction; the key makes a retried step queue nothing twice. Each reader's mails
// of one ticket form one thread (Message-ID, In-Reply-To, References): a reply to any of them finds the ticket.
import type { Plan } from '../../config/plans.js';
import { routeFor, type TicketRoutes, type TicketStep } from '../notify/ticket-routes.js';
import type { Language, NotificationQueue } from '../notify/types.js';
import type { Recipient } from '../registry/recipients.js';
import { ticketHelpdeskMessage, ticketWebhookMessage, type StepDetail } from './channels.js';
import { formatInstant } from './describe.js';
import type { Ticket } from './repository.js';
import { responseWarningMail, ticketChangedMail, ticketOpenedMail } from './step-templates.js';

/** The change a state mail announces. */
export type TicketChange = 'acknowledged' | 'escalated' | 'resolved' | 'closed';

/** A ticket's title (subject) and description (text) in one language. */
export type Describe = (language: Language) => { subject: string; text: string };

/** The Message-IDs of each ticket's mails per address, in and out (collector/cases/store.ts keeps them in
 *  case_messages, where the mail intake looks a reply's In-Reply-To/References up). */
export interface MailThreads {
  /** The Message-IDs of the ticket's mails to and from an address, oldest first. */
  threadOf(ticketId: string, address: string): string[];
  /** Records a mail queued to an address. */
  recordOut(messageId: string, ticketId: string, address: string, at: string): void;
}

/** Where threading writes and how an outbox id becomes the Message-ID the e-mail channel will give the mail. */
export interface ThreadingDeps {
  store: MailThreads;
  messageIdOf(outboxId: string): string;
}

/** The most References a mail carries: the thread's first mail and the latest ones (RFC 5322 allows trimming). */
export const MAX_REFERENCES = 10;

/** In-Reply-To and References of the next mail of a thread, or undefined for its first. */
export function threadHeaders(earlier: readonly string[]): { inReplyTo: string; references: string[] } | undefined {
  if (earlier.length === 0) return undefined;
  const references = earlier.length <= MAX_REFERENCES ? [...earlier] : [earlier[0]!, ...earlier.slice(-(MAX_REFERENCES - 1))];
  return { inReplyTo: earlier[earlier.length - 1]!, references };
}

/** What the notifier needs. */
export interface TicketNotifierDeps {
  queue: NotificationQueue;
  zone: string;
  /** notify.tickets: the webhooks and help desk of each customer's tickets; none without it. */
  routes?: TicketRoutes;
  /** A customer's name for webhook and help-desk texts (its id when unknown). */
  customerName?: (customerId: string) => string | undefined;
  /** Threads each reader's mails of a ticket; without it every mail stands alone. */
  threads?: ThreadingDeps;
}

/** Renders and queues the mails of one ticket's life. */
export class TicketNotifier {
  constructor(private readonly deps: TicketNotifierDeps) {}

  // One mail to one reader, in reply to that reader's earlier mails of the ticket; its Message-ID joins the thread.
  private send(ticket: Ticket, step: string, to: Pick<Recipient, 'email'>, message: { subject: string; text: string }, at: Date): void {
    const threads = this.deps.threads;
    const thread = threads ? threadHeaders(threads.store.threadOf(ticket.id, to.email)) : undefined;
    const outboxId = this.deps.queue.enqueue({
      channel: 'email',
      to: [to.email],
      message,
      dedupKey: `ticket:${ticket.id}:${step}:${to.email.toLowerCase()}`,
      subjectRef: { kind: 'ticket', id: ticket.id, customerId: ticket.customerId },
      // The e-mail channel puts payload.thread on the mail (collector/notify/email/channel.ts).
      ...(thread ? { payload: { thread } } : {}),
    });
    threads?.store.recordOut(threads.messageIdOf(outboxId), ticket.id, to.email, at.toISOString());
  }

  /** An engineer's free-text reply to the ticket's contacts (the console's "reply"), threaded like every step mail. */
  reply(ticket: Ticket, historyId: number, recipients: readonly Pick<Recipient, 'email'>[], subject: string, text: string, at: Date): void {
    for (const to of recipients) {
      this.send(ticket, `reply:h${historyId}`, to, { subject: `[${ticket.number}] ${subject}`, text }, at);
    }
  }

  /** A mail of the ticket's life rendered elsewhere (the outbreak's update, collector/noise/storm-mail.ts): one per
   *  reader in the reader's language, threaded like every step mail; `step` names it in the dedup key. */
  update(ticket: Ticket, step: string, recipients: readonly Pick<Recipient, 'email' | 'language'>[],
    render: (language: Language) => { subject: string; text: string }, at: Date): void {
    const rendered = new Map<Language, { subject: string; text: string }>();
    for (const to of recipients) {
      if (!rendered.has(to.language)) rendered.set(to.language, render(to.language));
      this.send(ticket, step, to, rendered.get(to.language)!, at);
    }
  }

  /** The new-ticket mail; title and description are rendered by `describe` in each reader's language. */
  opened(ticket: Ticket, plan: Plan, recipients: readonly Recipient[], describe: Describe): void {
    const descriptions = new Map<Language, { subject: string; text: string }>();
    for (const to of recipients) {
      let rendered = descriptions.get(to.language);
      if (!rendered) {
        // The stored title/description are in the service's language; a contact reads their own.
        rendered = to.language === ticket.language
          ? { subject: ticket.title, text: ticket.description }
          : describe(to.language);
        descriptions.set(to.language, rendered);
      }
      this.send(ticket, 'opened', to, ticketOpenedMail.render(to.language, {
        recipientName: to.name, number: ticket.number, title: rendered.subject, description: rendered.text,
        dueAt: formatInstant(ticket.responseDueAt, to.language, this.deps.zone), planName: plan.name, level: ticket.level,
      }), new Date(ticket.openedAt));
    }
    this.hooks(ticket, 'opened', 'opened', { by: null, at: new Date(ticket.openedAt) });
    if (routeFor(this.deps.routes, ticket.customerId).helpdesk) {
      const message = ticketHelpdeskMessage(ticket, recipients, this.nameOf(ticket));
      if (message) this.deps.queue.enqueue(message);
    }
  }

  private nameOf(ticket: Ticket): string {
    return this.deps.customerName?.(ticket.customerId) ?? ticket.customerId;
  }

  // The step's webhook deliveries, one per webhook the customer's route names for it.
  private hooks(ticket: Ticket, step: TicketStep, key: string, detail: StepDetail): void {
    const webhooks = routeFor(this.deps.routes, ticket.customerId).webhooksFor(step);
    if (webhooks.length === 0) return;
    const customerName = this.nameOf(ticket);
    const at = formatInstant(detail.at, ticket.language, this.deps.zone);
    for (const webhook of webhooks) {
      this.deps.queue.enqueue(ticketWebhookMessage({ ticket, step, webhook, key, detail, customerName, at }));
    }
  }

  /** The mail of a change of state or level; `historyId` makes each change's key distinct. */
  changed(ticket: Ticket, historyId: number, change: TicketChange, recipients: readonly Recipient[], detail: {
    by: string; at: Date; note?: string | null; missed?: boolean; agentBack?: boolean;
  }): void {
    for (const to of recipients) {
      this.send(ticket, `h${historyId}`, to, ticketChangedMail.render(to.language, {
        recipientName: to.name, number: ticket.number, title: ticket.titles[to.language] ?? ticket.title, by: detail.by,
        at: formatInstant(detail.at, to.language, this.deps.zone), note: detail.note ?? undefined, level: ticket.level,
        change: { [change]: true, missed: detail.missed === true, agentBack: detail.agentBack === true },
      }), detail.at);
    }
    const step = { by: detail.by, at: detail.at, note: detail.note ?? null };
    this.hooks(ticket, change, `h${historyId}`, step);
    // A missed first response escalates by itself: the escalation and the breach are both steps.
    if (detail.missed) this.hooks(ticket, 'breached', `h${historyId}:breached`, step);
  }

  /** A missed first response with no level left to escalate to: the `breached` step alone (webhooks only). */
  breached(ticket: Ticket, at: Date): void {
    this.hooks(ticket, 'breached', 'breached', { by: 'system', at });
  }

  /** The internal warning that a first response is nearly due. */
  warning(ticket: Ticket, customerName: string, fractionUsed: number, remainingMinutes: number, recipients: readonly Recipient[],
    at = new Date(ticket.updatedAt)): void {
    for (const to of recipients) {
      this.send(ticket, 'warning', to, responseWarningMail.render(to.language, {
        recipientName: to.name, number: ticket.number, title: ticket.titles[to.language] ?? ticket.title, customer: customerName,
        dueAt: formatInstant(ticket.responseDueAt, to.language, this.deps.zone),
        percent: Math.floor(fractionUsed * 100), remainingMinutes: Math.max(0, Math.round(remainingMinutes)),
      }), at);
    }
  }
}
