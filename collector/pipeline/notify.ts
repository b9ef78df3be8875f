// The notify stage: a ticket the batch opened is mailed to the on-duty engineers and the customer's designated
// contacts, each in their language (collector/tickets/notify.ts renders and queues). Folds mail nothing. It runs in
// the key's transaction, so a ticket and its mail commit together or not at all.
import type { Customer } from '../registry/types.js';
import { designatedContacts, uniqueRecipients, type Recipient } from '../tickets/describe.js';
import type { Ticket } from '../tickets/repository.js';
import type { KeyWork, PipelineContext, Stage } from './types.js';

/** Who is told of a new ticket: the on-duty engineers and the customer's contacts for the ticket's vendor and product
 *  (the registry's one rule; a fallback is logged). */
export function openingRecipients(ctx: PipelineContext, customer: Customer | undefined, ticket: Ticket): Recipient[] {
  return uniqueRecipients([...ctx.service.deps.onDuty], designatedContacts(customer, ticket.vendor, ticket.product, ctx.log));
}

/** Queues the opening mails of the key's ticket, when the ticket stage opened it. */
export function notifyOpened(ctx: PipelineContext, work: KeyWork): void {
  if (!work.created || !work.ticket || !work.plan || !work.describe) return;
  ctx.service.notifier.opened(work.ticket, work.plan, openingRecipients(ctx, work.customer, work.ticket), work.describe);
}

/** The notify stage over one key's work. */
export const notifyStage: Stage<KeyWork> = {
  name: 'notify',
  run(work, _batch, ctx) { notifyOpened(ctx, work); },
};
