// Relay, in two phases. Route: in one transaction, each advisory that may go (new and not held, or approved) gets
// a relay record per recipient (immediate ones 'routing', digest ones 'pending') and becomes 'relayed'. Queue: each
// 'routing' record is rendered and handed to the outbox, then marked 'queued'. The outbox is never written inside
// our transaction unless it shares our handle (batchQueueWrites: then a batch of its rows and our marks commit
// together); a crash between the phases leaves 'routing' records that the next pass queues, and the dedupKey turns a
// repeated enqueue into a no-op. A record is never written twice, so no advisory reaches a contact twice.
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue } from '../notify/types.js';
import type { Customer } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { audienceOf, digestDateFor, recipientsOf, type Audience } from './recipients.js';
import type { AdvisoryStore, RelayRecord } from './store.js';
import { KIND_WORDS, RISK_BASIS, RISK_WORDS, VENDOR_NAMES, WHAT_TO_DO, advisoryAlertTemplate } from './templates.js';
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

/** The dedup key of an advisory sent at once to one contact. */
export function alertDedupKey(advisoryId: string, customerId: string, contactId: string): string {
  return `advisory:${advisoryId}:${customerId}:${contactId}`;
}

/** Routes and queues the given advisories at `now`; returns each one's recipients by advisory id. */
export function relayAdvisories(advisories: readonly Advisory[], customers: readonly Customer[], now: Date, deps: RelayDeps): Map<string, Recipient[]> {
  const routed = routeAdvisories(advisories, customers, now, deps);
  queueRouted(customers, deps);
  return routed;
}

/** Phase 1: writes the relay records and marks the advisories relayed, all in one transaction. */
export function routeAdvisories(advisories: readonly Advisory[], customers: readonly Customer[], now: Date, deps: RelayDeps): Map<string, Recipient[]> {
  const at = now.toISOString();
  const digestDate = digestDateFor(now, deps.config.digest);
  const routed = new Map<string, Recipient[]>();
  // One pass sees one instant: who an advisory reaches depends only on its vendor and on whether it is urgent, so the
  // recipient list is computed once per pair and shared (read-only) by the advisories and the report.
  const audiences = new Map<string, Audience[]>();
  const lists = new Map<string, Recipient[]>();
  deps.store.transaction(() => {
    for (const advisory of advisories) {
      if (advisory.state !== 'new' && advisory.state !== 'approved') continue;
      const key = `${advisory.vendor}:${advisory.risk === 'critical' || advisory.risk === 'high' ? 'urgent' : 'routine'}`;
      let recipients = lists.get(key);
      if (!recipients) {
        let audience = audiences.get(advisory.vendor);
        if (!audience) audiences.set(advisory.vendor, audience = audienceOf(advisory.vendor, customers, now));
        lists.set(key, recipients = recipientsOf(advisory.vendor, advisory.risk, customers, now, audience));
      }
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

/** Phase 2: renders and queues every record still 'routing' (this pass's and any a crash left behind). */
export function queueRouted(customers: readonly Customer[], deps: RelayDeps): number {
  const pending = deps.store.routingRelays();
  const byId = new Map(customers.map((c) => [c.id, c]));
  const advisories = new Map<string, Advisory | undefined>();
  for (let start = 0; start < pending.length; start += QUEUE_BATCH) {
    const batch = pending.slice(start, start + QUEUE_BATCH);
    const run = (): void => deps.store.markQueued(batch.map((record) => ({ record, messageId: queueOne(record, byId, advisories, deps) })));
    if (deps.batchQueueWrites) deps.store.transaction(run);
    else run();
  }
  return pending.length;
}

function queueOne(record: RelayRecord, customers: Map<string, Customer>, advisories: Map<string, Advisory | undefined>, deps: RelayDeps): string {
  if (!advisories.has(record.advisoryId)) advisories.set(record.advisoryId, deps.store.get(record.advisoryId));
  const advisory = advisories.get(record.advisoryId);
  const customer = customers.get(record.customerId);
  const contact = customer?.contacts.find((c) => c.id === record.contactId);
  // A contact removed since routing gets nothing; the record is closed so it is not retried forever.
  if (!advisory || !customer || !contact) return 'none:contact-removed';
  const recipient: Recipient = { ...record, customerName: customer.name, name: contact.name, email: contact.email };
  return deps.queue.enqueue({
    channel: 'email', to: [contact.email],
    message: advisoryAlertTemplate.render(record.language, alertData(advisory, recipient)),
    dedupKey: alertDedupKey(advisory.id, record.customerId, record.contactId),
    subjectRef: { kind: 'advisory', id: advisory.id, customerId: record.customerId },
  });
}

/** The data the alert template renders for one recipient. */
export function alertData(a: Advisory, r: Recipient): Record<string, unknown> {
  const lang = r.language;
  const whatToDo = a.action ? `${a.action}\n${WHAT_TO_DO[lang][a.kind]}` : WHAT_TO_DO[lang][a.kind];
  return {
    contactName: r.name, customerName: r.customerName, vendorName: VENDOR_NAMES[a.vendor],
    riskWord: RISK_WORDS[lang][a.risk], riskBasis: RISK_BASIS[lang][a.riskSource], kindWord: KIND_WORDS[lang][a.kind],
    title: a.title, link: a.link ?? '', products: a.products, published: a.published?.slice(0, 10) ?? '',
    summary: a.summary, whatToDo, advisoryId: a.id,
  };
}
