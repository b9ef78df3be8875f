// The CAS mailbox's intake: one inbound mail (from the SMTP listener or the IMAP poller) becomes a new case, a public
// comment on its ticket, a triage entry (unknown sender, flood) or an automatic mail recorded and never answered. The
// decision and its effects commit in one transaction with the mail's record (and, from IMAP, its UID): the same
// message never acts twice, also when it is delivered again after a restart.
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Clock } from '../../lib/clock.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type { Contact, Customer } from '../registry/types.js';
import type { CaseService } from './service.js';
import type { MailInRecord } from './store.js';
import { attachmentsRefusedMail } from './templates.js';
import { automaticReason, cleanSubject, fieldsFromBody, ticketNumberIn, trimQuoted } from './inbound.js';
import { AttachmentPolicy, refusalLines, type AcceptedFile, type RefusedFile } from './attachments.js';
import { keepTriageAttachments } from './triage.js';

/** The intake's settings (cases.mail in the configuration). */
export interface IntakeOptions {
  /** Largest attachment accepted, in bytes (the manuals: 10 MB). */
  maxAttachmentBytes: number;
  /** Where accepted attachments are written (by SHA-256). */
  attachmentsDir: string;
  /** More than `max` mails from one address within `windowMinutes` are recorded as throttled, not acted on. */
  throttle: { max: number; windowMinutes: number };
  /** The priority of a mailed case whose body names none. */
  defaultPriority: 1 | 2 | 3 | 4;
}

/** Where a mail came from; an IMAP message carries its mailbox, UIDVALIDITY and UID. */
export interface MailSource {
  kind: 'smtp' | 'imap';
  imap?: { mailbox: string; uidvalidity: string; uid: number };
}

/** What became of a mail. */
export interface IntakeResult {
  outcome: MailInRecord['outcome'] | 'duplicate';
  ticketNumber?: string;
  reason?: string;
}

type Accepted = AcceptedFile;

/** Turns inbound mails into cases and comments. */
export class MailIntake {
  private readonly log: Logger;
  /** The attachment policy (size, executables, archives), shared with the portal's forms. */
  readonly policy: AttachmentPolicy;

  constructor(private readonly cases: CaseService, private readonly opts: IntakeOptions, private readonly clock: Clock, logger: Logger) {
    this.log = logger.child({ component: 'cases.intake' });
    this.policy = new AttachmentPolicy(opts.maxAttachmentBytes, opts.attachmentsDir);
  }

  /** Parses and acts on one raw message. */
  async receive(raw: Buffer, source: MailSource): Promise<IntakeResult> {
    const mail = await simpleParser(raw, { skipHtmlToText: false });
    const messageId = mail.messageId ?? `<sha256-${createHash('sha256').update(raw).digest('hex')}@xpears.invalid>`;
    const { accepted, refused } = this.attachments(mail);
    const result = this.cases.tickets.repo.inTransaction(() => this.decide(mail, messageId, source, accepted, refused));
    this.log.info({ outcome: result.outcome, ticket: result.ticketNumber, source: source.kind, reason: result.reason }, 'mail received');
    return result;
  }

  // Writes accepted attachments by their SHA-256 (idempotent); lists the refused ones with their reasons.
  private attachments(mail: ParsedMail): { accepted: Accepted[]; refused: RefusedFile[] } {
    return this.policy.screen(mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, content: a.content })));
  }

  private findContact(email: string): { customer: Customer; contact: Contact } | undefined {
    for (const customer of this.cases.tickets.deps.registry.listCustomers()) {
      const contact = customer.contacts.find((c) => c.email.toLowerCase() === email);
      if (contact) return { customer, contact };
    }
    return undefined;
  }

  // The decision, inside the transaction: duplicate, automatic, flood, reply, unknown sender or a new case.
  private decide(mail: ParsedMail, messageId: string, source: MailSource, accepted: Accepted[], refused: RefusedFile[]): IntakeResult {
    const store = this.cases.store;
    const now = this.clock();
    const at = now.toISOString();
    if (source.imap && !store.markImapSeen(source.imap.mailbox, source.imap.uidvalidity, source.imap.uid, at)) return { outcome: 'duplicate' };
    if (store.seenMail(messageId)) return { outcome: 'duplicate' };
    const sender = (mail.from?.value[0]?.address ?? '').toLowerCase();
    const subject = (mail.subject ?? '').slice(0, 300);
    const text = mail.text ?? '';
    const base = { messageId, receivedAt: at, source: source.kind, sender, subject, body: text.slice(0, 20_000) };
    const record = (outcome: MailInRecord['outcome'], extra: Partial<MailInRecord> = {}): IntakeResult => {
      store.recordMail({ ...base, outcome, ...extra });
      return { outcome, ...(extra.reason ? { reason: extra.reason } : {}) };
    };
    const auto = automaticReason(mail);
    if (auto) return record('auto', { reason: auto });
    const since = new Date(now.getTime() - this.opts.throttle.windowMinutes * 60_000).toISOString();
    if (store.mailsFromSince(sender, since) >= this.opts.throttle.max) return record('throttled', { reason: 'flood' });
    const found = this.findContact(sender);
    if (!found) {
      const triaged = record('triage', { reason: 'unknown sender' });
      // Kept for the engineer who may turn the entry into a case (collector/cases/triage.ts).
      keepTriageAttachments(store.db, messageId, accepted, refused);
      return triaged;
    }
    const ticket = this.ticketAnswered(mail, found.customer.id);
    if (ticket) {
      this.cases.comment(ticket, { author: sender, authorKind: 'contact', visibility: 'public', via: 'email', body: trimQuoted(text) || '(sin texto)', messageId }, now);
      this.storeAttachments(ticket, accepted, at);
      if (refused.length) this.tellRefused(found.contact, subject, refused, messageId);
      store.recordMail({ ...base, outcome: 'comment', ticketId: ticket, customerId: found.customer.id });
      return { outcome: 'comment', ticketNumber: this.cases.get(ticket)?.number };
    }
    const f = fieldsFromBody(text);
    const t = this.cases.open({ customerId: found.customer.id, origin: 'email', requester: { name: found.contact.name, email: sender, language: found.contact.language },
      title: cleanSubject(subject), description: trimQuoted(text) || text, vendor: f.vendor ?? null, product: f.product ?? null,
      productVersion: f.productVersion ?? null, os: f.os ?? null, osVersion: f.osVersion ?? null, priority: f.priority ?? this.opts.defaultPriority, messageId }, now);
    this.storeAttachments(t.id, accepted, at);
    if (refused.length) this.tellRefused(found.contact, subject, refused, messageId);
    store.recordMail({ ...base, outcome: 'case', ticketId: t.id, customerId: found.customer.id });
    return { outcome: 'case', ticketNumber: t.number };
  }

  // The ticket a mail answers: by In-Reply-To/References, else by the number in its subject; of the sender's customer only.
  private ticketAnswered(mail: ParsedMail, customerId: string): string | undefined {
    const refs = [mail.inReplyTo, ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])]
      .filter((r): r is string => Boolean(r)).flatMap((r) => r.split(/\s+/)).filter(Boolean);
    const candidates = [...refs.reverse().map((r) => this.cases.store.ticketOfMessage(r)), ticketNumberIn(mail.subject ?? '')];
    for (const c of candidates) {
      const t = c ? this.cases.get(c) : undefined;
      if (t && t.customerId === customerId) return t.id;
    }
    return undefined;
  }

  private storeAttachments(ticketId: string, accepted: Accepted[], at: string): void {
    for (const a of accepted) this.cases.store.addAttachment({ id: uuidv7(), ticketId, commentId: null, at, ...a });
  }

  // The sender is told which attachments were refused and why, threaded to the mail.
  private tellRefused(contact: Contact, subject: string, refused: RefusedFile[], messageId: string): void {
    const lines = refusalLines(refused, contact.language);
    this.cases.tickets.deps.queue.enqueue({
      channel: 'email', to: [contact.email], dedupKey: `mail-refused:${messageId}`, payload: { thread: { inReplyTo: messageId, references: [messageId] } },
      message: attachmentsRefusedMail.render(contact.language, { recipientName: contact.name, subject: subject || '—', refused: lines }),
    });
  }
}
