// Re-runs the parsers over stored envelopes, replacing the events derived from each (after a parser improves).
import type { EventRepository } from '../store/store.js';
import type { RegistryReader } from '../registry/types.js';
import { parseEnvelope, rawText } from '../parse/index.js';

/** Re-parses in pages of 1,000 envelopes; counts what changed. */
export function reparse(repo: EventRepository, registry: RegistryReader, filter: { since?: string; customerId?: string }) {
  let after: { afterId: string; afterCustomer: string } | undefined;
  const totals = { envelopes: 0, events: 0, changed: 0, unclassified: 0 };
  for (;;) {
    const page = repo.envelopesForReparse({ ...filter, ...after, limit: 1000 });
    if (page.length === 0) break;
    for (const row of page) {
      const hint = registry.getAgent(row.agentId)?.vendorHint;
      const before = repo.listEventsOfEnvelope(row.id, row.customerId).map((e) => `${e.eventType}|${e.summary}`).join('\n');
      const events = repo.replaceEvents(row.id, row.customerId, row.agentId, parseEnvelope(row.envelope, hint), rawText(row.envelope), row.receivedAt);
      totals.envelopes += 1;
      totals.events += events.length;
      totals.unclassified += events.filter((e) => e.eventType === 'unclassified').length;
      if (events.map((e) => `${e.eventType}|${e.summary}`).join('\n') !== before) totals.changed += 1;
    }
    const last = page.at(-1)!;
    after = { afterId: last.id, afterCustomer: last.customerId }; // envelope ids are per customer
  }
  return totals;
}
