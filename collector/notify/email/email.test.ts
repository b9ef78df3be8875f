import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../lib/errors.js';
import { silentLogger } from '../../../lib/logger.js';
import { freePort, startSmtpSink, type SmtpSink } from '../../../test/notify/smtp-sink.js';
import type { OutboxEntry } from '../outbox-schema.js';
import { EmailChannel, createSmtpTransport, smtpConfigSchema, fromConfigSchema, smtpFailure } from './index.js';

const from = fromConfigSchema.parse({ address: 'cas@xpears.com.ar', name: 'Xpears CAS' });
const entry = (over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: '019c0000-0000-7000-8000-000000000001',
  channel: 'email',
  to: ['ana@cliente.com.ar', 'beto@cliente.com.ar'],
  message: { subject: 'Caso XP-7: ransomware en srv-01', text: 'Se abrió el caso XP-7.', html: '<p>Se abrió el caso <b>XP-7</b>.</p>' },
  state: 'pending',
  attempts: 0,
  nextAttemptAt: new Date('2026-03-20T19:50:00Z'),
  createdAt: new Date('2026-03-20T19:50:00Z'),
  ...over,
});

const sinks: SmtpSink[] = [];
const channels: EmailChannel[] = [];
afterEach(async () => {
  for (const c of channels.splice(0)) c.close();
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

function channelFor(port: number, extra: Record<string, unknown> = {}): EmailChannel {
  const smtp = smtpConfigSchema.parse({ host: '127.0.0.1', port, starttls: 'never', connectionTimeoutMs: 2_000, ...extra });
  const channel = new EmailChannel({ transport: createSmtpTransport(smtp), from, logger: silentLogger() });
  channels.push(channel);
  return channel;
}

async function failure(p: Promise<void>): Promise<DeliveryError> {
  const err: unknown = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(err)}`);
  return err;
}

describe('EmailChannel against a real SMTP server', () => {
  it('delivers subject, text, html, attachment and a Message-ID made of the outbox id', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const dir = mkdtempSync(join(tmpdir(), 'xpears-mail-'));
    writeFileSync(join(dir, 'informe.pdf'), '%PDF-1.4 informe');
    try {
      await channelFor(sink.port).send(entry({ attachments: [{ filename: 'informe.pdf', path: join(dir, 'informe.pdf'), contentType: 'application/pdf' }] }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0]!;
    expect(mail.subject).toBe('Caso XP-7: ransomware en srv-01');
    expect(mail.text?.trim()).toBe('Se abrió el caso XP-7.');
    expect(mail.html).toContain('<b>XP-7</b>');
    expect(mail.messageId).toBe('<019c0000-0000-7000-8000-000000000001@xpears.com.ar>');
    expect(mail.from?.value[0]).toEqual({ address: 'cas@xpears.com.ar', name: 'Xpears CAS' });
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.date?.toISOString()).toBe('2026-03-20T19:50:00.000Z');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['informe.pdf', 'application/pdf', '%PDF-1.4 informe']]);
    expect(sink.envelopes[0]).toEqual(['ana@cliente.com.ar', 'beto@cliente.com.ar']);
  });

  it('authenticates when configured, and a wrong password is a non-retryable auth failure', async () => {
    const sink = await startSmtpSink({ auth: { user: 'relay', pass: 's3creto' } });
    sinks.push(sink);
    await channelFor(sink.port, { auth: { user: 'relay', pass: 's3creto' }, pool: false }).send(entry());
    expect(sink.messages).toHaveLength(1);
    const err = await failure(channelFor(sink.port, { auth: { user: 'relay', pass: 'wrong' }, pool: false }).send(entry()));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'auth', retryable: false });
    expect(sink.messages).toHaveLength(1);
  });

  it('a 550 for every recipient is final; a 451 is worth retrying', async () => {
    const sink = await startSmtpSink({
      onRecipient: (a) => (a.startsWith('gone') ? { accept: false, code: 550, message: 'no such user' } : { accept: false, code: 451, message: 'greylisted' }),
    });
    sinks.push(sink);
    const final = await failure(channelFor(sink.port).send(entry({ to: ['gone@cliente.com.ar'] })));
    expect({ reason: final.reason, retryable: final.retryable }).toEqual({ reason: 'client', retryable: false });
    expect(final.message).toContain('550');
    const later = await failure(channelFor(sink.port).send(entry({ to: ['grey@cliente.com.ar'] })));
    expect({ reason: later.reason, retryable: later.retryable }).toEqual({ reason: 'server', retryable: true });
  });

  it('one refused recipient among others does not fail the message (no duplicate for the rest)', async () => {
    const sink = await startSmtpSink({ onRecipient: (a) => (a.startsWith('gone') ? { accept: false, code: 550, message: 'no such user' } : { accept: true }) });
    sinks.push(sink);
    await channelFor(sink.port).send(entry({ to: ['gone@cliente.com.ar', 'ana@cliente.com.ar'] }));
    expect(sink.envelopes).toEqual([['ana@cliente.com.ar']]);
  });

  it('a server that is down is a retryable network failure', async () => {
    const err = await failure(channelFor(await freePort()).send(entry()));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'network', retryable: true });
  });

  it('a missing attachment is final', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const err = await failure(channelFor(sink.port).send(entry({ attachments: [{ filename: 'x.pdf', path: '/nonexistent/x.pdf', contentType: 'application/pdf' }] })));
    expect(err.retryable).toBe(false);
    expect(sink.messages).toHaveLength(0);
  });
});

describe('smtpFailure', () => {
  it.each([
    [{ code: 'EAUTH', responseCode: 454 }, 'auth', true],
    [{ code: 'EENVELOPE', responseCode: 552 }, 'client', false],
    [{ code: 'EENVELOPE', responseCode: 452 }, 'rate-limited', true],
    [{ code: 'EPROTOCOL', responseCode: 421 }, 'server', true],
    [{ code: 'ETIMEDOUT' }, 'timeout', true],
    [{ code: 'ESOCKET' }, 'network', true],
    [{ code: 'EMESSAGE' }, 'client', false],
    [new Error('odd'), 'unknown', true],
  ])('%o → %s, retryable %s', (error, reason, retryable) => {
    const err = smtpFailure(Object.assign(new Error('x'), error));
    expect([err.reason, err.retryable]).toEqual([reason, retryable]);
  });
});
