// The SMTP receiver in front of the real SQLite outbox: the 250 names an envelope that is already on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { envelopeSchema } from '../../../protocol/envelope.js';
import { Outbox } from '../../outbox/index.js';
import { smtpReceiverConfigSchema } from './config.js';
import { createSmtpReceiver } from './receiver.js';

describe('SMTP receiver with the real outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-smtp-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = smtpReceiverConfigSchema.parse({ port: 0, recipients: { addresses: ['alerts@relay.example'] } });
  const mail = { from: 'era@customer.example', to: 'alerts@relay.example', subject: 'Ransomware detectado', text: 'PC-07' };
  const attachment = Buffer.from('%PDF-1.4 fake report');

  it('answers 250 with the id of an envelope that survives closing and reopening the outbox', async () => {
    const path = join(dir, 'outbox.db');
    const outbox = Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
    const receiver = createSmtpReceiver(config, { sink: outbox, logger: silentLogger() });
    await receiver.start();
    let id = '';
    try {
      const port = receiver.address()?.port ?? 0;
      const info = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
        .sendMail({ ...mail, attachments: [{ filename: 'r.pdf', content: attachment }] });
      id = /queued as (\S+)/.exec(info.response)?.[1] ?? '';
    } finally {
      await receiver.stop();
      outbox.close();
    }
    const reopened = Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
    try {
      const items = reopened.peek(10, 1e9);
      expect(items.map((i) => i.id)).toEqual([id]);
      const envelope = envelopeSchema.parse(JSON.parse(items[0]?.body ?? '{}'));
      expect(envelope).toMatchObject({ id, transport: 'smtp', smtp: { subject: 'Ransomware detectado', rcptTo: ['alerts@relay.example'] } });
      expect(envelope.transport === 'smtp' && envelope.smtp.attachments[0]?.size).toBe(attachment.length);
    } finally {
      reopened.close();
    }
  });

  it('answers 451 when the outbox refuses because it is full', async () => {
    const outbox = Outbox.open({ path: join(dir, 'full.db'), clock: systemClock, logger: silentLogger(), maxBytes: 10 });
    const receiver = createSmtpReceiver(config, { sink: outbox, logger: silentLogger() });
    await receiver.start();
    try {
      const port = receiver.address()?.port ?? 0;
      await expect(nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail(mail))
        .rejects.toMatchObject({ responseCode: 451, response: expect.stringContaining('4.3.0') });
      expect(receiver.health().rejectedByReason.outbox).toBe(1);
      expect(receiver.health().lastError).toContain('outbox full');
      expect(outbox.peek(10, 1e9)).toHaveLength(0);
    } finally {
      await receiver.stop();
      outbox.close();
    }
  });
});
