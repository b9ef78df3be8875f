// The daily digest: one mail per contact and digest date with that date's medium/low/info advisories. The audience
// is computed when the digest is made: customers holding the vendor with maintenance in force at that instant, their
// contacts designated for it, minus the advisories the customer was sent at once already (its delivery preference
// was 'immediate' when their pass went). A digest date's advisories are complete once its hour has passed (a pass
// assigns the next date after the hour), so the dedupKey (date × contact) never hides one that came later.
// Customers are done a chunk at a time, yielding between chunks; a delivery row (digest date × customer), written with
// the customer's mails, makes a run cut short resume without sending anything twice; a date is closed when every
// customer is done.
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue, OutgoingMessage } from '../notify/types.js';
import type { Customer, RegistryReader } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { bySeverity, MessageRenderer } from './messages.js';
import { contactsForAdvisories, dueDigestDate } from './recipients.js';
import { CUSTOMERS_PER_CHUNK, enqueueAll, listKey, vendorsOf, yieldToEventLoop } from './relay.js';
import type { AdvisoryStore, Delivery } from './store.js';
import type { Advisory, DeliveryMode } from './types.js';

/** What sending digests needs. */
export interface DigestDeps {
  store: AdvisoryStore;
  queue: NotificationQueue;
  registry: RegistryReader;
  config: AdvisoriesConfig;
  logger: Logger;
  /** The queue writes through the store's SQLite handle: a chunk's mails and delivery rows commit together. */
  batchQueueWrites?: boolean;
  /** Called per digest mail with the number of advisories it holds. */
  onDelivered?: (mode: DeliveryMode, advisories: number) => void;
  /** Asked between chunks: true ends the run there; the next run resumes it. */
  stopping?: () => boolean;
}

/** What one digest run did. */
export interface DigestReport {
  dueDate: string;
  messages: { customerId: string; contactId: string; email: string; date: string; items: number; messageId: string }[];
}

/** The dedup key of one contact's digest of one date. */
export function digestDedupKey(date: string, customerId: string, contactId: string): string {
  return `advisory-digest:${date}:${customerId}:${contactId}`;
}

/** Queues every digest that is due at `now`: one message per contact and digest date. */
export async function sendDigests(now: Date, deps: DigestDeps): Promise<DigestReport> {
  const dueDate = dueDigestDate(now, deps.config.digest);
  const report: DigestReport = { dueDate, messages: [] };
  const at = now.toISOString();
  const renderer = new MessageRenderer();
  for (const date of deps.store.dueDigestDates(dueDate)) {
    const lists = deps.store.digestAdvisories(date).sort(bySeverity);
    const passes = deps.store.passesOfDigest(date);
    const customers = deps.registry.listCustomers();
    for (let start = 0; start < customers.length; start += CUSTOMERS_PER_CHUNK) {
      await yieldToEventLoop();
      if (deps.stopping?.()) return report;
      const run = (): void => {
        for (const customer of customers.slice(start, start + CUSTOMERS_PER_CHUNK)) digestOf(customer, date, passes, lists, renderer, now, at, deps, report);
      };
      if (deps.batchQueueWrites) deps.store.transaction(run);
      else run();
    }
    deps.store.closeDigestDate(date, at);
  }
  if (report.messages.length > 0) deps.logger.info({ dueDate, messages: report.messages.length }, 'advisory digests queued');
  return report;
}

function digestOf(customer: Customer, date: string, passes: readonly string[], lists: Advisory[], renderer: MessageRenderer,
  now: Date, at: string, deps: DigestDeps, report: DigestReport): void {
  if (deps.store.delivered('digest', date, customer.id)) return;
  const contacts = contactsForAdvisories(customer, lists, now, deps.logger);
  if (contacts.length === 0) return;
  // Ids of other levels in the set do no harm: the lists hold only this date's advisories.
  const sentAtOnce = deps.store.sentAtOnce(customer.id, passes);
  const mails: OutgoingMessage[] = [];
  const recipients: Delivery['recipients'] = [];
  const ids = new Set<string>();
  for (const { contact, advisories } of contacts) {
    const list = sentAtOnce.size === 0 ? advisories : advisories.filter((a) => !sentAtOnce.has(a.id));
    if (list.length === 0) continue;
    const key = listKey(list);
    const vendors = vendorsOf(list);
    mails.push({
      channel: 'email', to: [contact.email], message: renderer.digestMail(key, list, contact.language, date, contact.name, customer.name),
      dedupKey: digestDedupKey(date, customer.id, contact.id),
      subjectRef: { kind: 'digest', id: `advisories:${date}:${contact.id}`, customerId: customer.id },
    });
    recipients.push({ contactId: contact.id, email: contact.email, language: contact.language, messageId: '', vendors, items: list.length,
      advisoryIds: list.map((a) => a.id) });
    for (const a of list) ids.add(a.id);
  }
  if (mails.length === 0) return;
  const messageIds = enqueueAll(deps.queue, mails);
  recipients.forEach((r, i) => { r.messageId = messageIds[i]!; });
  deps.store.addDelivery({ kind: 'digest', batch: date, customerId: customer.id, advisoryIds: [...ids], recipients, createdAt: at });
  for (const r of recipients) {
    deps.onDelivered?.('digest', r.items ?? 0);
    report.messages.push({ customerId: customer.id, contactId: r.contactId, email: r.email, date, items: r.items ?? 0, messageId: r.messageId });
  }
}
