// The outbox, the dispatcher and the e-mail channel together, against a real SMTP server and a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { freePort, startSmtpSink, type SmtpSink } from '../../test/notify/smtp-sink.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import type { Channel } from './channel.js';
import { NotificationDispatcher, type LoopTimer } from './dispatcher.js';
import { createSmtpTransport, EmailChannel, fromConfigSchema, smtpConfigSchema } from './email/index.js';
import { registerNotifyMetrics } from './metrics.js';
import { NotificationOutbox } from './outbox.js';
import { defineTemplate } from './template.js';
import type { OutgoingMessage } from './types.js';

const clock = fixedClock('2026-03-20T19:50:00Z');
const from = fromConfigSchema.parse({ address: 'cas@xpears.com.ar' });
let dir: string;
let db: Db;
let outbox: NotificationOutbox;
const sinks: SmtpSink[] = [];
const dispatchers: NotificationDispatcher[] = [];

beforeEach(() => {
  clock.set('2026-03-20T19:50:00Z');
  dir = mkdtempSync(join(tmpdir(), 'xpears-dispatch-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  outbox = new NotificationOutbox({ db, clock, logger: silentLogger(), retry: { baseMs: 10_000, maxMs: 60_000, maxAttempts: 5 }, random: () => 0 });
});
afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.close();
  await Promise.all(sinks.splice(0).map((s) => s.close()));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sink(options: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const s = await startSmtpSink(options);
  sinks.push(s);
  return s;
}

function dispatcher(port: number, extra: { metrics?: ReturnType<typeof registerNotifyMetrics>; timer?: LoopTimer } = {}): NotificationDispatcher {
  const smtp = smtpConfigSchema.parse({ host: '127.0.0.1', port, starttls: 'never', connectionTimeoutMs: 2_000 });
  const email = new EmailChannel({ transport: createSmtpTransport(smtp), from, logger: silentLogger() });
  const d = new NotificationDispatcher({ outbox, channels: [email], clock, logger: silentLogger(), leaseMs: 60_000, ...extra });
  dispatchers.push(d);
  return d;
}

const ticketOpened = defineTemplate({
  id: 'test/dispatch-ticket-opened',
  variables: ['ticket.number', 'ticket.dueAt'],
  es: { subject: 'Caso {{ticket.number}} abierto', text: 'Respuesta comprometida antes de {{ticket.dueAt}}.' },
  en: { subject: 'Case {{ticket.number}} opened', text: 'Response due by {{ticket.dueAt}}.' },
});
const mailTo = (to: string, language: 'es' | 'en' = 'es', dedupKey?: string): OutgoingMessage => ({
  channel: 'email',
  to: [to],
  message: ticketOpened.render(language, { ticket: { number: 'XP-7', dueAt: '2026-03-23 09:20 -03:00' } }),
  subjectRef: { kind: 'ticket', id: 'XP-7', customerId: 'acme' },
  ...(dedupKey ? { dedupKey } : {}),
});

describe('NotificationDispatcher', () => {
  it('delivers a queued message in the reader language, with the outbox id as Message-ID, and counts it', async () => {
    const s = await sink();
    const registry = new Registry();
    const metrics = registerNotifyMetrics(registry, outbox);
    const es = outbox.enqueue(mailTo('ana@cliente.com.ar', 'es'));
    const en = outbox.enqueue(mailTo('john@customer.com', 'en'));
    expect(await registry.getSingleMetricAsString('notifications_pending')).toMatch(/notifications_pending 2/);
    expect(await dispatcher(s.port, { metrics }).tick()).toEqual({ sent: 2, retrying: 0, dead: 0, channelsDown: [] });
    const byId = new Map(s.messages.map((m) => [m.messageId, m]));
    expect(byId.get(`<${es}@xpears.com.ar>`)?.subject).toBe('Caso XP-7 abierto');
    expect(byId.get(`<${es}@xpears.com.ar>`)?.text?.trim()).toBe('Respuesta comprometida antes de 2026-03-23 09:20 -03:00.');
    expect(byId.get(`<${en}@xpears.com.ar>`)?.subject).toBe('Case XP-7 opened');
    expect(outbox.get(es)).toMatchObject({ state: 'sent', attempts: 1, sentAt: clock() });
    expect(await registry.getSingleMetricAsString('notifications_sent_total')).toContain('notifications_sent_total{channel="email"} 2');
    expect(await registry.getSingleMetricAsString('notifications_pending')).toMatch(/notifications_pending 0/);
  });

  it('SMTP down: messages wait with backoff; server back: each delivered exactly once', async () => {
    const port = await freePort();
    const d = dispatcher(port);
    const first = outbox.enqueue(mailTo('ana@cliente.com.ar'));
    const second = outbox.enqueue(mailTo('beto@cliente.com.ar'));
    expect(await d.tick()).toEqual({ sent: 0, retrying: 1, dead: 0, channelsDown: ['email'] });
    // Only one message probed the dead server; the other did not spend an attempt on it.
    expect(outbox.get(first)).toMatchObject({ state: 'pending', attempts: 1, lastReason: 'network', nextAttemptAt: new Date(clock().getTime() + 5_000) });
    expect(outbox.get(second)).toMatchObject({ state: 'pending', attempts: 0 });
    const s = await sink({ port });
    // Within the backoff the first message is not tried, even though the server is back; the second one goes.
    expect((await d.tick()).sent).toBe(1);
    clock.advance(5_000);
    expect((await d.tick()).sent).toBe(1);
    clock.advance(3_600_000);
    expect((await d.tick()).sent).toBe(0);
    expect(s.envelopes.sort()).toEqual([['ana@cliente.com.ar'], ['beto@cliente.com.ar']]);
    expect(outbox.stats()).toMatchObject({ pending: 0, sent: 2, dead: 0 });
  });

  it('a 5xx makes the message dead; an operator retry delivers it once', async () => {
    let mailboxExists = false;
    const s = await sink({ onRecipient: () => (mailboxExists ? { accept: true } : { accept: false, code: 550, message: 'mailbox unavailable' }) });
    const d = dispatcher(s.port);
    const id = outbox.enqueue(mailTo('nueva@cliente.com.ar'));
    expect(await d.tick()).toMatchObject({ dead: 1 });
    expect(outbox.get(id)).toMatchObject({ state: 'dead', lastReason: 'client' });
    expect(outbox.get(id)?.lastError).toContain('550');
    clock.advance(86_400_000);
    expect((await d.tick()).sent).toBe(0);
    mailboxExists = true;
    outbox.retry(id);
    expect((await d.tick()).sent).toBe(1);
    expect((await d.tick()).sent).toBe(0);
    expect(s.messages.map((m) => m.messageId)).toEqual([`<${id}@xpears.com.ar>`]);
  });

  it('the same dedupKey queued twice is mailed once', async () => {
    const s = await sink();
    outbox.enqueue(mailTo('ana@cliente.com.ar', 'es', 'ticket:XP-7:opened:ana'));
    outbox.enqueue(mailTo('ana@cliente.com.ar', 'es', 'ticket:XP-7:opened:ana'));
    await dispatcher(s.port).tick();
    expect(s.messages).toHaveLength(1);
  });

  it('a message taken by a dispatcher that died is sent again only after its lease, with the same Message-ID', async () => {
    const s = await sink();
    const id = outbox.enqueue(mailTo('ana@cliente.com.ar'));
    outbox.claim(clock(), 10, 60_000);
    const d = dispatcher(s.port);
    expect((await d.tick()).sent).toBe(0);
    clock.advance(60_000);
    expect((await d.tick()).sent).toBe(1);
    expect(s.messages[0]?.messageId).toBe(`<${id}@xpears.com.ar>`);
  });

  it('a message for a channel that is not configured goes dead with the reason', async () => {
    const s = await sink();
    const id = outbox.enqueue({ channel: 'helpdesk', to: [], message: { subject: 'Caso', text: 'x' } });
    expect(await dispatcher(s.port).tick()).toMatchObject({ dead: 1 });
    expect(outbox.get(id)?.lastError).toContain('helpdesk channel is not configured');
  });

  it('the loop ticks when its timer fires, again after the interval, and stops', async () => {
    const s = await sink();
    const fired: { callback: () => void; ms: number }[] = [];
    const timer: LoopTimer = { set: (callback, ms) => fired.push({ callback, ms }), clear: () => undefined };
    const d = dispatcher(s.port, { timer });
    outbox.enqueue(mailTo('ana@cliente.com.ar'));
    d.start();
    expect(fired.map((f) => f.ms)).toEqual([0]);
    fired[0]!.callback();
    await d.stop();
    expect(s.messages).toHaveLength(1);
    // The tick that ran rescheduled nothing after stop: the loop is over.
    expect(fired).toHaveLength(1);
    d.start();
    fired[1]!.callback();
    await new Promise<void>((resolve) => { const wait = (): void => void (fired.length > 2 ? resolve() : setImmediate(wait)); wait(); });
    expect(fired[2]?.ms).toBe(5_000);
  });

  it('a queued message wakes the loop: its tick comes at once, not after the poll interval, which stays as the safety net', async () => {
    const s = await sink();
    const fired: { callback: () => void; ms: number; cleared?: boolean }[] = [];
    const timer: LoopTimer = { set: (callback, ms) => fired.push({ callback, ms }), clear: (h) => { fired[(h as number) - 1]!.cleared = true; } };
    const d = dispatcher(s.port, { timer });
    outbox.onQueued(() => d.wake());
    d.start();
    fired[0]!.callback(); // the first tick finds nothing, and polls again after the interval
    const settled = (n: number) => new Promise<void>((resolve) => { const wait = (): void => void (fired.length >= n ? resolve() : setImmediate(wait)); wait(); });
    await settled(2);
    expect(fired[1]).toMatchObject({ ms: 5_000 });
    outbox.enqueue(mailTo('ana@cliente.com.ar'));
    expect(fired[1]!.cleared).toBe(true);
    expect(fired[2]).toMatchObject({ ms: 0 });
    fired[2]!.callback();
    await settled(4);
    expect(s.messages).toHaveLength(1);
    expect(fired[3]).toMatchObject({ ms: 5_000 });
    // Queued while a tick runs: the next tick follows at once.
    outbox.enqueue(mailTo('bob@cliente.com.ar'));
    fired[4]!.callback();
    outbox.enqueue(mailTo('carla@cliente.com.ar'));
    await settled(6);
    expect(fired[5]).toMatchObject({ ms: 0 });
    await d.stop();
  });

  it('stop lets the message being sent finish and be marked, and leaves the rest of the batch queued', async () => {
    let release: () => void = () => undefined;
    const sending: string[] = [];
    const slow: Channel = {
      name: 'email',
      send: (entry) => new Promise<void>((resolve) => { sending.push(entry.id); release = resolve; }),
    };
    const fired: (() => void)[] = [];
    const d = new NotificationDispatcher({
      outbox, channels: [slow], clock, logger: silentLogger(),
      timer: { set: (callback) => fired.push(callback), clear: () => undefined },
    });
    const ids = [1, 2, 3].map((n) => outbox.enqueue(mailTo(`c${n}@cliente.com.ar`)));
    d.start();
    fired[0]!();
    await new Promise<void>((resolve) => { const wait = (): void => void (sending.length > 0 ? resolve() : setImmediate(wait)); wait(); });
    const stopped = d.stop();
    release();
    await stopped;
    expect(sending).toEqual([ids[0]]);
    expect(ids.map((id) => outbox.get(id)?.state)).toEqual(['sent', 'pending', 'pending']);
    // A manual pass after the stop still works: the flag belongs to that stop only.
    const after = d.tick();
    await new Promise<void>((resolve) => { const wait = (): void => void (sending.length > 1 ? resolve() : setImmediate(wait)); wait(); });
    release();
    await new Promise<void>((resolve) => { const wait = (): void => void (sending.length > 2 ? resolve() : setImmediate(wait)); wait(); });
    release();
    expect((await after).sent).toBe(2);
  });
});
