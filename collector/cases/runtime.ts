// Starting the cases' parts with the collector: the case service, the mail intake, the SMTP listener when enabled and
// the IMAP poller when configured; stopped in the reverse order.
import { join } from 'node:path';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { TicketService } from '../tickets/service.js';
import type { CasesConfig } from './config.js';
import { ImapPoller } from './imap.js';
import { MailIntake } from './intake.js';
import { CaseService } from './service.js';
import { startCasSmtp, type CasSmtpListener } from './smtp.js';

/** The running cases' parts. */
export interface RunningCases {
  service: CaseService;
  intake: MailIntake;
  smtp: CasSmtpListener | null;
  imap: ImapPoller | null;
  /** The line `npm start` prints: where the CAS mailbox listens and what it accepts (null without the listener). */
  describe(): string | null;
  stop(): Promise<void>;
}

/** Builds the case service and starts the mail intake's listeners. */
export async function startCases(config: CasesConfig, deps: {
  tickets: TicketService; dataDir: string; mailDomain: string; clock: Clock; logger: Logger; portalUrl?: string; schedules?: boolean;
}): Promise<RunningCases> {
  const portalUrl = deps.portalUrl ?? (config.portal.publicUrl ? `${config.portal.publicUrl.replace(/\/$/, '')}/portal` : undefined);
  const service = new CaseService(deps.tickets, { mailDomain: deps.mailDomain, ...(portalUrl ? { portalUrl } : {}) });
  const intake = new MailIntake(service, {
    maxAttachmentBytes: config.maxAttachmentBytes, attachmentsDir: join(deps.dataDir, 'attachments'), throttle: config.throttle,
    defaultPriority: config.defaultPriority,
  }, deps.clock, deps.logger);
  const smtp = config.smtp.enabled
    ? await startCasSmtp(intake, { address: config.smtp.address, port: config.smtp.port, mailboxes: config.mailboxes,
      maxMessageBytes: config.smtp.maxMessageBytes }, deps.logger)
    : null;
  const imap = config.imap && (deps.schedules ?? true) ? new ImapPoller(intake, service.store, config.imap, deps.logger) : null;
  imap?.start();
  return {
    service, intake, smtp, imap,
    describe: () => (smtp ? `CAS mailbox: tcp ${config.smtp.address}:${smtp.port}, ${config.mailboxes.join(', ')}` : null),
    async stop() {
      await imap?.stop();
      await smtp?.close();
    },
  };
}
