// Password guessing, many connections from one address and slow sessions against the real SMTP receiver.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../lib/clock.js';
import { createLogger, silentLogger } from '../../../lib/logger.js';
import { smtpReceiverConfigSchema, type SmtpReceiverConfigInput } from './config.js';
import { createSmtpReceiver, type SmtpReceiver } from './receiver.js';
import { RecordingSink } from './test-support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });
const mail = { from: 'era@customer.example', to: 'alerts@relay.example', subject: 'Amenaza detectada', text: 'PC-07' };

async function start(extra: Partial<SmtpReceiverConfigInput>, logger = silentLogger(), clock = fixedClock('2026-03-02T10:00:00Z')) {
  const sink = new RecordingSink();
  const config = smtpReceiverConfigSchema.parse({
    host: '127.0.0.1', port: 0, recipients: { addresses: ['alerts@relay.example'] }, allowedNetworks: ['127.0.0.0/8'], ...extra,
  });
  const receiver: SmtpReceiver = createSmtpReceiver(config, { sink, logger, clock });
  await receiver.start();
  cleanups.push(() => receiver.stop());
  return { sink, receiver, port: receiver.address()?.port ?? 0, clock };
}

/** A raw connection from `localAddress`; resolves with it and its greeting line. */
function rawSession(port: number, localAddress: string): Promise<{ socket: Socket; greeting: string }> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  cleanups.push(() => { socket.destroy(); });
  return new Promise((resolve) => socket.once('data', (d: Buffer) => resolve({ socket, greeting: d.toString() })));
}

describe('SMTP AUTH failures', () => {
  it('delays, then locks out the guessing address (right password included) while another address still sends; logs stay bounded', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write(c: Buffer, _e, done) { lines.push(c.toString()); done(); } }) });
    const { sink, receiver, port, clock } = await start({
      auth: { allowInsecure: true, failureDelayMs: 20, maxFailures: 5, lockoutSeconds: 900, users: [{ username: 'eset-console', password: 'S3cret-pass!' }] },
    }, logger);
    const client = (pass: string, localAddress = '127.0.0.1') =>
      nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, localAddress, auth: { user: 'eset-console', pass } } as nodemailer.TransportOptions);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push(await client(`guess-${i}`).sendMail(mail).then(() => 250, (e: { responseCode: number }) => e.responseCode));
    expect(codes).toEqual([535, 535, 535, 535, 535, 454, 454, 454, 454, 454, 454, 454]);
    await expect(client('S3cret-pass!').sendMail(mail)).rejects.toMatchObject({ responseCode: 454 });
    await expect(client('S3cret-pass!', '127.0.0.2').sendMail(mail)).resolves.toMatchObject({ response: expect.stringContaining('250') });
    expect(sink.captures).toHaveLength(1);
    expect(receiver.health().rejectedByReason).toMatchObject({ auth: 5, 'auth-locked': 8 });
    // 13 refusals: at most 5 lines per reason in the window, then one line with the number left out.
    const refused = () => lines.filter((l) => l.includes('"smtp refused"'));
    expect(refused()).toHaveLength(10);
    clock.advance(11_000);
    await client('one more').sendMail(mail).catch(() => undefined);
    const summary = lines.find((l) => l.includes('similar warnings suppressed'));
    expect(JSON.parse(summary ?? '{}')).toMatchObject({ suppressed: 3 });
    expect(lines.filter((l) => l.includes('locked out'))).toHaveLength(1);
    expect(lines.join('')).not.toContain('guess-');
  });
});

describe('SMTP connections per source and slow sessions', () => {
  it('refuses a third session from one address with 421 while another address is served', async () => {
    const { receiver, port } = await start({ maxConnectionsPerSource: 2 });
    const first = await rawSession(port, '127.0.0.1');
    const second = await rawSession(port, '127.0.0.1');
    const third = await rawSession(port, '127.0.0.1');
    const other = await rawSession(port, '127.0.0.2');
    expect([first.greeting, second.greeting, other.greeting].every((g) => g.startsWith('220'))).toBe(true);
    expect(third.greeting).toMatch(/^421 4\.7\.0 Too many connections from your address/);
    expect(receiver.health().rejectedByReason['connections-per-source']).toBe(1);
    // A slot given back is usable again.
    first.socket.destroy();
    await new Promise<void>((r) => first.socket.once('close', () => r()));
    let again = await rawSession(port, '127.0.0.1');
    for (let i = 0; i < 50 && !again.greeting.startsWith('220'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await rawSession(port, '127.0.0.1');
    }
    expect(again.greeting).toMatch(/^220/);
  });

  it('closes a session that trickles commands past maxSessionMs, and a real mail is stored meanwhile', async () => {
    const { sink, receiver, port } = await start({ maxSessionMs: 1000, idleTimeoutMs: 60_000 });
    const slow = await rawSession(port, '127.0.0.1');
    slow.socket.write('EHLO slow.example\r\n');
    const trickle = setInterval(() => { if (slow.socket.writable) slow.socket.write('N'); }, 200);
    cleanups.push(() => clearInterval(trickle));
    await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail(mail);
    expect(sink.captures).toHaveLength(1);
    await new Promise<void>((r) => slow.socket.once('close', () => r()));
    expect(receiver.warnings()['closed-session-time']).toBe(1);
  });
});
