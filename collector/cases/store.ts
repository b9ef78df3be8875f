// The cases' rows: the fields a ticket gains as a case, comments, attachments, the mails of each case (threading) and
// the inbound mail log. Writes run inside the caller's transaction (TicketRepository.inTransaction).
import type { Db } from '../store/db.js';
import type { Ticket } from '../tickets/repository.js';
import type { CaseOrigin } from './migrations.js';

/** What a ticket carries as a case; alerts have origin 'alert' and the rest null. */
export interface CaseFields {
  origin: CaseOrigin;
  requesterEmail: string | null;
  requesterName: string | null;
  productVersion: string | null;
  os: string | null;
  osVersion: string | null;
  requestedPriority: number | null;
  severityConfirmedBy: string | null;
  severityConfirmedAt: string | null;
}

/** A ticket with its case fields (the repository reads every column, so these are present on every ticket row). */
export type CaseTicket = Ticket & CaseFields;

/** One comment on a case; internal ones are never shown to a contact. */
export interface CaseComment {
  id: number;
  ticketId: string;
  at: string;
  author: string;
  authorKind: 'contact' | 'engineer' | 'system';
  visibility: 'public' | 'internal';
  via: 'email' | 'portal' | 'console' | 'phone';
  body: string;
}

/** A stored attachment of a case. */
export interface CaseAttachment {
  id: string;
  ticketId: string;
  commentId: number | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  path: string;
  at: string;
}

/** One inbound mail and what became of it. */
export interface MailInRecord {
  messageId: string;
  receivedAt: string;
  source: string;
  sender: string;
  subject: string;
  outcome: 'case' | 'comment' | 'triage' | 'auto' | 'throttled' | 'refused';
  reason?: string | null;
  ticketId?: string | null;
  customerId?: string | null;
  body?: string | null;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelRow = <T>(row: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v])) as T;

/** SQL over the cases' tables. */
export class CaseStore {
  constructor(readonly db: Db) {}

  /** Sets a ticket's case fields. */
  setFields(ticketId: string, fields: Partial<CaseFields>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE tickets SET ${keys.map((k) => `${snake(k)} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id: ticketId });
  }

  /** Appends a comment; returns its id. */
  addComment(c: Omit<CaseComment, 'id'>): number {
    return Number(this.db.prepare(`INSERT INTO case_comments (ticket_id, at, author, author_kind, visibility, via, body)
      VALUES (@ticketId, @at, @author, @authorKind, @visibility, @via, @body)`).run(c).lastInsertRowid);
  }

  /** The comments of a ticket, oldest first; only the public ones when `publicOnly`. */
  comments(ticketId: string, publicOnly = false): CaseComment[] {
    const rows = this.db.prepare(`SELECT * FROM case_comments WHERE ticket_id = ? ${publicOnly ? "AND visibility = 'public'" : ''} ORDER BY id`)
      .all(ticketId) as Record<string, unknown>[];
    return rows.map((r) => camelRow<CaseComment>(r));
  }

  /** Records an attachment's row. */
  addAttachment(a: CaseAttachment): void {
    this.db.prepare(`INSERT INTO case_attachments (id, ticket_id, comment_id, name, content_type, size, sha256, path, at)
      VALUES (@id, @ticketId, @commentId, @name, @contentType, @size, @sha256, @path, @at)`).run(a);
  }

  /** The attachments of a ticket. */
  attachments(ticketId: string): CaseAttachment[] {
    return (this.db.prepare('SELECT * FROM case_attachments WHERE ticket_id = ? ORDER BY at, name').all(ticketId) as Record<string, unknown>[])
      .map((r) => camelRow<CaseAttachment>(r));
  }

  /** One attachment by id. */
  attachment(id: string): CaseAttachment | undefined {
    const row = this.db.prepare('SELECT * FROM case_attachments WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row ? camelRow<CaseAttachment>(row) : undefined;
  }

  /** Records a mail of a case (in or out); false when the Message-ID was recorded already. */
  addMessage(messageId: string, ticketId: string, direction: 'in' | 'out', address: string, at: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO case_messages (message_id, ticket_id, direction, address, at) VALUES (?, ?, ?, ?, ?)')
      .run(messageId, ticketId, direction, address.toLowerCase(), at).changes === 1;
  }

  /** The Message-IDs of a ticket's mails, oldest first: the first is the thread's root. */
  messageIds(ticketId: string): string[] {
    return this.db.prepare('SELECT message_id FROM case_messages WHERE ticket_id = ? ORDER BY at, rowid').pluck().all(ticketId) as string[];
  }

  /** The Message-IDs of a ticket's mails to and from one address, in the order they were recorded (a reader's thread). */
  threadOf(ticketId: string, address: string): string[] {
    return this.db.prepare('SELECT message_id FROM case_messages WHERE ticket_id = ? AND address = ? ORDER BY rowid')
      .pluck().all(ticketId, address.toLowerCase()) as string[];
  }

  /** Records a mail queued to an address (any ticket's: alerts' step mails too), so a reply to it finds the ticket. */
  recordOut(messageId: string, ticketId: string, address: string, at: string): void {
    this.addMessage(messageId, ticketId, 'out', address, at);
  }

  /** The ticket a Message-ID belongs to: a case mail, or any ticket mail of the outbox (`<outboxId@domain>`). */
  ticketOfMessage(messageId: string): string | undefined {
    const known = this.db.prepare('SELECT ticket_id FROM case_messages WHERE message_id = ?').pluck().get(messageId) as string | undefined;
    if (known) return known;
    const local = /^<?([^@<>]+)@/.exec(messageId)?.[1];
    if (!local) return undefined;
    return this.db.prepare("SELECT ref_id FROM notify_outbox WHERE id = ? AND ref_kind = 'ticket'").pluck().get(local) as string | undefined;
  }

  /** Whether an inbound Message-ID was handled already. */
  seenMail(messageId: string): boolean {
    return this.db.prepare('SELECT 1 FROM mail_in WHERE message_id = ?').get(messageId) !== undefined;
  }

  /** Records an inbound mail; false when its Message-ID was recorded before (the same message never acts twice). */
  recordMail(m: MailInRecord): boolean {
    return this.db.prepare(`INSERT OR IGNORE INTO mail_in (message_id, received_at, source, sender, subject, outcome, reason, ticket_id, customer_id, body)
      VALUES (@messageId, @receivedAt, @source, @sender, @subject, @outcome, @reason, @ticketId, @customerId, @body)`)
      .run({ reason: null, ticketId: null, customerId: null, body: null, ...m }).changes === 1;
  }

  /** Inbound mails from one address since an instant (the flood check). */
  mailsFromSince(sender: string, since: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM mail_in WHERE sender = ? AND received_at >= ?').pluck().get(sender.toLowerCase(), since) as number;
  }

  /** Answers sent to an address since an instant (acknowledgements and refusals), for the flood check. */
  answersToSince(sender: string, since: string): number {
    return this.db.prepare(`SELECT COUNT(*) FROM mail_in WHERE sender = ? AND received_at >= ? AND outcome IN ('case','refused')`)
      .pluck().get(sender.toLowerCase(), since) as number;
  }

  /** Inbound mails with the given outcomes (the console's triage list), newest first. */
  mailsByOutcome(outcomes: readonly MailInRecord['outcome'][], limit = 100): (MailInRecord & { id: number; resolvedAt: string | null })[] {
    return (this.db.prepare(`SELECT * FROM mail_in WHERE outcome IN (${outcomes.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ?`)
      .all(...outcomes, limit) as Record<string, unknown>[]).map((r) => camelRow(r));
  }

  /** Marks an IMAP message read; false when it was read before (same mailbox, UIDVALIDITY and UID). */
  markImapSeen(mailbox: string, uidvalidity: string, uid: number, at: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO imap_seen (mailbox, uidvalidity, uid, at) VALUES (?, ?, ?, ?)')
      .run(mailbox, uidvalidity, uid, at).changes === 1;
  }

  /** Whether an IMAP message was read already. */
  imapSeen(mailbox: string, uidvalidity: string, uid: number): boolean {
    return this.db.prepare('SELECT 1 FROM imap_seen WHERE mailbox = ? AND uidvalidity = ? AND uid = ?').get(mailbox, uidvalidity, uid) !== undefined;
  }
}
