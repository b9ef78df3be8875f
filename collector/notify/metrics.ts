// Notification metrics: counters the dispatcher bumps, gauges read from the outbox when Prometheus scrapes.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FailureReason } from '../../lib/errors.js';
import type { OutboxStats } from './outbox.js';

/** What the dispatcher reports; the collector backs it with prom-client, tests with a recorder. */
export interface NotifyMetrics {
  sent(channel: string): void;
  failed(channel: string, reason: FailureReason): void;
}

/** Metrics that go nowhere: the dispatcher's default. */
export const noopNotifyMetrics: NotifyMetrics = { sent() {}, failed() {} };

/** Registers the notification metrics on a registry; the gauges ask the outbox at scrape time, so they are
 *  right even for messages another process queued. */
export function registerNotifyMetrics(registry: Registry, outbox: { stats(): OutboxStats }): NotifyMetrics {
  const sent = new Counter({
    name: 'notifications_sent_total',
    help: 'Notifications delivered, by channel.',
    labelNames: ['channel'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'notifications_failed_total',
    help: 'Failed delivery attempts, by channel and reason (client, server, auth, rate-limited, timeout, network, unknown).',
    labelNames: ['channel', 'reason'],
    registers: [registry],
  });
  // A scrape costs three indexed COUNT queries: cheaper than caching, and never stale.
  const stats = (): OutboxStats => outbox.stats();
  new Gauge({
    name: 'notifications_pending',
    help: 'Notifications waiting to be delivered (new, or between retries).',
    registers: [registry],
    collect() { this.set(stats().pending); },
  });
  new Gauge({
    name: 'notifications_dead',
    help: 'Notifications given up on: they wait for an operator (xpears notification list --state dead / retry).',
    registers: [registry],
    collect() { this.set(stats().dead); },
  });
  new Gauge({
    name: 'notifications_oldest_pending_age_seconds',
    help: 'How long the oldest pending notification has waited; 0 when none waits.',
    registers: [registry],
    collect() { this.set((stats().oldestPendingAgeMs ?? 0) / 1000); },
  });
  return {
    sent: (channel) => sent.inc({ channel }),
    failed: (channel, reason) => failed.inc({ channel, reason }),
  };
}
