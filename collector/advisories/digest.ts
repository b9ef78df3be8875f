// The daily digest: the pending medium/low/info entries of each contact, one mail per contact and digest date.
// A digest date's entries are complete once its hour has passed (relay assigns the next digest date), so the
// dedupKey (date × contact) never hides an entry that arrived after the mail was queued.
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue } from '../notify/types.js';
import type { RegistryReader } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { dueDigestDate } from './recipients.js';
import type { AdvisoryStore, RelayRecord } from './store.js';
import type { Advisory } from './types.js';
import { KIND_WORDS, RISK_WORDS, VENDOR_NAMES, advisoryDigestTemplate } from './templates.js';

/** What sending digests needs. */
export interface DigestDeps {
  store: AdvisoryStore;
  queue: NotificationQueue;
  registry: RegistryReader;
  config: AdvisoriesConfig;
  logger: Logger;
  /** The queue writes through the store's SQLite handle: commit a batch of digests in one transaction. */
  batchQueueWrites?: boolean;
}

const DIGEST_BATCH = 200;

/** What one digest run did. */
export interface DigestReport {
  dueDate: string;
  messages: { customerId: string; contactId: string; email: string; date: string; items: number; messageId: string }[];
  /** Entries whose contact left the registry: marked done, never mailed. */
  orphaned: number;
}

/** The dedup key of one contact's digest of one date. */
export function digestDedupKey(date: string, customerId: string, contactId: string): string {
  return `advisory-digest:${date}:${customerId}:${contactId}`;
}

/** Queues every digest that is due at `now`: one message per contact and digest date. */
export function sendDigests(now: Date, deps: DigestDeps): DigestReport {
  const dueDate = dueDigestDate(now, deps.config.digest);
  const groups = new Map<string, RelayRecord[]>();
  for (const r of deps.store.pendingDigest(dueDate)) {
    const key = `${r.digestDate}\u0000${r.customerId}\u0000${r.contactId}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const report: DigestReport = { dueDate, messages: [], orphaned: 0 };
  const at = now.toISOString();
  const advisories = new Map<string, Advisory | undefined>();
  const all = [...groups.values()];
  for (let start = 0; start < all.length; start += DIGEST_BATCH) {
    const run = (): void => {
      for (const entries of all.slice(start, start + DIGEST_BATCH)) sendOne(entries, dueDate, at, advisories, deps, report);
    };
    if (deps.batchQueueWrites) deps.store.transaction(run);
    else run();
  }
  if (report.messages.length > 0) deps.logger.info({ dueDate, messages: report.messages.length }, 'advisory digests queued');
  return report;
}

function sendOne(entries: RelayRecord[], dueDate: string, at: string, cache: Map<string, Advisory | undefined>, deps: DigestDeps, report: DigestReport): void {
  const first = entries[0]!;
  const date = first.digestDate ?? dueDate;
  const customer = deps.registry.getCustomer(first.customerId);
  const contact = customer?.contacts.find((c) => c.id === first.contactId);
  if (!customer || !contact) {
    deps.store.markDigestSent(first.customerId, first.contactId, date, 'none:contact-removed', at);
    report.orphaned += entries.length;
    return;
  }
  const lang = contact.language;
  const items = entries.flatMap((e) => {
    if (!cache.has(e.advisoryId)) cache.set(e.advisoryId, deps.store.get(e.advisoryId));
    const a = cache.get(e.advisoryId);
    if (!a) return [];
    return [{
      riskWord: RISK_WORDS[lang][a.risk], vendorName: VENDOR_NAMES[a.vendor], title: a.title,
      kindWord: KIND_WORDS[lang][a.kind], products: a.products, link: a.link ?? '',
    }];
  });
  const message = advisoryDigestTemplate.render(lang, { contactName: contact.name, customerName: customer.name, date, count: items.length, items });
  const messageId = deps.queue.enqueue({
    channel: 'email', to: [contact.email], message,
    dedupKey: digestDedupKey(date, customer.id, contact.id),
    subjectRef: { kind: 'digest', id: `advisories:${date}:${contact.id}`, customerId: customer.id },
  });
  deps.store.markDigestSent(customer.id, contact.id, date, messageId, at);
  report.messages.push({ customerId: customer.id, contactId: contact.id, email: contact.email, date, items: items.length, messageId });
}
