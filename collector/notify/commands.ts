// The operator's commands on the outbox (`xpears notification list|retry`): plain functions, printed by the CLI.
import { XpearsError } from '../../lib/errors.js';
import type { NotificationOutbox, OutboxEntry, OutboxState } from './outbox.js';

/** The outbox operations the commands use. */
export type CommandOutbox = Pick<NotificationOutbox, 'list' | 'retry' | 'stats'>;

/** Options of `xpears notification list`. */
export interface ListNotificationsOptions {
  /** Only this state; default all. */
  state?: OutboxState | 'all';
  /** Newest first, at most this many (default 50). */
  limit?: number;
  /** The instant "age" is measured from; default the time of the outbox's clock. */
  now?: Date;
}

/** One line of the listing, as data (for --json) and as what a person reads. */
export interface NotificationSummary {
  id: string;
  state: OutboxState;
  channel: string;
  to: string[];
  subject: string;
  attempts: number;
  createdAt: string;
  nextAttemptAt?: string;
  sentAt?: string;
  lastReason?: string;
  lastError?: string;
  ref?: string;
}

/** What a command returns: the data, and the text to print. */
export interface CommandResult<T> {
  data: T;
  text: string;
}

const STATES: readonly string[] = ['pending', 'sent', 'dead', 'all'];

function summarize(e: OutboxEntry): NotificationSummary {
  const s: NotificationSummary = {
    id: e.id, state: e.state, channel: e.channel, to: e.to, subject: e.message.subject, attempts: e.attempts,
    createdAt: e.createdAt.toISOString(),
  };
  if (e.state === 'pending') s.nextAttemptAt = e.nextAttemptAt.toISOString();
  if (e.sentAt) s.sentAt = e.sentAt.toISOString();
  if (e.lastReason) s.lastReason = e.lastReason;
  if (e.lastError) s.lastError = e.lastError;
  if (e.subjectRef) s.ref = `${e.subjectRef.kind}:${e.subjectRef.id}`;
  return s;
}

function describe(s: NotificationSummary): string {
  const when = s.state === 'sent' ? `sent ${s.sentAt ?? ''}` : s.state === 'pending' ? `next ${s.nextAttemptAt ?? ''}` : 'dead';
  const head = `${s.id}  ${s.state.padEnd(7)}  ${s.channel.padEnd(8)}  attempts ${s.attempts}  ${when}`;
  const lines = [head, `    to ${s.to.join(', ') || '(configured mailbox)'}  ${s.ref ?? ''}`.trimEnd(), `    ${s.subject}`];
  if (s.lastError && s.state !== 'sent') lines.push(`    last failure (${s.lastReason ?? 'unknown'}): ${s.lastError}`);
  return lines.join('\n');
}

/** Lists notifications, newest first, with the outbox's counts on top. */
export function listNotifications(outbox: CommandOutbox, opts: ListNotificationsOptions = {}): CommandResult<NotificationSummary[]> {
  const state = opts.state ?? 'all';
  if (!STATES.includes(state)) {
    throw new XpearsError('INVALID_ARGUMENT', `unknown state "${state}": use pending, sent, dead or all`);
  }
  const limit = opts.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1) throw new XpearsError('INVALID_ARGUMENT', 'the limit must be a whole number above 0');
  const entries = outbox.list(state === 'all' ? { limit } : { state, limit }).map(summarize);
  const stats = outbox.stats(opts.now);
  const age = stats.oldestPendingAgeMs === null ? '' : `, oldest pending waits ${Math.round(stats.oldestPendingAgeMs / 1000)} s`;
  const header = `${stats.pending} pending, ${stats.dead} dead, ${stats.sent} sent${age}`;
  const body = entries.length > 0 ? entries.map(describe).join('\n') : 'no notifications match';
  const hint = stats.dead > 0 ? '\nretry a dead notification with: xpears notification retry <id>' : '';
  return { data: entries, text: `${header}\n${body}${hint}` };
}

/** Puts a dead (or waiting) notification back to be sent on the next pass, with a fresh count of attempts. */
export function retryNotification(outbox: CommandOutbox, id: string): CommandResult<NotificationSummary> {
  const entry = summarize(outbox.retry(id.trim()));
  return { data: entry, text: `notification ${entry.id} (${entry.channel} to ${entry.to.join(', ') || 'the configured mailbox'}) will be sent on the next pass` };
}

/** Retries every dead notification (after the cause was fixed: a password, a mailbox), up to `limit`. */
export function retryDeadNotifications(outbox: CommandOutbox, limit = 1_000): CommandResult<string[]> {
  const ids = outbox.list({ state: 'dead', limit }).map((e) => outbox.retry(e.id).id);
  return { data: ids, text: ids.length > 0 ? `${ids.length} dead notification(s) will be sent on the next pass` : 'no dead notifications' };
}
