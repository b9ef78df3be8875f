// The e-mail channel: an outbox entry becomes one SMTP message through nodemailer.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Logger } from '../../../lib/logger.js';
import type { Channel } from '../channel.js';
import type { OutboxEntry } from '../outbox-schema.js';
import type { FromConfig, SmtpConfig } from './config.js';
import { smtpFailure } from './errors.js';

/** The mail-sending edge the channel needs: nodemailer's transporter, or a fake with the same two methods. */
export interface MailTransport {
  sendMail(mail: Mail.Options): Promise<{ accepted: unknown[]; rejected: unknown[] }>;
  close(): void;
}

/** Builds nodemailer's SMTP transport from validated settings (reads the CA file now, so a bad path fails early). */
export function createSmtpTransport(config: SmtpConfig): MailTransport {
  const tls: { rejectUnauthorized: boolean; ca?: string; servername?: string } = { rejectUnauthorized: config.tls.rejectUnauthorized };
  if (config.tls.caFile) tls.ca = readFileSync(config.tls.caFile, 'utf8');
  if (config.tls.servername) tls.servername = config.tls.servername;
  const options = {
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.starttls === 'required',
    ignoreTLS: config.starttls === 'never',
    auth: config.auth ? { user: config.auth.user, pass: config.auth.pass } : undefined,
    connectionTimeout: config.connectionTimeoutMs,
    greetingTimeout: config.greetingTimeoutMs,
    socketTimeout: config.socketTimeoutMs,
    tls,
    // nodemailer logs nothing of its own: our channel logs each outcome with the outbox id.
    logger: false,
  };
  return config.pool
    ? nodemailer.createTransport({ ...options, pool: true, maxConnections: config.maxConnections })
    : nodemailer.createTransport(options);
}

/** What the channel needs to send: the transport, the sender, a logger. */
export interface EmailChannelDeps {
  transport: MailTransport;
  from: FromConfig;
  logger: Logger;
}

/** Extra headers for one delivery: the help desk's replies should reach the contact, not the relay. */
export interface DeliveryOptions {
  replyTo?: string;
}

/** The domain of outgoing Message-IDs: the sender address's (notify.from), or a reserved one without it. */
export function mailDomainOf(fromAddress: string | undefined): string {
  return fromAddress?.split('@')[1] || 'xpears.invalid';
}

/** The Message-ID of an outbox entry's mail, known as soon as the entry is queued (threading records it then). */
export function outboxMessageId(outboxId: string, domain: string): string {
  return `<${outboxId}@${domain}>`;
}

/** Delivers e-mail entries; the helpdesk channel reuses it with its own recipients. */
export class EmailChannel implements Channel {
  readonly name = 'email' as const;
  private readonly domain: string;

  constructor(private readonly deps: EmailChannelDeps) {
    this.domain = mailDomainOf(deps.from.address);
  }

  /** The Message-ID of an entry: its outbox id, so that a copy resent after a crash can be recognised as one. */
  messageId(entry: Pick<OutboxEntry, 'id'>): string {
    return outboxMessageId(entry.id, this.domain);
  }

  /** Sends the entry to its own recipients. */
  async send(entry: OutboxEntry): Promise<void> {
    await this.deliver(entry, entry.to);
  }

  /** Sends the entry to the given recipients; rejects with a DeliveryError. */
  async deliver(entry: OutboxEntry, to: readonly string[], options: DeliveryOptions = {}): Promise<void> {
    const mail: Mail.Options = {
      from: { name: this.deps.from.name, address: this.deps.from.address },
      to: [...to],
      subject: entry.message.subject,
      text: entry.message.text,
      messageId: this.messageId(entry),
      // The time the message was written, not the time of this attempt: every retry is the same message.
      date: entry.createdAt,
      headers: {
        // RFC 3834: vacation responders and ticket systems must not answer an automatic message automatically.
        'Auto-Submitted': 'auto-generated',
        'X-Xpears-Notification-Id': entry.id,
      },
    };
    if (entry.message.html !== undefined) mail.html = entry.message.html;
    // A case's mail (collector/cases/) carries its thread in the payload, which e-mail entries do not otherwise use.
    const thread = (entry.payload as { thread?: { inReplyTo?: string; references?: string[] } } | undefined)?.thread;
    if (thread?.inReplyTo) mail.inReplyTo = thread.inReplyTo;
    if (thread?.references?.length) mail.references = thread.references;
    if (options.replyTo) mail.replyTo = options.replyTo;
    if (entry.attachments?.length) {
      mail.attachments = entry.attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType }));
    }
    let result: { accepted: unknown[]; rejected: unknown[] };
    try {
      result = await this.deps.transport.sendMail(mail);
    } catch (err) {
      throw smtpFailure(err);
    }
    // Some recipients refused, others took it: sending again would duplicate the mail for those who have it.
    if (result.rejected.length > 0) {
      this.deps.logger.warn({ id: entry.id, rejected: result.rejected.map(String) }, 'smtp refused some recipients');
    }
  }

  /** Closes the pooled connections. */
  close(): void {
    this.deps.transport.close();
  }
}
