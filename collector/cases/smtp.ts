// The CAS mailbox's SMTP listener, for providers that route the mailbox to the collector: it accepts mail for the
// configured CAS addresses only (any other recipient is refused with 550: not a relay), up to a size, and hands each
// message to the intake before answering 250, so a mail the intake could not store is retried by the sender.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import type { MailIntake } from './intake.js';

/** The listener's settings. */
export interface CasSmtpOptions {
  address: string;
  port: number;
  /** The CAS addresses accepted as recipients (case-insensitive). */
  mailboxes: readonly string[];
  /** Largest message in bytes (attachments included). */
  maxMessageBytes: number;
}

/** A running listener. */
export interface CasSmtpListener {
  port: number;
  close(): Promise<void>;
}

/** Starts the listener on address:port (0: an ephemeral port). */
export async function startCasSmtp(intake: MailIntake, opts: CasSmtpOptions, logger: Logger): Promise<CasSmtpListener> {
  const log = logger.child({ component: 'cases.smtp' });
  const accepted = new Set(opts.mailboxes.map((m) => m.toLowerCase()));
  const options: SMTPServerOptions = {
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false, size: opts.maxMessageBytes, banner: 'Xpears CAS mailbox',
    onRcptTo(address, _session, callback) {
      if (accepted.has(address.address.toLowerCase())) { callback(); return; }
      const err = Object.assign(new Error('5.7.1 relaying denied: this server accepts mail for the CAS mailbox only'), { responseCode: 550 });
      callback(err);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('5.3.4 message too big'), { responseCode: 552 }));
          return;
        }
        intake.receive(Buffer.concat(chunks), { kind: 'smtp' }).then(() => callback(), (err: unknown) => {
          log.error({ err }, 'inbound mail not stored');
          callback(Object.assign(new Error('4.3.0 temporary failure, try again later'), { responseCode: 451 }));
        });
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (err) => log.warn({ err }, 'smtp session error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.address, () => { server.server.off('error', reject); resolve(); });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ address: opts.address, port, mailboxes: [...accepted] }, 'cas mailbox listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
