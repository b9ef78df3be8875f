// The dispatcher: takes due messages from the outbox and delivers each through its channel, one pass per tick.
//
// Delivery is at-least-once. A message is marked sent right after its channel accepted it, in the same step; the
// one window left is a crash between the SMTP server's 250 (or the webhook's 2xx) and that mark: the lease then
// expires and the message is sent again. Every copy carries the same Message-ID (the outbox id) and the webhook's
// X-Xpears-Delivery header, so mail systems and receivers can recognise the repeat. A message that was accepted is
// never sent again otherwise, and one the channel refused is retried with backoff or goes dead.
import type { Clock } from '../../lib/clock.js';
import { DeliveryError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Channel } from './channel.js';
import { noopNotifyMetrics, type NotifyMetrics } from './metrics.js';
import type { FailureOutcome, NotificationOutbox } from './outbox.js';

/** The part of the outbox the dispatcher uses. */
export type DispatchQueue = Pick<NotificationOutbox, 'claim' | 'markSent' | 'markFailed'>;

/** The timer the loop waits with; tests pass one they fire by hand. */
export interface LoopTimer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: LoopTimer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the dispatcher needs. */
export interface NotificationDispatcherDeps {
  outbox: DispatchQueue;
  channels: readonly Channel[];
  clock: Clock;
  logger: Logger;
  metrics?: NotifyMetrics;
  /** Most messages per tick (default 100). */
  batchSize?: number;
  /** How long a taken message is hidden from other dispatchers (default 5 min): longer than the slowest send. */
  leaseMs?: number;
  /** Pause between ticks of the loop (default 5 s). */
  intervalMs?: number;
  timer?: LoopTimer;
}

/** What one tick did. */
export interface TickReport {
  sent: number;
  retrying: number;
  dead: number;
  /** Channels found unreachable in this tick: their other messages waited for the next one. */
  channelsDown: string[];
}

// A failure of the road (connection refused, timeout) rather than of the message: the other messages on the same
// channel would meet it too, and would only spend their attempts.
const CHANNEL_DOWN_REASONS = new Set(['network', 'timeout']);

/** Delivers the outbox: call tick(now) from a scheduler or a test, or start() its own loop. */
export class NotificationDispatcher {
  private readonly channels: Map<string, Channel>;
  private readonly metrics: NotifyMetrics;
  private readonly timer: LoopTimer;
  private handle: unknown;
  private running = false;
  private stopping = false;
  private inFlight: Promise<TickReport> | undefined;
  private wokenDuringTick = false;

  constructor(private readonly deps: NotificationDispatcherDeps) {
    this.channels = new Map(deps.channels.map((c) => [c.name, c]));
    this.metrics = deps.metrics ?? noopNotifyMetrics;
    this.timer = deps.timer ?? realTimer;
  }

  /** One pass: delivers the messages due at `now`, one at a time, each marked sent or failed before the next. */
  async tick(now: Date = this.deps.clock()): Promise<TickReport> {
    const report: TickReport = { sent: 0, retrying: 0, dead: 0, channelsDown: [] };
    const batchSize = this.deps.batchSize ?? 100;
    const leaseMs = this.deps.leaseMs ?? 300_000;
    // One message per claim: its lease then covers one send, not the whole batch queued behind it.
    // A stop waits for the message being sent, not for the rest of the batch.
    for (let n = 0; n < batchSize && !this.stopping; n++) {
      const [entry] = this.deps.outbox.claim(now, 1, leaseMs, report.channelsDown);
      if (!entry) break;
      const channel = this.channels.get(entry.channel);
      const log = this.deps.logger.child({ id: entry.id, channel: entry.channel, attempt: entry.attempts + 1 });
      try {
        if (!channel) throw new DeliveryError(`the ${entry.channel} channel is not configured`, 'client', false);
        await channel.send(entry);
      } catch (err) {
        const failure = err instanceof DeliveryError ? err : new DeliveryError(String(err), 'unknown', true);
        const outcome: FailureOutcome = this.deps.outbox.markFailed(entry.id, failure, now);
        this.metrics.failed(entry.channel, failure.reason);
        if (outcome.state === 'dead') report.dead++;
        else report.retrying++;
        log.warn({ reason: failure.reason, retryable: failure.retryable, err: failure.message, state: outcome.state,
          nextAttemptAt: outcome.nextAttemptAt?.toISOString() }, 'notification delivery failed');
        if (failure.retryable && CHANNEL_DOWN_REASONS.has(failure.reason)) report.channelsDown.push(entry.channel);
        continue;
      }
      // False only if an operator changed the row meanwhile; the message did go out, so it counts as sent.
      if (!this.deps.outbox.markSent(entry.id, now)) log.warn('notification sent but no longer pending');
      this.metrics.sent(entry.channel);
      report.sent++;
      log.info('notification sent');
    }
    return report;
  }

  /** Starts the loop: a tick now, then one `intervalMs` after each tick ends (ticks never overlap). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * A message was queued: tick at once instead of at the next poll (which stays, as the safety net). During a tick,
   * the next one starts as soon as it ends. Wakes in one turn of the loop make one tick.
   */
  wake(): void {
    if (!this.running) return;
    if (this.inFlight) { this.wokenDuringTick = true; return; }
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.schedule(0);
  }

  /** Stops the loop; a tick in flight finishes the message it is sending (and marks it), then ends. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
    this.stopping = true;
    try {
      await this.inFlight?.catch(() => undefined);
    } finally {
      this.stopping = false;
    }
  }

  /** Stops the loop and closes the channels' connections. */
  async close(): Promise<void> {
    await this.stop();
    for (const channel of this.channels.values()) await channel.close?.();
  }

  private schedule(ms: number): void {
    this.handle = this.timer.set(() => {
      this.handle = undefined;
      if (!this.running) return;
      this.inFlight = this.tick();
      void this.inFlight
        // The loop must outlive a bad tick (a locked database, a bug in a channel): log it and keep going.
        .catch((err: unknown) => this.deps.logger.error({ err }, 'notification tick failed'))
        .finally(() => {
          this.inFlight = undefined;
          const again = this.wokenDuringTick;
          this.wokenDuringTick = false;
          if (this.running) this.schedule(again ? 0 : this.deps.intervalMs ?? 5_000);
        });
    }, ms);
  }
}
