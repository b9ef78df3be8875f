// The help-desk channel: a case e-mail to the CAS mailbox, sent through the e-mail channel's SMTP transport.
import type { Channel } from '../channel.js';
import type { EmailChannel } from '../email/channel.js';
import type { OutboxEntry } from '../outbox-schema.js';
import type { HelpdeskConfig } from './config.js';

/** Delivers helpdesk entries to the configured mailbox, with Reply-To set to the case's contact. */
export class HelpdeskChannel implements Channel {
  readonly name = 'helpdesk' as const;

  constructor(private readonly deps: { email: EmailChannel; config: HelpdeskConfig }) {}

  /** Sends the case e-mail; failures are the e-mail channel's DeliveryErrors. */
  async send(entry: OutboxEntry): Promise<void> {
    const payload = entry.payload as { replyTo?: unknown } | null | undefined;
    const replyTo = typeof payload?.replyTo === 'string' && payload.replyTo.includes('@') ? payload.replyTo : undefined;
    await this.deps.email.deliver(entry, [this.deps.config.mailbox], replyTo ? { replyTo } : {});
  }
}
