// The agent's Prometheus metrics, read from the outbox, forwarder and receivers at scrape time.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outbox } from './outbox/index.js';
import type { Forwarder } from './forwarder.js';
import type { Receiver } from './receivers/types.js';

/** Builds the agent's metrics registry; every value is collected when scraped, so nothing drifts. */
export function createAgentMetrics(outbox: Outbox, forwarder: Forwarder, receivers: readonly Receiver[], now: () => Date): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xpears_agent_' });
  const gauge = (name: string, help: string, collect: (g: Gauge) => void, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect() { collect(this); } });
  gauge('xpears_agent_outbox_depth', 'Envelopes waiting in the outbox.', (g) => g.set(outbox.stats().depth));
  gauge('xpears_agent_outbox_bytes', 'Bytes of envelopes waiting in the outbox.', (g) => g.set(outbox.stats().bytes));
  gauge('xpears_agent_outbox_oldest_age_seconds', 'Age of the oldest waiting envelope.', (g) => {
    const o = outbox.stats().oldestCapturedAt;
    g.set(o ? (now().getTime() - Date.parse(o)) / 1000 : 0);
  });
  gauge('xpears_agent_outbox_dead_letters', 'Envelopes the collector rejected, kept for inspection.', (g) => g.set(outbox.stats().deadLettered));
  gauge('xpears_agent_outbox_refusing', '1 while the outbox cannot write and captures are refused.', (g) => g.set(outbox.stats().refusing ? 1 : 0));
  gauge('xpears_agent_outbox_refused_total', 'Captures refused because the outbox could not write.', (g) => g.set(outbox.stats().refused));
  gauge('xpears_agent_forwarded_total', 'Envelopes the collector accepted.', (g) => g.set(forwarder.state.sent));
  gauge('xpears_agent_forward_failures_consecutive', 'Consecutive failed attempts to forward.', (g) => g.set(forwarder.state.consecutiveFailures));
  gauge('xpears_agent_receiver_received_total', 'Messages accepted by each receiver.', (g) => {
    for (const r of receivers) g.set({ receiver: r.name }, r.health().received);
  }, ['receiver']);
  gauge('xpears_agent_receiver_rejected_total', 'Messages refused by each receiver, by reason.', (g) => {
    for (const r of receivers) for (const [reason, n] of Object.entries(r.health().rejectedByReason)) g.set({ receiver: r.name, reason }, n);
  }, ['receiver', 'reason']);
  gauge('xpears_agent_receiver_up', '1 when the receiver is listening.', (g) => {
    for (const r of receivers) g.set({ receiver: r.name }, r.health().healthy ? 1 : 0);
  }, ['receiver']);
  return registry;
}
