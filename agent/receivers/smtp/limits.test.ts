// MIME bombs and broken encodings against the real receiver: nothing crashes, nothing stalls, the capture says why.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/logger.js';
import type { SmtpCapture } from '../../../protocol/envelope.js';
import { smtpReceiverConfigSchema } from './config.js';
import { createSmtpReceiver, type SmtpReceiver } from './receiver.js';
import { RecordingSink } from './test-support.js';

const head = (subject: string, contentType: string): string =>
  `From: era@customer.example\r\nTo: alerts@relay.example\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`;

function flatBomb(parts: number): string {
  let body = head('flat bomb', 'multipart/mixed; boundary="B"');
  for (let i = 0; i < parts; i += 1) body += `--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="p${i}.bin"\r\n\r\npart ${i}\r\n`;
  return `${body}--B--\r\n`;
}

function deepBomb(depth: number): string {
  let body = head('deep bomb', 'multipart/mixed; boundary="d0"');
  for (let i = 1; i <= depth; i += 1) body += `--d${i - 1}\r\nContent-Type: multipart/mixed; boundary="d${i}"\r\n\r\n`;
  body += `--d${depth}\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n`;
  for (let i = depth; i >= 0; i -= 1) body += `--d${i}--\r\n`;
  return body;
}

function embeddedBomb(depth: number): string {
  let body = head('embedded bomb', 'message/rfc822');
  for (let i = 0; i < depth; i += 1) body += `Subject: level ${i}\r\nContent-Type: message/rfc822\r\n\r\n`;
  return `${body}Subject: bottom\r\n\r\nbottom text\r\n`;
}

const brokenEncodings = Buffer.concat([
  Buffer.from(head('broken encodings', 'multipart/mixed; boundary="X"')),
  Buffer.from('--X\r\nContent-Type: text/plain; charset="x-broken-42"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 =ZZ broken qp\r\n'),
  Buffer.from('--X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nbad utf-8 '),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from(' here\r\n--X\r\nContent-Type: application/pdf; name="r.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!@@@###LjQK\r\n--X--\r\n'),
]);

describe('SMTP receiver limits', () => {
  let receiver: SmtpReceiver;
  let sink: RecordingSink;
  let port = 0;
  beforeAll(async () => {
    sink = new RecordingSink();
    const config = smtpReceiverConfigSchema.parse({ host: '127.0.0.1', port: 0, recipients: { addresses: ['alerts@relay.example'] } });
    receiver = createSmtpReceiver(config, { sink, logger: silentLogger() });
    await receiver.start();
    port = receiver.address()?.port ?? 0;
  });
  afterAll(async () => { await receiver.stop(); });

  const sendRaw = (raw: string | Buffer) =>
    nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({
      envelope: { from: 'era@customer.example', to: ['alerts@relay.example'] },
      raw,
    });
  const captured = (subject: string): SmtpCapture => {
    const capture = sink.captures.find((c) => c.transport === 'smtp' && c.smtp.subject === subject);
    if (capture?.transport !== 'smtp') throw new Error(`no capture with subject ${subject}`);
    return capture.smtp;
  };

  it('survives MIME bombs while a normal session beside them still gets its 250', async () => {
    const normal = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ from: 'era@customer.example', to: 'alerts@relay.example', subject: 'normal', text: 'all fine' });
    const results = await Promise.all([sendRaw(flatBomb(5000)), sendRaw(deepBomb(3000)), sendRaw(embeddedBomb(500)), normal]);
    for (const info of results) expect(info.response).toMatch(/^250 /);

    expect(captured('normal').text?.trim()).toBe('all fine');
    expect(captured('normal').warnings).toBeUndefined();
    const flat = captured('flat bomb');
    expect(flat.warnings?.join('\n')).toContain('more than 200 MIME parts');
    expect(flat.attachments.length).toBeGreaterThan(100);
    expect(flat.attachments.length).toBeLessThanOrEqual(200);
    expect(captured('deep bomb').warnings?.join('\n')).toContain('MIME nesting deeper than 8 levels');
    expect(captured('embedded bomb').warnings?.join('\n')).toContain('MIME nesting deeper than 8 levels');
    expect(receiver.warnings()).toMatchObject({ 'mime-parts': 1, 'mime-depth': 2 });
    expect(receiver.health().healthy).toBe(true);
  });

  it('refuses nothing for header floods but keeps only what the limit allows', async () => {
    const raw = `Subject: header flood\r\n${'X-Flood: y\r\n'.repeat(5000)}\r\nbody\r\n`;
    expect((await sendRaw(raw)).response).toMatch(/^250 /);
    const capture = captured('header flood');
    expect(capture.warnings?.join('\n')).toContain('more than 500 header lines');
    expect(capture.headers.length).toBeLessThanOrEqual(500);
  });

  it('accepts broken base64, quoted-printable, charset and UTF-8, and records each as a warning', async () => {
    expect((await sendRaw(brokenEncodings)).response).toMatch(/^250 /);
    const capture = captured('broken encodings');
    const warnings = capture.warnings?.join('\n') ?? '';
    expect(warnings).toContain('invalid quoted-printable in part 2');
    expect(warnings).toContain('unknown charset "x-broken-42" in part 2');
    expect(warnings).toContain('invalid base64 in part 4');
    expect(warnings).toContain('U+FFFD');
    expect(capture.text).toContain('broken qp');
    expect(capture.text).toContain('bad utf-8');
    expect(capture.attachments).toHaveLength(1);
    expect(receiver.warnings().encoding).toBe(1);
  });
});
