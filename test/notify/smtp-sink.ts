// A real SMTP server on loopback that keeps every message it accepts, parsed: the sink of the notify tests.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the sink answers to a recipient: accept, or an SMTP error with its code. */
export type RecipientVerdict = { accept: true } | { accept: false; code: number; message: string };

/** Options of the sink. */
export interface SmtpSinkOptions {
  /** Listen on this port (0: any free one). */
  port?: number;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** Decides per recipient; default accept all. */
  onRecipient?: (address: string) => RecipientVerdict;
}

/** A running sink: its port, what it received, and a way to stop it. */
export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** The envelope recipients of each accepted message, in order. */
  envelopes: string[][];
  close(): Promise<void>;
}

/** Starts the sink on 127.0.0.1; resolves once it listens. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    // Plain text on loopback: TLS is nodemailer's business and is covered by its own tests.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    // Pooled client connections stay open; closing the sink must not wait the default 30 s for them.
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) return callback(null, { user: auth.username });
      const err = Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 });
      return callback(err);
    },
    onRcptTo(address, _session, callback) {
      const verdict = options.onRecipient?.(address.address) ?? { accept: true };
      if (verdict.accept) return callback();
      return callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port that was free a moment ago and on which nothing listens now: an SMTP server that is down. */
export async function freePort(): Promise<number> {
  const sink = await startSmtpSink();
  await sink.close();
  return sink.port;
}
