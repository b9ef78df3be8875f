// Relay, one pass at a time. openPass takes every advisory that may go (new and not held, or approved) in one
// transaction: they become 'relayed' with the pass id (and, below high, the pass's digest date), so no later pass
// can take them again. deliverPass then goes through the customers, a chunk at a time, yielding to the event loop
// between chunks: for each customer, each contact gets ONE mail holding the pass's advisories it receives at once
// (critical and high; every level when the customer asked for immediate delivery) of the products it is designated
// for (recipients.ts: by product family, or vendor-wide), and a delivery row (pass ×
// customer) records the advisories and the message ids. A customer that has its delivery row is skipped, so a pass
// cut short (crash, stop) is resumed by the next pass without sending anything twice.
// When the outbox shares our SQLite handle (batchQueueWrites), a chunk's mails and delivery rows commit in one
// transaction. Otherwise the mails are queued first, then the row written: a crash between the two re-queues the
// customer's mails on resume, and their dedup keys (pass or advisory × customer × contact) make that a no-op.
import type { Logger } from '../../lib/logger.js';
import { uuidv7 } from '../../lib/ids.js';
import type { NotificationQueue, OutgoingMessage } from '../notify/types.js';
import { PRODUCT_VENDORS, type Customer, type ProductVendor } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { bySeverity, MessageRenderer } from './messages.js';
import { contactsForAdvisories, digestDateFor } from './recipients.js';
import type { AdvisoryStore, Delivery, RelayPass } from './store.js';
import type { Advisory, DeliveryMode } from './types.js';

/** What relaying needs. */
export interface RelayDeps {
  store: AdvisoryStore;
  queue: NotificationQueue;
  config: AdvisoriesConfig;
  logger: Logger;
  /** Called per contact mailed, with how many advisories the mail (or the digest) holds. */
  onDelivered?: (mode: DeliveryMode, advisories: number) => void;
  /** The queue writes through our SQLite handle: a chunk's mails and delivery rows commit together. */
  batchQueueWrites?: boolean;
  /** Asked between chunks: true ends the pass there; it stays open and the next pass resumes it. */
  stopping?: () => boolean;
}

/** Customers per chunk: one transaction each, and a turn of the event loop between two. */
export const CUSTOMERS_PER_CHUNK = 25;

/** What delivering a pass did. */
export interface PassOutcome {
  pass: RelayPass;
  advisories: Advisory[];
  /** False when stopped before the last customer (the pass stays open). */
  done: boolean;
  customers: number;
  mails: number;
}

/** The dedup key of an advisory sent alone to one contact. */
export function alertDedupKey(advisoryId: string, customerId: string, contactId: string): string {
  return `advisory:${advisoryId}:${customerId}:${contactId}`;
}

/** The dedup key of one contact's mail of several advisories of one pass. */
export function bundleDedupKey(passId: string, customerId: string, contactId: string): string {
  return `advisory-pass:${passId}:${customerId}:${contactId}`;
}

/** Takes every advisory that may go at `now` (or only `onlyId`) into a new pass; undefined when none may. */
export function openPass(now: Date, deps: Pick<RelayDeps, 'store' | 'config'>, onlyId?: string): RelayPass | undefined {
  return deps.store.openPass(`pass-${uuidv7(now.getTime())}`, now.toISOString(), digestDateFor(now, deps.config.digest), onlyId);
}

/** Lets the event loop run (I/O, timers, HTTP ingest) before the next chunk. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const urgent = (a: Advisory): boolean => a.risk === 'critical' || a.risk === 'high';

/** The vendors of a list of advisories, each once, in the order of PRODUCT_VENDORS. */
export function vendorsOf(list: readonly Advisory[]): ProductVendor[] {
  return PRODUCT_VENDORS.filter((v) => list.some((a) => a.vendor === v));
}

/** The key a list of advisories is rendered under (the same list renders once per language). */
export const listKey = (list: readonly Advisory[]): string => list.map((a) => a.id).join(',');

/** Delivers a pass at `now` to every customer without its delivery yet (see the file's head). */
export async function deliverPass(pass: RelayPass, customers: readonly Customer[], now: Date, deps: RelayDeps): Promise<PassOutcome> {
  const advisories = deps.store.passAdvisories(pass.id).sort(bySeverity);
  const lists = { all: advisories, urgent: advisories.filter(urgent) };
  const renderer = new MessageRenderer();
  const at = now.toISOString();
  const outcome: PassOutcome = { pass, advisories, done: false, customers: 0, mails: 0 };
  for (let start = 0; start < customers.length; start += CUSTOMERS_PER_CHUNK) {
    await yieldToEventLoop();
    if (deps.stopping?.()) {
      deps.logger.info({ pass: pass.id, customersLeft: customers.length - start }, 'advisory pass stopped; resumed by the next pass');
      return outcome;
    }
    const chunk = customers.slice(start, start + CUSTOMERS_PER_CHUNK);
    const run = (): void => {
      for (const customer of chunk) {
        if (deps.store.delivered('pass', pass.id, customer.id)) continue;
        const mails = deliverToCustomer(customer, pass, lists, renderer, now, at, deps);
        if (mails > 0) {
          outcome.customers += 1;
          outcome.mails += mails;
        }
      }
    };
    if (deps.batchQueueWrites) deps.store.transaction(run);
    else run();
  }
  deps.store.closePass(pass.id, at);
  outcome.done = true;
  if (outcome.mails > 0 || advisories.length > 0) {
    deps.logger.info({ pass: pass.id, advisories: advisories.length, customers: outcome.customers, mails: outcome.mails }, 'advisory pass delivered');
  }
  return outcome;
}

// One customer's mails of a pass and its delivery row; returns the number of mails queued.
function deliverToCustomer(customer: Customer, pass: RelayPass, lists: { all: Advisory[]; urgent: Advisory[] }, renderer: MessageRenderer,
  now: Date, at: string, deps: RelayDeps): number {
  const candidates = customer.advisoryDelivery === 'immediate' ? lists.all : lists.urgent;
  const mails: OutgoingMessage[] = [];
  const recipients: Delivery['recipients'] = [];
  const ids = new Set<string>();
  for (const { contact, advisories: list } of contactsForAdvisories(customer, candidates, now, deps.logger)) {
    const key = listKey(list);
    const vendors = vendorsOf(list);
    const single = list.length === 1;
    mails.push({
      channel: 'email', to: [contact.email],
      message: renderer.passMail(key, list, contact.language, contact.name, customer.name),
      dedupKey: single ? alertDedupKey(list[0]!.id, customer.id, contact.id) : bundleDedupKey(pass.id, customer.id, contact.id),
      subjectRef: { kind: 'advisory', id: single ? list[0]!.id : pass.id, customerId: customer.id },
    });
    recipients.push({ contactId: contact.id, email: contact.email, language: contact.language, messageId: '', vendors, items: list.length,
      advisoryIds: list.map((a) => a.id) });
    for (const a of list) ids.add(a.id);
  }
  if (mails.length === 0) return 0;
  const messageIds = enqueueAll(deps.queue, mails);
  recipients.forEach((r, i) => { r.messageId = messageIds[i]!; });
  deps.store.addDelivery({ kind: 'pass', batch: pass.id, customerId: customer.id, advisoryIds: [...ids], recipients, createdAt: at });
  for (const r of recipients) deps.onDelivered?.('immediate', r.items ?? 0);
  return mails.length;
}

/** Hands messages to the queue, all at once when it can take many. */
export function enqueueAll(queue: NotificationQueue, messages: readonly OutgoingMessage[]): string[] {
  if (messages.length === 0) return [];
  return queue.enqueueMany ? queue.enqueueMany(messages) : messages.map((m) => queue.enqueue(m));
}
