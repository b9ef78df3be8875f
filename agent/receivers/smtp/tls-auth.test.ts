// STARTTLS and AUTH with a real certificate (made by openssl) and real clients; passwords never reach the log.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/logger.js';
import { smtpReceiverConfigSchema } from './config.js';
import { createSmtpReceiver, type SmtpReceiver } from './receiver.js';
import { assertSwaksCanTls } from '../../../test/helpers/tools.js';
import { RecordingSink, makeSelfSignedCert } from './test-support.js';

describe('SMTP receiver with STARTTLS and AUTH', () => {
  const cert = makeSelfSignedCert();
  const ca = readFileSync(cert.certFile);
  const logLines: string[] = [];
  const logSink = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } });
  let receiver: SmtpReceiver;
  let sink: RecordingSink;
  let port = 0;

  beforeAll(async () => {
    sink = new RecordingSink();
    const config = smtpReceiverConfigSchema.parse({
      host: '127.0.0.1',
      port: 0,
      recipients: { addresses: ['alerts@relay.example'] },
      tls: { certFile: cert.certFile, keyFile: cert.keyFile, required: true },
      auth: { required: true, users: [{ username: 'eset-console', password: 'S3cret-pass!' }] },
    });
    receiver = createSmtpReceiver(config, { sink, logger: createLogger({ destination: logSink, level: 'debug' }) });
    await receiver.start();
    port = receiver.address()?.port ?? 0;
  });
  afterAll(async () => {
    await receiver.stop();
    cert.cleanup();
  });

  const client = (auth: { user: string; pass: string } | undefined, method?: string) =>
    nodemailer.createTransport({
      host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { ca },
      ...(auth ? { auth } : {}), ...(method ? { authMethod: method } : {}),
    });
  const mail = (subject: string) => ({ from: 'era@customer.example', to: 'alerts@relay.example', subject, text: 'over TLS' });

  it('accepts mail after STARTTLS and AUTH PLAIN, verifying the certificate', async () => {
    const info = await client({ user: 'eset-console', pass: 'S3cret-pass!' }, 'PLAIN').sendMail(mail('plain'));
    expect(info.response).toMatch(/^250 /);
    expect(sink.captures.some((c) => c.transport === 'smtp' && c.smtp.subject === 'plain')).toBe(true);
  });

  it('accepts AUTH LOGIN too', async () => {
    const info = await client({ user: 'eset-console', pass: 'S3cret-pass!' }, 'LOGIN').sendMail(mail('login'));
    expect(info.response).toMatch(/^250 /);
  });

  it('answers 535 to a wrong password and 530 to a sender that does not authenticate', async () => {
    await expect(client({ user: 'eset-console', pass: 'wrong-guess-123' }).sendMail(mail('wrong')))
      .rejects.toMatchObject({ responseCode: 535 });
    await expect(client(undefined).sendMail(mail('anonymous'))).rejects.toMatchObject({ responseCode: 530 });
    const health = receiver.health();
    expect(health.rejectedByReason.auth).toBe(1);
    expect(health.rejectedByReason['auth-required']).toBe(1);
    expect(sink.captures.some((c) => c.transport === 'smtp' && ['wrong', 'anonymous'].includes(c.smtp.subject ?? ''))).toBe(false);
  });

  it('refuses MAIL FROM before STARTTLS when TLS is required', async () => {
    const plain = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await expect(plain.sendMail(mail('cleartext'))).rejects.toMatchObject({ responseCode: 530 });
    expect(receiver.health().rejectedByReason['tls-required']).toBe(1);
  });

  it('works with swaks over STARTTLS with AUTH LOGIN', async () => {
    assertSwaksCanTls();
    const { stdout } = await promisify(execFile)('swaks', [
      '--server', `127.0.0.1:${port}`, '--tls', '--auth', 'LOGIN', '--auth-user', 'eset-console',
      '--auth-password', 'S3cret-pass!', '--from', 'era@customer.example', '--to', 'alerts@relay.example',
      '--header', 'Subject: swaks tls', '--body', 'hello',
    ]);
    expect(stdout).toContain('220 Ready to start TLS');
    expect(stdout).toMatch(/<~ {2}250 2\.0\.0 Ok: queued as/);
    expect(sink.captures.some((c) => c.transport === 'smtp' && c.smtp.subject === 'swaks tls')).toBe(true);
  });

  it('never writes a password to the log, but does log the refusal', () => {
    const log = logLines.join('');
    expect(log).toContain('smtp refused');
    expect(log).not.toContain('S3cret-pass!');
    expect(log).not.toContain('wrong-guess-123');
  });
});
