// A ticket's messages beyond e-mail: one signed webhook delivery per configured step (notify.tickets.webhooks) and,
// for each new case when configured, a case e-mail to the help-desk mailbox in the manuals' format. Rendered here,
// queued by TicketNotifier in the transaction of the change.
import type { TicketStep } from '../notify/ticket-routes.js';
import { helpdeskCaseMessage } from '../notify/helpdesk/index.js';
import type { Language, OutgoingMessage } from '../notify/types.js';
import type { Recipient } from '../registry/recipients.js';
import type { Ticket } from './repository.js';
import { ticketWebhookText } from './step-templates.js';
import { consoleField } from '../../lib/console-text.js';

/** What a step says besides the ticket: who did it, when, the note. */
export interface StepDetail {
  by: string | null;
  at: Date;
  note?: string | null;
}

/** The JSON payload of a ticket webhook delivery (WebhookBody.payload). */
export function ticketPayload(ticket: Ticket, step: TicketStep, detail: StepDetail, customerName: string): Record<string, unknown> {
  return {
    type: `ticket.${step}`,
    step,
    at: detail.at.toISOString(),
    by: detail.by,
    note: detail.note ?? null,
    ticket: {
      id: ticket.id, number: ticket.number, customerId: ticket.customerId, customerName, state: ticket.state,
      level: ticket.level, caseKind: ticket.caseKind, vendor: ticket.vendor, product: ticket.product,
      eventType: ticket.eventType, title: ticket.title, openedAt: ticket.openedAt, responseDueAt: ticket.responseDueAt,
      firstResponseAt: ticket.firstResponseAt, responseMet: ticket.responseMet, resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt, assignee: ticket.assignee, count: ticket.count,
    },
  };
}

/** One webhook delivery of a step; `key` distinguishes repeated steps (a second escalation). */
export function ticketWebhookMessage(input: {
  ticket: Ticket; step: TicketStep; webhook: string; key: string; detail: StepDetail; customerName: string; at: string;
}): OutgoingMessage {
  const { ticket, step, detail } = input;
  const language: Language = ticket.language;
  return {
    channel: 'webhook',
    to: [input.webhook],
    message: ticketWebhookText.render(language, {
      number: ticket.number, title: ticket.titles[language] ?? ticket.title, customer: input.customerName, level: ticket.level,
      by: detail.by ?? undefined, at: input.at, note: detail.note ?? undefined, step: { [step]: true },
    }),
    payload: ticketPayload(ticket, step, detail, input.customerName),
    dedupKey: `ticket:${ticket.id}:${input.key}:webhook:${input.webhook}`,
    subjectRef: { kind: 'ticket', id: ticket.id, customerId: ticket.customerId },
  };
}

const UNKNOWN: Record<Language, string> = { es: 'no informado', en: 'not reported' };

/** The case e-mail of a new ticket for the help desk: the contact is the first customer contact told (else the
 *  first person told), so the help desk's answer reaches someone who knows the case. Null when nobody is told. */
export function ticketHelpdeskMessage(ticket: Ticket, recipients: readonly Recipient[], customerName: string): OutgoingMessage | null {
  const contact = recipients.find((r) => r.contactId !== undefined) ?? recipients[0];
  if (!contact) return null;
  const unknown = UNKNOWN[ticket.language];
  return helpdeskCaseMessage({
    title: ticket.title.slice(0, 200),
    description: ticket.description,
    contactName: contact.name,
    contactEmail: contact.email,
    // The product name is what the console reported: one capped line (lib/console-text).
    product: consoleField(ticket.product, 100) ?? ticket.vendor ?? unknown,
    productVersion: unknown,
    operatingSystem: unknown,
    operatingSystemVersion: unknown,
    customer: customerName,
    reference: ticket.number,
  }, {
    language: ticket.language,
    dedupKey: `ticket:${ticket.id}:opened:helpdesk`,
    subjectRef: { kind: 'ticket', id: ticket.id, customerId: ticket.customerId },
  });
}
