// Test support for cases: the tickets' kit plus a second customer, the case service, the intake and a real SMTP
// listener on an ephemeral loopback port, and a nodemailer client that writes to it. Not used in production.
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { silentLogger } from '../../lib/logger.js';
import { sampleCustomer, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { CaseService } from './service.js';
import { MailIntake, type IntakeOptions } from './intake.js';
import { startCasSmtp, type CasSmtpListener } from './smtp.js';

/** The CAS address of the tests. */
export const CAS_ADDRESS = 'soporte@cas.xpears.local';

/** A kit with cases, the intake and the SMTP listener. */
export interface CaseKit extends TicketKit {
  cases: CaseService;
  intake: MailIntake;
  smtp: CasSmtpListener;
  /** Sends one mail to the listener over SMTP (to the CAS address unless `to` says otherwise). */
  send(mail: Mail.Options): Promise<void>;
  close(): Promise<void>;
}

/** Opens a case kit: customers acme and beta (Managed), the listener on 127.0.0.1:0. */
export async function caseKit(opts: { intake?: Partial<IntakeOptions> } = {}): Promise<CaseKit> {
  const k = ticketKit();
  k.registry.customers.set('beta', sampleCustomer('beta'));
  const cases = new CaseService(k.service, { mailDomain: 'xpears.example', portalUrl: 'http://127.0.0.1/portal' });
  const intake = new MailIntake(cases, {
    maxAttachmentBytes: 10 * 1024 * 1024, attachmentsDir: join(k.dir, 'attachments'), throttle: { max: 10, windowMinutes: 10 },
    defaultPriority: 3, ...opts.intake,
  }, k.clock, silentLogger());
  const smtp = await startCasSmtp(intake, { address: '127.0.0.1', port: 0, mailboxes: [CAS_ADDRESS], maxMessageBytes: 25 * 1024 * 1024 }, silentLogger());
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
  return {
    ...k, cases, intake, smtp,
    async send(mail) { await transport.sendMail({ to: CAS_ADDRESS, ...mail }); },
    async close() { transport.close(); await smtp.close(); k.db.close(); },
  };
}
