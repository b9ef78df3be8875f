// Relay. Route: each advisory that may go (new and not held, or approved) gets a relay record per recipient
// (immediate ones to queue, digest ones 'pending') and becomes 'relayed'. Queue: each immediate record is rendered and
// handed to the outbox with the dedupKey of advisory × contact.
// When the outbox shares our SQLite handle (batchQueueWrites), both happen in one phase: per group of advisories one
// transaction holds their messages, their relay records (immediate ones 'queued' with the message id) and their
// state, so a crash keeps or loses a group whole. Otherwise the outbox is never written inside our transaction: route
// writes immediate records 'routing' in one transaction, then each is queued and marked 'queued'; a crash between the
// phases leaves 'routing' records that the next pass queues, and the dedupKey turns a repeated enqueue into a no-op.
// A record is never written twice, so no advisory reaches a contact twice.
import type { Logger } from '../../lib/logger.js';
import type { Language, NotificationQueue, OutgoingMessage } from '../notify/types.js';
import type { Customer } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { audienceOf, digestDateFor, recipientsOf, type Audience } from './recipients.js';
import { relayKey, type AdvisoryStore, type RelayRecord } from './store.js';
import { KIND_WORDS, RISK_BASIS, RISK_WORDS, VENDOR_NAMES, WHAT_TO_DO, advisoryAlertTemplate, renderPerReader, type PersonalRender } from './templates.js';
import type { Advisory, Recipient } from './types.js';

/** What relaying needs. */
export interface RelayDeps {
  store: AdvisoryStore;
  queue: NotificationQueue;
  config: AdvisoriesConfig;
  logger: Logger;
  /** Called once per relay record written (a message to queue, or a digest entry). */
  onRouted?: (mode: Recipient['mode']) => void;
  /** The queue writes through our SQLite handle: commit its writes in batches with ours (one fsync per batch). */
  batchQueueWrites?: boolean;
}

const QUEUE_BATCH = 1000;
/** Single-phase relay: advisories are committed in groups of about this many relay records (one commit per group). */
const ROUTE_BATCH = 100_000;

/** The dedup key of an advisory sent at once to one contact. */
export function alertDedupKey(advisoryId: string, customerId: string, contactId: string): string {
  return `advisory:${advisoryId}:${customerId}:${contactId}`;
}

/** Routes and queues the given advisories at `now`; returns each one's recipients by advisory id. */
export function relayAdvisories(advisories: readonly Advisory[], customers: readonly Customer[], now: Date, deps: RelayDeps): Map<string, Recipient[]> {
  // Sharing our handle, the outbox's rows and our relay records commit together: one phase, no 'routing' step.
  const routed = deps.batchQueueWrites ? routeAndQueue(advisories, customers, now, deps) : routeAdvisories(advisories, customers, now, deps);
  queueRouted(customers, deps);
  return routed;
}

/** Who an advisory goes to in this pass: one list per vendor and urgency, computed once and shared (read-only). */
function recipientLists(customers: readonly Customer[], now: Date): (advisory: Advisory) => Recipient[] {
  const audiences = new Map<string, Audience[]>();
  const lists = new Map<string, Recipient[]>();
  return (advisory) => {
    const key = `${advisory.vendor}:${advisory.risk === 'critical' || advisory.risk === 'high' ? 'urgent' : 'routine'}`;
    let recipients = lists.get(key);
    if (!recipients) {
      let audience = audiences.get(advisory.vendor);
      if (!audience) audiences.set(advisory.vendor, audience = audienceOf(advisory.vendor, customers, now));
      lists.set(key, recipients = recipientsOf(advisory.vendor, advisory.risk, customers, now, audience));
    }
    return recipients;
  };
}

const mayGo = (a: Advisory): boolean => a.state === 'new' || a.state === 'approved';

/** Phase 1: writes the relay records and marks the advisories relayed, all in one transaction. */
export function routeAdvisories(advisories: readonly Advisory[], customers: readonly Customer[], now: Date, deps: RelayDeps): Map<string, Recipient[]> {
  const at = now.toISOString();
  const digestDate = digestDateFor(now, deps.config.digest);
  const routed = new Map<string, Recipient[]>();
  const listFor = recipientLists(customers, now);
  deps.store.transaction(() => {
    for (const advisory of advisories) {
      if (!mayGo(advisory)) continue;
      const recipients = listFor(advisory);
      for (const r of recipients) {
        const immediate = r.mode === 'immediate';
        const written = deps.store.addRelay({
          advisoryId: advisory.id, customerId: r.customerId, contactId: r.contactId, email: r.email, language: r.language,
          mode: r.mode, createdAt: at, messageId: null,
          state: immediate ? 'routing' : 'pending', digestDate: immediate ? null : digestDate,
        });
        if (written) deps.onRouted?.(r.mode);
      }
      deps.store.setState(advisory.id, 'relayed', at);
      routed.set(advisory.id, recipients);
    }
  });
  if (routed.size > 0) deps.logger.info({ advisories: routed.size }, 'advisories routed');
  return routed;
}

/** Routing and queueing in one phase, for a queue that writes through our handle: per group of advisories, one
 *  transaction writes each advisory's messages, its relay records (immediate ones straight to 'queued' with their
 *  message id, digest ones 'pending') and its 'relayed' state. A crash loses or keeps a whole group; a contact who has
 *  a relay record of an advisory already (from any earlier pass) is skipped, so nothing is sent twice. */
function routeAndQueue(advisories: readonly Advisory[], customers: readonly Customer[], now: Date, deps: RelayDeps): Map<string, Recipient[]> {
  const at = now.toISOString();
  const digestDate = digestDateFor(now, deps.config.digest);
  const routed = new Map<string, Recipient[]>();
  const listFor = recipientLists(customers, now);
  let group: Advisory[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length === 0) return;
    const advisoriesOfGroup = group;
    group = [];
    size = 0;
    deps.store.transaction(() => {
      for (const advisory of advisoriesOfGroup) {
        const recipients = listFor(advisory);
        routeOne(advisory, recipients, at, digestDate, deps);
        deps.store.setState(advisory.id, 'relayed', at);
        routed.set(advisory.id, recipients);
      }
    });
  };
  deps.store.withCheckpointDeferred(() => {
    for (const advisory of advisories) {
      if (!mayGo(advisory)) continue;
      group.push(advisory);
      size += listFor(advisory).length;
      if (size >= ROUTE_BATCH) flush();
    }
    flush();
  });
  if (routed.size > 0) deps.logger.info({ advisories: routed.size }, 'advisories routed and queued');
  return routed;
}

function routeOne(advisory: Advisory, recipients: readonly Recipient[], at: string, digestDate: string, deps: RelayDeps): void {
  const known = deps.store.relayedContacts(advisory.id);
  const fresh = known.size === 0 ? recipients : recipients.filter((r) => !known.has(relayKey(r.customerId, r.contactId)));
  const immediate = fresh.filter((r) => r.mode === 'immediate');
  const render = renderersOf(advisory);
  const messages = immediate.map((r): OutgoingMessage => ({
    channel: 'email', to: [r.email],
    message: render(r.language)(r.name, r.customerName),
    dedupKey: alertDedupKey(advisory.id, r.customerId, r.contactId),
    subjectRef: { kind: 'advisory', id: advisory.id, customerId: r.customerId },
  }));
  const ids = enqueueAll(deps.queue, messages);
  let next = 0;
  for (const r of fresh) {
    const atOnce = r.mode === 'immediate';
    const written = deps.store.addRelay({
      advisoryId: advisory.id, customerId: r.customerId, contactId: r.contactId, email: r.email, language: r.language,
      mode: r.mode, createdAt: at, messageId: atOnce ? ids[next++]! : null,
      state: atOnce ? 'queued' : 'pending', digestDate: atOnce ? null : digestDate,
    });
    if (written) deps.onRouted?.(r.mode);
  }
}

/** Hands messages to the queue, all at once when it can take many. */
export function enqueueAll(queue: NotificationQueue, messages: readonly OutgoingMessage[]): string[] {
  if (messages.length === 0) return [];
  return queue.enqueueMany ? queue.enqueueMany(messages) : messages.map((m) => queue.enqueue(m));
}

// One advisory's alert, rendered once per language and personalised per reader (the greeting names the contact and
// the customer; nothing else in it depends on the reader).
function renderersOf(advisory: Advisory): (language: Language) => PersonalRender {
  const byLanguage = new Map<Language, PersonalRender>();
  return (language) => {
    let render = byLanguage.get(language);
    if (!render) {
      byLanguage.set(language, render = renderPerReader(advisoryAlertTemplate, language, alertData(advisory, { language, name: '', customerName: '' })));
    }
    return render;
  };
}

/** Phase 2: renders and queues every record still 'routing' (a two-phase pass's, or any a crash left behind), a
 *  chunk at a time so that memory stays bounded whatever the fan-out. */
export function queueRouted(customers: readonly Customer[], deps: RelayDeps): number {
  const byId = new Map(customers.map((c) => [c.id, c]));
  const advisories = new Map<string, { advisory: Advisory | undefined; render: (language: Language) => PersonalRender }>();
  let total = 0;
  for (;;) {
    const batch = deps.store.routingRelays(QUEUE_BATCH);
    if (batch.length === 0) break;
    total += batch.length;
    const run = (): void => {
      const ready: { record: RelayRecord; message: OutgoingMessage }[] = [];
      const done: { record: RelayRecord; messageId: string }[] = [];
      for (const record of batch) {
        const message = messageFor(record, byId, advisories, deps);
        if (message) ready.push({ record, message });
        // A contact removed since routing gets nothing; the record is closed so it is not retried forever.
        else done.push({ record, messageId: 'none:contact-removed' });
      }
      const ids = enqueueAll(deps.queue, ready.map((r) => r.message));
      ready.forEach((r, i) => done.push({ record: r.record, messageId: ids[i]! }));
      deps.store.markQueued(done);
    };
    if (deps.batchQueueWrites) deps.store.transaction(run);
    else run();
  }
  return total;
}

function messageFor(record: RelayRecord, customers: Map<string, Customer>,
  advisories: Map<string, { advisory: Advisory | undefined; render: (language: Language) => PersonalRender }>, deps: RelayDeps): OutgoingMessage | undefined {
  let cached = advisories.get(record.advisoryId);
  if (!cached) {
    const advisory = deps.store.get(record.advisoryId);
    advisories.set(record.advisoryId, cached = { advisory, render: advisory ? renderersOf(advisory) : () => () => ({ subject: '', text: '' }) });
  }
  const { advisory } = cached;
  const customer = customers.get(record.customerId);
  const contact = customer?.contacts.find((c) => c.id === record.contactId);
  if (!advisory || !customer || !contact) return undefined;
  return {
    channel: 'email', to: [contact.email],
    message: cached.render(record.language)(contact.name, customer.name),
    dedupKey: alertDedupKey(advisory.id, record.customerId, record.contactId),
    subjectRef: { kind: 'advisory', id: advisory.id, customerId: record.customerId },
  };
}

/** The data the alert template renders for one recipient. */
export function alertData(a: Advisory, r: Pick<Recipient, 'language' | 'name' | 'customerName'>): Record<string, unknown> {
  const lang = r.language;
  const whatToDo = a.action ? `${a.action}\n${WHAT_TO_DO[lang][a.kind]}` : WHAT_TO_DO[lang][a.kind];
  return {
    contactName: r.name, customerName: r.customerName, vendorName: VENDOR_NAMES[a.vendor],
    riskWord: RISK_WORDS[lang][a.risk], riskBasis: RISK_BASIS[lang][a.riskSource], kindWord: KIND_WORDS[lang][a.kind],
    title: a.title, link: a.link ?? '', products: a.products, published: a.published?.slice(0, 10) ?? '',
    summary: a.summary, whatToDo, advisoryId: a.id,
  };
}
