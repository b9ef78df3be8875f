// The daily digest: the pending medium/low/info entries of each contact, one mail per contact and digest date.
// A digest date's entries are complete once its hour has passed (relay assigns the next digest date), so the
// dedupKey (date × contact) never hides an entry that arrived after the mail was queued.
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue } from '../notify/types.js';
import type { RegistryReader } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { dueDigestDate } from './recipients.js';
import type { AdvisoryStore, DigestGroup } from './store.js';
import type { Advisory } from './types.js';
import { KIND_WORDS, RISK_WORDS, VENDOR_NAMES, advisoryDigestTemplate, renderPerReader, type PersonalRender } from './templates.js';

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

/** Queues every digest that is due at `now`: one message per contact and digest date. Reads one contact's entries
 *  at a time, so memory stays bounded however many entries are due. */
export function sendDigests(now: Date, deps: DigestDeps): DigestReport {
  const dueDate = dueDigestDate(now, deps.config.digest);
  const groups = deps.store.pendingDigestGroups(dueDate);
  const report: DigestReport = { dueDate, messages: [], orphaned: 0 };
  const at = now.toISOString();
  const cache: DigestCache = { advisories: new Map(), renders: new Map() };
  for (let start = 0; start < groups.length; start += DIGEST_BATCH) {
    const run = (): void => {
      for (const group of groups.slice(start, start + DIGEST_BATCH)) sendOne(group, at, cache, deps, report);
    };
    if (deps.batchQueueWrites) deps.store.transaction(run);
    else run();
  }
  if (report.messages.length > 0) deps.logger.info({ dueDate, messages: report.messages.length }, 'advisory digests queued');
  return report;
}

interface DigestCache {
  advisories: Map<string, Advisory | undefined>;
  /** A digest rendered once per language, date and list of advisories, personalised per reader. */
  renders: Map<string, PersonalRender>;
}
const RENDER_CACHE_MAX = 1_000;

function sendOne(group: DigestGroup, at: string, cache: DigestCache, deps: DigestDeps, report: DigestReport): void {
  const { digestDate: date, customerId, contactId } = group;
  const entries = deps.store.pendingDigestOf(customerId, contactId, date);
  if (entries.length === 0) return;
  const customer = deps.registry.getCustomer(customerId);
  const contact = customer?.contacts.find((c) => c.id === contactId);
  if (!customer || !contact) {
    deps.store.markDigestSent(customerId, contactId, date, 'none:contact-removed', at);
    report.orphaned += entries.length;
    return;
  }
  const lang = contact.language;
  const advisories = entries.flatMap((id) => {
    if (!cache.advisories.has(id)) cache.advisories.set(id, deps.store.get(id));
    return cache.advisories.get(id) ?? [];
  });
  const key = `${lang}\u0000${date}\u0000${advisories.map((a) => a.id).join(',')}`;
  let render = cache.renders.get(key);
  if (!render) {
    const items = advisories.map((a) => ({
      riskWord: RISK_WORDS[lang][a.risk], vendorName: VENDOR_NAMES[a.vendor], title: a.title,
      kindWord: KIND_WORDS[lang][a.kind], products: a.products, link: a.link ?? '',
    }));
    render = renderPerReader(advisoryDigestTemplate, lang, { contactName: '', customerName: '', date, count: items.length, items });
    if (cache.renders.size >= RENDER_CACHE_MAX) cache.renders.clear();
    cache.renders.set(key, render);
  }
  const messageId = deps.queue.enqueue({
    channel: 'email', to: [contact.email], message: render(contact.name, customer.name),
    dedupKey: digestDedupKey(date, customer.id, contact.id),
    subjectRef: { kind: 'digest', id: `advisories:${date}:${contact.id}`, customerId: customer.id },
  });
  deps.store.markDigestSent(customer.id, contact.id, date, messageId, at);
  report.messages.push({ customerId: customer.id, contactId: contact.id, email: contact.email, date, items: advisories.length, messageId });
}
