// Wires the notification stage from its configuration: outbox, channels, dispatcher, metrics. Called once by the
// command that starts the collector (the composition root); tests build the parts alone.
import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Db } from '../store/db.js';
import type { Channel } from './channel.js';
import type { NotifyConfig } from './config.js';
import { NotificationDispatcher, type LoopTimer } from './dispatcher.js';
import { createSmtpTransport, EmailChannel, type MailTransport } from './email/index.js';
import { HelpdeskChannel } from './helpdesk/index.js';
import { registerNotifyMetrics } from './metrics.js';
import { NotificationOutbox } from './outbox.js';
import { WebhookChannel } from './webhook/index.js';

/** What the notification stage needs from the collector. */
export interface NotifierDeps {
  config: NotifyConfig;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The collector's Prometheus registry; without it no metrics are registered. */
  registry?: Registry;
  /** Replaces the SMTP transport (tests of callers that do not want a server). */
  mailTransport?: MailTransport;
  timer?: LoopTimer;
}

/** The running notification stage. */
export interface Notifier {
  outbox: NotificationOutbox;
  dispatcher: NotificationDispatcher;
  channels: Channel[];
  /** Deletes sent messages older than the retention; the collector's daily schedule calls it. */
  prune(now?: Date): number;
  /** Stops the loop and closes the SMTP connections. */
  close(): Promise<void>;
}

/** Builds the outbox (on a database the collector's migrations prepared), the configured channels and the dispatcher; does not start it. */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { config, clock } = deps;
  const logger = deps.logger.child({ component: 'notify' });
  const outbox = new NotificationOutbox({ db: deps.db, clock, logger, retry: config.retry });
  const email = new EmailChannel({ transport: deps.mailTransport ?? createSmtpTransport(config.smtp), from: config.from, logger });
  const channels: Channel[] = [email, new WebhookChannel({ webhooks: config.webhooks, clock, logger })];
  // Without a mailbox there is no helpdesk channel: its messages go dead saying so, rather than mailing nowhere.
  if (config.helpdesk) channels.push(new HelpdeskChannel({ email, config: config.helpdesk }));
  const metrics = deps.registry ? registerNotifyMetrics(deps.registry, outbox) : undefined;
  const dispatcher = new NotificationDispatcher({
    outbox, channels, clock, logger,
    batchSize: config.dispatch.batchSize,
    leaseMs: config.dispatch.leaseMs,
    intervalMs: config.dispatch.intervalMs,
    ...(metrics ? { metrics } : {}),
    ...(deps.timer ? { timer: deps.timer } : {}),
  });
  outbox.onQueued(() => dispatcher.wake());
  return {
    outbox,
    dispatcher,
    channels,
    prune: (now = clock()) => outbox.pruneSent(new Date(now.getTime() - config.dispatch.sentRetentionDays * 86_400_000)),
    close: () => dispatcher.close(),
  };
}
