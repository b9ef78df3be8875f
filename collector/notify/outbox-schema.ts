// The notification outbox's table and the mapping between its rows and the entries the rest of the code sees.
import type { Migration } from '../store/db.js';
import type { OutgoingAttachment, OutgoingMessage, RenderedMessage } from './types.js';

/** Where a message stands: waiting (also between retries), delivered, or given up until an operator retries it. */
export type OutboxState = 'pending' | 'sent' | 'dead';

/** The outbox's schema steps, applied with the collector's others (collector/migrations.ts). */
export const migrations: Migration[] = [
  {
    id: 'notify/001-outbox',
    up(db) {
      // Times are epoch milliseconds: compared on every tick, so integers, not text.
      db.exec(`
        CREATE TABLE notify_outbox (
          id TEXT PRIMARY KEY,
          channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'helpdesk')),
          recipients TEXT NOT NULL,
          subject TEXT NOT NULL,
          body_text TEXT NOT NULL,
          body_html TEXT,
          payload TEXT,
          attachments TEXT,
          dedup_key TEXT UNIQUE,
          ref_kind TEXT,
          ref_id TEXT,
          customer_id TEXT,
          state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          sent_at INTEGER,
          last_error TEXT,
          last_reason TEXT
        );
        CREATE INDEX notify_outbox_due ON notify_outbox (state, next_attempt_at);
        CREATE INDEX notify_outbox_ref ON notify_outbox (ref_kind, ref_id);
      `);
    },
  },
];

/** One row of the outbox as SQLite returns it. */
export interface OutboxRow {
  id: string;
  channel: OutgoingMessage['channel'];
  recipients: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  payload: string | null;
  attachments: string | null;
  dedup_key: string | null;
  ref_kind: string | null;
  ref_id: string | null;
  customer_id: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  last_error: string | null;
  last_reason: string | null;
}

/** A stored message with its delivery state: what channels send and what `xpears notification list` shows. */
export interface OutboxEntry extends OutgoingMessage {
  id: string;
  state: OutboxState;
  /** Delivery attempts made so far (failed ones, plus the one that succeeded). */
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
  lastError?: string;
  lastReason?: string;
}

/** The columns toRow fills, in its order: the INSERT of the outbox names these. */
export const OUTBOX_COLUMNS: readonly (keyof OutboxRow)[] = ['id', 'channel', 'recipients', 'subject', 'body_text',
  'body_html', 'payload', 'attachments', 'dedup_key', 'ref_kind', 'ref_id', 'customer_id', 'state', 'attempts',
  'next_attempt_at', 'created_at', 'updated_at', 'sent_at', 'last_error', 'last_reason'];

/** The columns of a new row, from the message the caller queued. */
export function toRow(id: string, m: OutgoingMessage, nowMs: number): OutboxRow {
  return {
    id,
    channel: m.channel,
    recipients: JSON.stringify(m.to),
    subject: m.message.subject,
    body_text: m.message.text,
    body_html: m.message.html ?? null,
    // undefined is "no payload"; null is a payload a webhook may want to send, so it is kept as JSON.
    payload: m.payload === undefined ? null : JSON.stringify(m.payload),
    attachments: m.attachments && m.attachments.length > 0 ? JSON.stringify(m.attachments) : null,
    dedup_key: m.dedupKey ?? null,
    ref_kind: m.subjectRef?.kind ?? null,
    ref_id: m.subjectRef?.id ?? null,
    customer_id: m.subjectRef?.customerId ?? null,
    state: 'pending',
    attempts: 0,
    next_attempt_at: nowMs,
    created_at: nowMs,
    updated_at: nowMs,
    sent_at: null,
    last_error: null,
    last_reason: null,
  };
}

/** The entry a row stands for. */
export function fromRow(row: OutboxRow): OutboxEntry {
  const message: RenderedMessage = { subject: row.subject, text: row.body_text };
  if (row.body_html !== null) message.html = row.body_html;
  const entry: OutboxEntry = {
    id: row.id,
    channel: row.channel,
    to: JSON.parse(row.recipients) as string[],
    message,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    createdAt: new Date(row.created_at),
  };
  if (row.payload !== null) entry.payload = JSON.parse(row.payload) as unknown;
  if (row.attachments !== null) entry.attachments = JSON.parse(row.attachments) as OutgoingAttachment[];
  if (row.dedup_key !== null) entry.dedupKey = row.dedup_key;
  if (row.ref_kind !== null && row.ref_id !== null) {
    entry.subjectRef = { kind: row.ref_kind as NonNullable<OutgoingMessage['subjectRef']>['kind'], id: row.ref_id };
    if (row.customer_id !== null) entry.subjectRef.customerId = row.customer_id;
  }
  if (row.sent_at !== null) entry.sentAt = new Date(row.sent_at);
  if (row.last_error !== null) entry.lastError = row.last_error;
  if (row.last_reason !== null) entry.lastReason = row.last_reason;
  return entry;
}
