// The durable notification outbox: every message to a person is stored here before anything tries to send it.
//
// Invariants:
//  - enqueue returns only after the row is committed (synchronous = FULL): a queued message survives a crash.
//  - A dedupKey is stored once (UNIQUE): a caller that retries its own step never queues a second copy.
//  - A message leaves 'pending' only by markSent (delivered) or by markFailed deciding it is dead; an operator's
//    retry brings a dead one back. 'sent' is final.
//  - claim() leases the due rows (moves next_attempt_at past the lease) in one IMMEDIATE transaction, so two
//    dispatchers, or two ticks, never hold the same message; a dispatcher that dies mid-send lets the lease expire
//    and the message is tried again: at-least-once, never lost.
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../lib/clock.js';
import { type DeliveryError, XpearsError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type { Db } from '../store/db.js';
import { fromRow, OUTBOX_COLUMNS, toRow, type OutboxEntry, type OutboxRow, type OutboxState } from './outbox-schema.js';
import { backoffDelay } from '../../lib/backoff.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { NotificationQueue, OutgoingMessage } from './types.js';

export { migrations, type OutboxEntry, type OutboxState } from './outbox-schema.js';

/** What the outbox needs: its database, the clock, a logger; the retry policy and the dice are optional. */
export interface NotificationOutboxDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  /** Returns [0, 1): the jitter of the backoff. Injected so tests can pin it. */
  random?: () => number;
}

/** What markFailed decided. */
export interface FailureOutcome {
  state: Exclude<OutboxState, 'sent'>;
  attempts: number;
  nextAttemptAt?: Date;
}

/** Counts for `status` and for the metrics gauges. */
export interface OutboxStats {
  pending: number;
  dead: number;
  sent: number;
  /** How long the oldest pending message has waited, in ms; null when none waits. */
  oldestPendingAgeMs: number | null;
}

const MAX_ERROR_LENGTH = 1_000;

/** The SQLite notification outbox; the collector's NotificationQueue. */
export class NotificationOutbox implements NotificationQueue {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  // Prepared once: preparing costs more than running a small statement, and a fan-out queues hundreds of thousands.
  private readonly insertStmt: Statement;
  private readonly existingStmt: Statement;
  private readonly queuedListeners: (() => void)[] = [];

  constructor(deps: NotificationOutboxDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.policy = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.random = deps.random ?? Math.random;
    // The table comes from the collector's migrations (collector/migrations.ts), applied once at start-up.
    this.insertStmt = this.db.prepare(
      `INSERT INTO notify_outbox (${OUTBOX_COLUMNS.join(', ')}) VALUES (${OUTBOX_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (dedup_key) DO NOTHING`,
    );
    this.existingStmt = this.db.prepare('SELECT id FROM notify_outbox WHERE dedup_key = ?').pluck();
  }

  /** Calls `listener` after each enqueue that stored something new (the dispatcher's wake; it may run inside the
   *  caller's transaction, so it must only schedule work, not do it). */
  onQueued(listener: () => void): void {
    this.queuedListeners.push(listener);
  }

  /** Stores the message; returns its id, or the id stored before under the same dedupKey. */
  enqueue(message: OutgoingMessage): string {
    checkMessage(message);
    const before = this.queuedCount;
    const id = this.insert(message, this.clock().getTime(), true);
    if (this.queuedCount !== before) for (const l of this.queuedListeners) l();
    return id;
  }

  private queuedCount = 0;

  /** Stores many messages in one transaction (one commit); returns their ids in order, each as enqueue would (the
   *  id stored before under the same dedupKey, also when an earlier message of the same call has that key). Every
   *  message is checked before any is written: one that could never be delivered refuses the whole call. */
  enqueueMany(messages: readonly OutgoingMessage[]): string[] {
    for (const m of messages) checkMessage(m);
    if (messages.length === 0) return [];
    const nowMs = this.clock().getTime();
    const before = this.queuedCount;
    const ids = this.db.transaction(() => messages.map((m) => this.insert(m, nowMs, false)))();
    this.logger.debug({ messages: messages.length }, 'notifications queued');
    if (this.queuedCount !== before) for (const l of this.queuedListeners) l();
    return ids;
  }

  private insert(message: OutgoingMessage, nowMs: number, logEach: boolean): string {
    const row = toRow(uuidv7(nowMs), message, nowMs);
    // Bound by position (the columns' order): binding twenty values by name costs more than the insert's own work.
    if (this.insertStmt.run(OUTBOX_COLUMNS.map((c) => row[c])).changes === 1) {
      this.queuedCount += 1;
      if (logEach) this.logger.debug({ id: row.id, channel: row.channel, ref: message.subjectRef }, 'notification queued');
      return row.id;
    }
    const existing = this.existingStmt.get(message.dedupKey) as string;
    if (logEach) this.logger.debug({ id: existing, dedupKey: message.dedupKey }, 'notification already queued');
    return existing;
  }

  /** The pending messages due at `now`, oldest first; reads only (see claim for sending). */
  due(now: Date, limit: number): OutboxEntry[] {
    const rows = this.db.prepare(
      `SELECT * FROM notify_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now.getTime(), limit) as OutboxRow[];
    return rows.map(fromRow);
  }

  /** Takes the due messages for sending: leases them for `leaseMs` so no other dispatcher takes them meanwhile.
   *  `skipChannels` leaves alone the channels found down in this pass, so their messages do not spend attempts. */
  claim(now: Date, limit: number, leaseMs: number, skipChannels: readonly string[] = []): OutboxEntry[] {
    const skip = skipChannels.length > 0 ? `AND channel NOT IN (${skipChannels.map(() => '?').join(', ')})` : '';
    return this.db.transaction(() => {
      const rows = this.db.prepare(
        `SELECT * FROM notify_outbox WHERE state = 'pending' AND next_attempt_at <= ? ${skip}
         ORDER BY next_attempt_at, id LIMIT ?`,
      ).all(now.getTime(), ...skipChannels, limit) as OutboxRow[];
      const lease = this.db.prepare(`UPDATE notify_outbox SET next_attempt_at = ?, updated_at = ? WHERE id = ?`);
      for (const r of rows) lease.run(now.getTime() + leaseMs, now.getTime(), r.id);
      return rows.map(fromRow);
    }).immediate();
  }

  /** Records a delivery; false when the message was not pending (sent already, or dead meanwhile). */
  markSent(id: string, now: Date): boolean {
    const result = this.db.prepare(
      `UPDATE notify_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, updated_at = ?,
       last_error = NULL, last_reason = NULL WHERE id = ? AND state = 'pending'`,
    ).run(now.getTime(), now.getTime(), id);
    return result.changes === 1;
  }

  /** Records a failed attempt: schedules the next with backoff, or declares the message dead. */
  markFailed(id: string, error: DeliveryError, now: Date): FailureOutcome {
    return this.db.transaction((): FailureOutcome => {
      const row = this.db.prepare(`SELECT attempts, state FROM notify_outbox WHERE id = ?`).get(id) as
        Pick<OutboxRow, 'attempts' | 'state'> | undefined;
      if (!row) throw new XpearsError('NOT_FOUND', `no notification has the id ${id}`);
      if (row.state !== 'pending') throw new XpearsError('STATE_CONFLICT', `notification ${id} is ${row.state}, not pending`);
      const attempts = row.attempts + 1;
      const dead = !error.retryable || attempts >= this.policy.maxAttempts;
      const nextMs = dead ? now.getTime() : now.getTime() + backoffDelay(attempts, this.policy.baseMs, this.policy.maxMs, this.random);
      this.db.prepare(
        `UPDATE notify_outbox SET state = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, last_error = ?,
         last_reason = ? WHERE id = ?`,
      ).run(dead ? 'dead' : 'pending', attempts, nextMs, now.getTime(), error.message.slice(0, MAX_ERROR_LENGTH), error.reason, id);
      if (dead) {
        this.logger.warn({ id, attempts, reason: error.reason, retryable: error.retryable, err: error.message }, 'notification dead');
        return { state: 'dead', attempts };
      }
      return { state: 'pending', attempts, nextAttemptAt: new Date(nextMs) };
    }).immediate();
  }

  /** Brings a dead (or waiting) message back to be sent on the next tick, with a fresh count of attempts. */
  retry(id: string): OutboxEntry {
    const nowMs = this.clock().getTime();
    const result = this.db.prepare(
      `UPDATE notify_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND state IN ('dead', 'pending')`,
    ).run(nowMs, nowMs, id);
    const entry = this.get(id);
    if (!entry) throw new XpearsError('NOT_FOUND', `no notification has the id ${id}`);
    if (result.changes === 0) throw new XpearsError('STATE_CONFLICT', `notification ${id} was sent already`);
    this.logger.info({ id }, 'notification retry requested');
    return entry;
  }

  /** One message by id. */
  get(id: string): OutboxEntry | undefined {
    const row = this.db.prepare('SELECT * FROM notify_outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Messages, newest first, optionally in one state. */
  list(opts: { state?: OutboxState; limit?: number } = {}): OutboxEntry[] {
    const limit = opts.limit ?? 50;
    const rows = opts.state
      ? this.db.prepare('SELECT * FROM notify_outbox WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(opts.state, limit)
      : this.db.prepare('SELECT * FROM notify_outbox ORDER BY created_at DESC, id DESC LIMIT ?').all(limit);
    return (rows as OutboxRow[]).map(fromRow);
  }

  /** Counts by state and the age of the oldest waiting message. */
  stats(now: Date = this.clock()): OutboxStats {
    const counts = { pending: 0, dead: 0, sent: 0 };
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM notify_outbox GROUP BY state').all() as { state: OutboxState; n: number }[];
    for (const r of rows) counts[r.state] = r.n;
    const oldest = this.db.prepare(`SELECT MIN(created_at) FROM notify_outbox WHERE state = 'pending'`).pluck().get() as number | null;
    return { ...counts, oldestPendingAgeMs: oldest === null ? null : Math.max(0, now.getTime() - oldest) };
  }

  /** Deletes sent messages older than `before`; dead ones stay until an operator deals with them. */
  pruneSent(before: Date): number {
    return this.db.prepare(`DELETE FROM notify_outbox WHERE state = 'sent' AND sent_at < ?`).run(before.getTime()).changes;
  }
}

// A message that can never be delivered is refused at the caller, where the mistake is, not found dead later.
function checkMessage(m: OutgoingMessage): void {
  const bad = (why: string): never => { throw new XpearsError('INVALID_ARGUMENT', `notification not queued: ${why}`); };
  if (!['email', 'webhook', 'helpdesk'].includes(m.channel)) bad(`unknown channel "${String(m.channel)}"`);
  if (!Array.isArray(m.to) || m.to.some((t) => typeof t !== 'string' || t.trim() === '')) bad('"to" must list non-empty strings');
  if (m.channel === 'email' && m.to.length === 0) bad('an e-mail needs at least one recipient');
  // One webhook per message: a partial success across several could only be retried by sending some twice.
  if (m.channel === 'webhook' && m.to.length !== 1) bad('a webhook message names exactly one webhook id');
  if (typeof m.message?.subject !== 'string' || m.message.subject.trim() === '') bad('the subject is empty');
  if (typeof m.message.text !== 'string') bad('the text is missing');
}
