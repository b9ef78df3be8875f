// The triage list's way out: a mail from an unknown sender (outcome `triage`) is turned into a case by an engineer,
// who picks the customer and the requester, or discarded with a reason. Either is done once (a conditional UPDATE
// decides, in the transaction that opens the case) and names who did it. The mail's attachments were screened and
// stored at intake, so the case gets them without the mail being read again.
import type { Db, Migration } from '../store/db.js';
import { XpearsError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AcceptedFile, RefusedFile } from './attachments.js';
import { refusalLines } from './attachments.js';
import type { CaseService } from './service.js';
import type { CaseTicket, MailInRecord } from './store.js';
import { attachmentsRefusedMail } from './templates.js';
import { cleanSubject, trimQuoted } from './inbound.js';

/** Who handled a triage entry and how; its attachments, kept at intake. */
export const caseTriageMigrations: Migration[] = [{
  id: 'cases/002-triage-handling',
  up(db) {
    db.exec(`
      ALTER TABLE mail_in ADD COLUMN resolved_by TEXT;
      ALTER TABLE mail_in ADD COLUMN resolution TEXT CHECK (resolution IN ('case','discarded'));
      ALTER TABLE mail_in ADD COLUMN resolution_note TEXT;
      CREATE TABLE mail_in_attachments (
        message_id TEXT NOT NULL,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT,
        path TEXT,
        refused TEXT
      );
      CREATE INDEX mail_in_attachments_message ON mail_in_attachments (message_id);
    `);
  },
}];

/** A triage entry as the console shows it. */
export type TriageEntry = MailInRecord & { id: number; resolvedAt: string | null; resolvedBy: string | null; resolution: string | null; resolutionNote: string | null };

/** An attachment of a triage mail: accepted (stored) or refused (a reason, no file). */
export interface TriageAttachment { name: string; contentType: string; size: number; sha256: string | null; path: string | null; refused: string | null }

/** Records a triage mail's screened attachments (inside the intake's transaction). */
export function keepTriageAttachments(db: Db, messageId: string, accepted: readonly AcceptedFile[], refused: readonly RefusedFile[]): void {
  const insert = db.prepare(`INSERT INTO mail_in_attachments (message_id, name, content_type, size, sha256, path, refused)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  for (const a of accepted) insert.run(messageId, a.name, a.contentType, a.size, a.sha256, a.path, null);
  for (const r of refused) insert.run(messageId, r.name, 'application/octet-stream', 0, null, null, r.why);
}

/** What opening a case from a triage entry takes. */
export interface TriageCaseInput {
  customerId: string;
  /** The requester: a contact of that customer (the sender once added as one, or a colleague of hers). */
  requesterEmail: string;
  priority: 1 | 2 | 3 | 4;
  /** The engineer's login. */
  by: string;
}

/** Turns triage entries into cases, or discards them. */
export class TriageDesk {
  constructor(private readonly cases: CaseService) {}

  private get db(): Db { return this.cases.store.db; }

  /** One triage entry (unknown sender) by its id. */
  entry(id: number): TriageEntry | undefined {
    const row = this.db.prepare("SELECT * FROM mail_in WHERE id = ? AND outcome = 'triage'").get(id) as Record<string, unknown> | undefined;
    return row ? (Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v])) as unknown as TriageEntry) : undefined;
  }

  /** The attachments a triage mail carried. */
  attachments(messageId: string): TriageAttachment[] {
    return this.db.prepare(`SELECT name, content_type AS contentType, size, sha256, path, refused FROM mail_in_attachments
      WHERE message_id = ? ORDER BY rowid`).all(messageId) as TriageAttachment[];
  }

  // Marks the entry handled, once: false when another engineer (or a double click) did it first.
  private settle(id: number, resolution: 'case' | 'discarded', by: string, note: string | null, at: string): boolean {
    return this.db.prepare(`UPDATE mail_in SET resolved_at = ?, resolved_by = ?, resolution = ?, resolution_note = ?
      WHERE id = ? AND outcome = 'triage' AND resolved_at IS NULL`).run(at, by, resolution, note, id).changes === 1;
  }

  /** Opens a case from the entry: its subject, body and attachments, the plan's due time from now, the mail as the thread's root. */
  openCase(id: number, input: TriageCaseInput, now: Date): CaseTicket {
    const m = this.entry(id);
    if (!m) throw new XpearsError('NOT_FOUND', `no triage entry ${id}`);
    const contact = this.cases.contactOf(input.customerId, input.requesterEmail);
    if (!contact) throw new XpearsError('INVALID_ARGUMENT', `${input.requesterEmail} is not a contact of ${input.customerId}`);
    const at = now.toISOString();
    return this.cases.tickets.repo.inTransaction(() => {
      if (m.resolvedAt || !this.settle(id, 'case', input.by, null, at)) throw new XpearsError('STATE_CONFLICT', `triage entry ${id} was handled already`);
      const t = this.cases.open({ customerId: input.customerId, origin: 'email', by: input.by, messageId: m.messageId,
        requester: { name: contact.name, email: contact.email, language: contact.language },
        // As the intake reads a contact's mail: prefixes off the subject, quoted history off the body.
        title: cleanSubject(m.subject), description: trimQuoted(m.body ?? '') || (m.body ?? ''), priority: input.priority }, now);
      this.db.prepare('UPDATE mail_in SET resolution_note = ?, ticket_id = ?, customer_id = ? WHERE id = ?').run(t.number, t.id, t.customerId, id);
      const files = this.attachments(m.messageId);
      for (const f of files) {
        if (f.path && f.sha256) this.cases.store.addAttachment({ id: uuidv7(now.getTime()), ticketId: t.id, commentId: null, at, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, path: f.path });
      }
      const refused = files.filter((f) => f.refused).map((f) => ({ name: f.name, why: f.refused as RefusedFile['why'] }));
      if (refused.length) {
        this.cases.tickets.deps.queue.enqueue({ channel: 'email', to: [contact.email], dedupKey: `mail-refused:${m.messageId}`,
          payload: { thread: { inReplyTo: m.messageId, references: [m.messageId] } },
          message: attachmentsRefusedMail.render(contact.language, { recipientName: contact.name, subject: m.subject || '—', refused: refusalLines(refused, contact.language) }) });
      }
      return t;
    });
  }

  /** Discards the entry with the engineer's reason; nothing is mailed. */
  discard(id: number, reason: string, by: string, now: Date): void {
    const m = this.entry(id);
    if (!m) throw new XpearsError('NOT_FOUND', `no triage entry ${id}`);
    const why = reason.trim().slice(0, 500);
    if (!why) throw new XpearsError('INVALID_ARGUMENT', 'a discard needs a reason');
    if (!this.settle(id, 'discarded', by, why, now.toISOString())) throw new XpearsError('STATE_CONFLICT', `triage entry ${id} was handled already`);
  }
}
