// Relay: an advisory that may go (new and not held, or approved) is routed to its recipients. Immediate ones are
// queued now; digest ones wait as pending relay records. Queue first, then record: the dedupKey makes a queue call
// repeated after a crash a no-op, and the record makes every later pass skip the contact.
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue } from '../notify/types.js';
import type { Customer } from '../registry/types.js';
import type { AdvisoriesConfig } from './config.js';
import { digestDateFor, recipientsOf } from './recipients.js';
import type { AdvisoryStore } from './store.js';
import { KIND_WORDS, RISK_BASIS, RISK_WORDS, VENDOR_NAMES, WHAT_TO_DO, advisoryAlertTemplate } from './templates.js';
import type { Advisory, Recipient } from './types.js';

/** What relaying needs. */
export interface RelayDeps {
  store: AdvisoryStore;
  queue: NotificationQueue;
  config: AdvisoriesConfig;
  logger: Logger;
  /** Called once per message queued and per digest entry recorded. */
  onRouted?: (mode: Recipient['mode']) => void;
}

/** The dedup key of an advisory sent at once to one contact. */
export function alertDedupKey(advisoryId: string, customerId: string, contactId: string): string {
  return `advisory:${advisoryId}:${customerId}:${contactId}`;
}

/** Routes one advisory to everyone it concerns at `now` and marks it relayed; returns its recipients. */
export function relayAdvisory(advisory: Advisory, customers: readonly Customer[], now: Date, deps: RelayDeps): Recipient[] {
  if (advisory.state !== 'new' && advisory.state !== 'approved') return [];
  const recipients = recipientsOf(advisory.vendor, advisory.risk, customers, now);
  const at = now.toISOString();
  for (const r of recipients) {
    if (deps.store.hasRelay(advisory.id, r.customerId, r.contactId)) continue;
    if (r.mode === 'immediate') {
      const messageId = deps.queue.enqueue({
        channel: 'email', to: [r.email],
        message: advisoryAlertTemplate.render(r.language, alertData(advisory, r)),
        dedupKey: alertDedupKey(advisory.id, r.customerId, r.contactId),
        subjectRef: { kind: 'advisory', id: advisory.id, customerId: r.customerId },
      });
      deps.store.addRelay({ ...recordOf(advisory, r, at), state: 'queued', messageId, digestDate: null });
    } else {
      deps.store.addRelay({ ...recordOf(advisory, r, at), state: 'pending', messageId: null, digestDate: digestDateFor(now, deps.config.digest) });
    }
    deps.onRouted?.(r.mode);
  }
  deps.store.setState(advisory.id, 'relayed', at);
  deps.logger.info({ advisory: advisory.id, risk: advisory.risk, recipients: recipients.length }, 'advisory relayed');
  return recipients;
}

function recordOf(advisory: Advisory, r: Recipient, createdAt: string) {
  return {
    advisoryId: advisory.id, customerId: r.customerId, contactId: r.contactId, email: r.email,
    language: r.language, mode: r.mode, createdAt,
  };
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
