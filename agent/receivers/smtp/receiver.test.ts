// The SMTP receiver on a real socket, spoken to by real clients (nodemailer and swaks).
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/logger.js';
import { smtpReceiverConfigSchema, type SmtpReceiverConfigInput } from './config.js';
import { createSmtpReceiver, type SmtpReceiver } from './receiver.js';
import { RecordingSink } from './test-support.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function startReceiver(overrides: Partial<SmtpReceiverConfigInput> = {}): Promise<{ receiver: SmtpReceiver; sink: RecordingSink; port: number }> {
  const sink = new RecordingSink();
  const config = smtpReceiverConfigSchema.parse({
    host: '127.0.0.1',
    port: 0,
    recipients: { addresses: ['alerts@relay.example'], domains: ['xpears.test'] },
    ...overrides,
  });
  const receiver = createSmtpReceiver(config, { sink, logger: silentLogger() });
  await receiver.start();
  return { receiver, sink, port: receiver.address()?.port ?? 0 };
}

const transport = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

/** Reads the first reply line a server sends on a fresh connection. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) resolve(text.split('\r\n')[0] ?? '');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
  });
}

describe('SMTP receiver', () => {
  let ctx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => { ctx = await startReceiver(); });
  afterAll(async () => { await ctx.receiver.stop(); });

  it('accepts a notification from nodemailer and keeps subject, text, HTML and attachment hashes', async () => {
    const pdf = randomBytes(70_000);
    const exe = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    const info = await transport(ctx.port).sendMail({
      from: 'ESET PROTECT <era@customer.example>',
      to: 'alerts@relay.example',
      subject: 'Amenaza detectada en PC-CONTABLE',
      text: 'Detection name: Eicar test file\nComputer name: PC-CONTABLE',
      html: '<p>Detection name: <b>Eicar test file</b></p>',
      attachments: [
        { filename: 'informe.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'eicar.com', content: exe },
      ],
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const capture = ctx.sink.captures.at(-1);
    if (capture?.transport !== 'smtp') throw new Error('expected an smtp capture');
    expect(capture.source.address).toBe('127.0.0.1');
    expect(capture.smtp.mailFrom).toBe('era@customer.example');
    expect(capture.smtp.rcptTo).toEqual(['alerts@relay.example']);
    expect(capture.smtp.subject).toBe('Amenaza detectada en PC-CONTABLE');
    expect(capture.smtp.from).toContain('era@customer.example');
    expect(capture.smtp.text?.trim()).toBe('Detection name: Eicar test file\nComputer name: PC-CONTABLE');
    expect(capture.smtp.html).toContain('<b>Eicar test file</b>');
    expect(capture.smtp.headers.find(([name]) => name === 'Subject')?.[1]).toContain('Amenaza');
    expect(capture.smtp.attachments).toEqual([
      { filename: 'informe.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
      { filename: 'eicar.com', contentType: expect.any(String), size: exe.length, sha256: sha256(exe) },
    ]);
    expect(JSON.stringify(capture)).not.toContain('EICAR-STANDARD');
    expect(capture.smtp.warnings).toBeUndefined();
  });

  it('accepts a mail from swaks at a configured domain, with a file attached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpears-swaks-'));
    try {
      const file = join(dir, 'sep.log');
      const bytes = Buffer.from('Virus found,Computer name: WS-07,Risk name: W97M.Downloader\n'.repeat(40));
      writeFileSync(file, bytes);
      const before = ctx.sink.captures.length;
      const { stdout } = await promisify(execFile)('swaks', [
        '--server', `127.0.0.1:${ctx.port}`, '--from', 'sepm@customer.example', '--to', 'soporte@xpears.test',
        '--header', 'Subject: Risk outbreak', '--body', 'Risk outbreak on 3 computers', '--attach', `@${file}`,
      ]);
      expect(stdout).toMatch(/<- {2}250 2\.0\.0 Ok: queued as/);
      expect(stdout).toMatch(/250[- ]SIZE 10485760/);
      expect(ctx.sink.captures.length).toBe(before + 1);
      const capture = ctx.sink.captures.at(-1);
      if (capture?.transport !== 'smtp') throw new Error('expected an smtp capture');
      expect(capture.smtp.subject).toBe('Risk outbreak');
      expect(capture.smtp.text).toContain('Risk outbreak on 3 computers');
      expect(capture.smtp.attachments).toHaveLength(1);
      expect(capture.smtp.attachments[0]?.sha256).toBe(sha256(bytes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to relay to a foreign domain with 550 5.7.1 and an unknown user of its own domain with 550 5.1.1', async () => {
    const send = (to: string) => transport(ctx.port).sendMail({ from: 'era@customer.example', to, subject: 'x', text: 'x' });
    await expect(send('victim@gmail.com')).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('5.7.1 Relaying denied') });
    await expect(send('nobody@relay.example')).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('5.1.1') });
    const health = ctx.receiver.health();
    expect(health.rejectedByReason.relay).toBe(1);
    expect(health.rejectedByReason.recipient).toBe(1);
  });

  it('answers 451 4.3.0 when the outbox refuses, and 250 when the same mail is retried after it recovers', async () => {
    const mail = { from: 'era@customer.example', to: 'alerts@relay.example', subject: 'retry me', text: 'body' };
    ctx.sink.refusing = true;
    const before = ctx.sink.captures.length;
    try {
      await expect(transport(ctx.port).sendMail(mail)).rejects.toMatchObject({ responseCode: 451, response: expect.stringContaining('4.3.0') });
    } finally {
      ctx.sink.refusing = false;
    }
    expect(ctx.sink.captures.length).toBe(before);
    expect(ctx.receiver.health().rejectedByReason.outbox).toBe(1);
    const info = await transport(ctx.port).sendMail(mail);
    expect(info.response).toMatch(/^250 /);
  });

  it('reports where it listens and what it counted', () => {
    const health = ctx.receiver.health();
    expect(health).toMatchObject({ name: 'smtp', healthy: true, listening: `tcp 127.0.0.1:${ctx.port}` });
    expect(health.received).toBe(ctx.sink.captures.length);
  });
});

describe('SMTP receiver refusals by network and size', () => {
  it('refuses a connection from outside the allowed networks with 554 at connect', async () => {
    const { receiver, sink, port } = await startReceiver({ allowedNetworks: ['10.0.0.0/8', '2001:db8::/32'] });
    try {
      expect(await greeting(port)).toMatch(/^554 5\.7\.1 /);
      await expect(transport(port).sendMail({ from: 'a@b.example', to: 'alerts@relay.example', text: 'x' })).rejects.toThrow(/554/);
      expect(sink.captures).toHaveLength(0);
      expect(receiver.health().rejectedByReason.network).toBe(2);
    } finally {
      await receiver.stop();
    }
  });

  it('refuses an oversized message with 552 5.3.4 and stores nothing', async () => {
    const { receiver, sink, port } = await startReceiver({ maxMessageBytes: 4096 });
    try {
      const big = { from: 'era@customer.example', to: 'alerts@relay.example', subject: 'big', text: 'A'.repeat(20_000) };
      await expect(transport(port).sendMail(big)).rejects.toMatchObject({ responseCode: 552, response: expect.stringContaining('5.3.4') });
      expect(sink.captures).toHaveLength(0);
      expect(receiver.health().rejectedByReason.size).toBe(1);
      // The session survives: a small message on the same server still goes through.
      const info = await transport(port).sendMail({ ...big, text: 'small' });
      expect(info.response).toMatch(/^250 /);
    } finally {
      await receiver.stop();
    }
  });

  it('answers 421 to a session past maxConnections while the first one is served', async () => {
    const { receiver, port } = await startReceiver({ maxConnections: 1 });
    const first = createConnection({ host: '127.0.0.1', port });
    try {
      await new Promise<void>((resolve) => first.once('data', () => resolve()));
      expect(await greeting(port)).toMatch(/^421 4\.7\.0 /);
      expect(receiver.health().rejectedByReason.connections).toBe(1);
    } finally {
      first.destroy();
      await receiver.stop();
    }
  });

  it('refuses a sender that is not on the allow-list with 550 5.7.1', async () => {
    const { receiver, sink, port } = await startReceiver({ allowedSenders: ['@customer.example'] });
    try {
      await expect(transport(port).sendMail({ from: 'spam@elsewhere.example', to: 'alerts@relay.example', text: 'x' }))
        .rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('Sender not allowed') });
      await transport(port).sendMail({ from: 'era@customer.example', to: 'alerts@relay.example', text: 'ok' });
      expect(sink.captures).toHaveLength(1);
      expect(receiver.health().rejectedByReason.sender).toBe(1);
    } finally {
      await receiver.stop();
    }
  });
});
