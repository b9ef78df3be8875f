// An alert ticket's mails form one thread per reader, on a real collector (SQLite files, SMTP out to test/notify's
// sink, the CAS mailbox's SMTP listener and a Dovecot IMAP mailbox in): the opening mail, the acknowledgement, an engineer's reply from the console
// and the resolution each answer that reader's earlier mails (In-Reply-To, References, one "[XR-…]" subject prefix), in
// the contact's language; a contact's reply to the acknowledgement, by its headers alone (no ticket number in its
// subject), becomes a comment on the alert ticket, not a new case, and the next mail answers it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../collector/accounts/index.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, eventually, runCollector, tempDir } from '../e2e/harness.js';
import { postSyslog, ransomwareLine, type ConsoleBench } from '../console/harness.js';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const CARLA = 'carla@acme.example';
const JOHN = 'john@acme.example';
const ON_DUTY = 'guardia@cas.example';
let dir: ReturnType<typeof tempDir>;
let sink: SmtpSink;
let dovecot: TestDovecot;
let collector: RunningCollector;
let agentToken: string;
let adminToken: string;
let luciaToken: string;

const refsOf = (m: ParsedMail): string[] => (Array.isArray(m.references) ? m.references : m.references ? [m.references] : []);
const mailsTo = (address: string, number: string): ParsedMail[] =>
  sink.messages.filter((m, i) => sink.envelopes[i]!.includes(address) && (m.subject ?? '').startsWith(`[${number}]`));

async function waitForMails(address: string, number: string, count: number): Promise<ParsedMail[]> {
  expect(await eventually(() => mailsTo(address, number).length >= count, 30_000)).toBe(true);
  return mailsTo(address, number);
}

async function api(token: string, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.status;
}

// A contact's answer through the CAS mailbox's SMTP listener, as her mail server would deliver it.
// Returns the reply's Message-ID.
async function replyByMail(from: string, subject: string, text: string, headers: { inReplyTo?: string; references: string[] }): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: collector.cases.smtp!.port, secure: false, ignoreTLS: true });
  const info = await transport.sendMail({ from, to: 'soporte@cas.xpears.local', subject, text, references: headers.references,
    ...(headers.inReplyTo ? { inReplyTo: headers.inReplyTo } : {}) });
  transport.close();
  return info.messageId;
}

// A contact's answer put in the CAS mailbox on the IMAP server, where the collector's poller reads it.
async function replyByImap(from: string, subject: string, text: string, references: string[]): Promise<string> {
  const messageId = `<imap-reply-${process.pid}-${Date.now()}@acme.example>`;
  const raw = [`From: ${from}`, 'To: soporte@cas.xpears.local', `Subject: ${subject}`, `Message-ID: ${messageId}`, `References: ${references.join(' ')}`,
    `Date: ${new Date().toUTCString()}`, 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');
  const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
  await client.connect();
  await client.append('INBOX', raw);
  await client.logout();
  return messageId;
}

beforeAll(async () => {
  dir = tempDir('xpears-threading-');
  sink = await startSmtpSink();
  dovecot = await startDovecot();
  const dataDir = join(dir.path, 'collector');
  agentToken = (await enrollAcme(dataDir)).token;
  const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await reg.addContact('acme', { name: 'Carla Contacto', email: CARLA, language: 'es', products: ['ESET PROTECT Entry'] });
  await reg.addContact('acme', { name: 'John Contact', email: JOHN, language: 'en', products: ['ESET PROTECT Entry'] });
  collector = await runCollector(collectorConfigFor(dataDir, 0, {
    notify: { smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false }, from: { address: 'cas@xpears.test', name: 'CAS' },
      webhooks: {}, onDuty: [{ name: 'Guardia', email: ON_DUTY, language: 'es' }], dispatch: { intervalMs: 200 } },
    cases: { smtp: { enabled: true, port: 0 }, imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, pass: dovecot.pass,
      rejectUnauthorized: false } },
  }));
  adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const accounts = new AccountStore(collector.db, systemClock);
  await accounts.addUser({ login: 'lucia', name: 'Lucía Pérez', email: 'lucia@cas.example', role: 'l1', password: 'contraseña-de-prueba-1' }, 'test');
  luciaToken = accounts.createToken('lucia', 'test', 'test').token;
}, 60_000);
afterAll(async () => { await collector?.stop(); await sink?.close(); await dovecot?.stop(); dir?.cleanup(); });

describe('an alert ticket\'s mails are one thread per reader', () => {
  it('threads the opening, the acknowledgement, a console reply and the resolution; replies by SMTP and IMAP land on the ticket', async () => {
    await postSyslog({ collector, agentToken } as ConsoleBench, ransomwareLine('pc-hilo-01'));
    expect(await eventually(() => collector.tickets.list({}).length === 1)).toBe(true);
    const ticket = collector.tickets.list({})[0]!;
    const number = ticket.number;

    // Opening: one mail per contact, each the root of that contact's thread, in her or his language.
    const [carlaOpened] = await waitForMails(CARLA, number, 1);
    const [johnOpened] = await waitForMails(JOHN, number, 1);
    expect(carlaOpened!.text).toContain('Registramos el caso');
    expect(johnOpened!.text).toContain('We opened case');
    expect(carlaOpened!.inReplyTo).toBeUndefined();
    expect(carlaOpened!.messageId).not.toBe(johnOpened!.messageId);

    // Acknowledgement over the API: each contact's ack answers that contact's opening mail.
    expect(await api(adminToken, `/v1/tickets/${number}/ack`, { by: 'Guardia' })).toBe(200);
    const carlaAck = (await waitForMails(CARLA, number, 2))[1]!;
    const johnAck = (await waitForMails(JOHN, number, 2))[1]!;
    expect(carlaAck.subject).toMatch(new RegExp(`^\\[${number}\\] Caso tomado por un ingeniero`));
    expect(johnAck.subject).toMatch(new RegExp(`^\\[${number}\\] Case taken by an engineer`));
    expect(carlaAck.inReplyTo).toBe(carlaOpened!.messageId);
    expect(refsOf(carlaAck)).toEqual([carlaOpened!.messageId]);
    expect(johnAck.inReplyTo).toBe(johnOpened!.messageId);
    expect(refsOf(johnAck)).toEqual([johnOpened!.messageId]);
    // The on-duty engineer's copies are a thread of their own.
    const [dutyOpened, dutyAck] = await waitForMails(ON_DUTY, number, 2);
    expect(dutyAck!.inReplyTo).toBe(dutyOpened!.messageId);
    expect([carlaOpened!.messageId, johnOpened!.messageId]).not.toContain(dutyOpened!.messageId);

    // Carla answers the acknowledgement; her client keeps the headers but she rewrote the subject (no number in it).
    const carlaIn = await replyByMail(CARLA, 'Re: equipo apagado', 'Ya desconectamos el equipo de la red.\n\nCarla\n\nEl lun, CAS escribió:\n> Caso tomado',
      { inReplyTo: carlaAck.messageId!, references: [...refsOf(carlaAck), carlaAck.messageId!] });
    // John's answer reaches the mailbox the collector polls over IMAP; his client sends References only.
    const johnIn = await replyByImap(JOHN, 'Re: question', 'Which computer was it?', [johnOpened!.messageId!, johnAck.messageId!]);
    const comments = () => collector.cases.service.store.comments(ticket.id);
    expect(await eventually(() => comments().length === 2, 20_000)).toBe(true);
    expect(comments().map((c) => `${c.author}: ${c.body}`)).toEqual([`${CARLA}: Ya desconectamos el equipo de la red.\n\nCarla`, `${JOHN}: Which computer was it?`]);
    expect(collector.tickets.list({}).map((t) => t.number)).toEqual([number]);

    // An engineer's reply from the console (personal token) answers each contact's latest mail: that contact's reply.
    const form = new URLSearchParams({ subject: 'Próximos pasos', text: 'Vamos a revisar el equipo hoy.' });
    const res = await fetch(`${collector.url}/console/tickets/${number}/reply`, { method: 'POST', body: form.toString(),
      headers: { authorization: `Bearer ${luciaToken}`, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    const carlaReply = (await waitForMails(CARLA, number, 3))[2]!;
    const johnReply = (await waitForMails(JOHN, number, 3))[2]!;
    expect(carlaReply.subject).toBe(`[${number}] Próximos pasos`);
    expect(carlaReply.inReplyTo).toBe(carlaIn);
    expect(refsOf(carlaReply)).toEqual([carlaOpened!.messageId, carlaAck.messageId, carlaIn]);
    expect(johnReply.inReplyTo).toBe(johnIn);
    expect(refsOf(johnReply)).toEqual([johnOpened!.messageId, johnAck.messageId, johnIn]);

    // The resolution continues each thread, still from its root.
    expect(await api(adminToken, `/v1/tickets/${number}/resolve`, { by: 'Guardia', note: 'equipo limpio' })).toBe(200);
    const carlaResolved = (await waitForMails(CARLA, number, 4))[3]!;
    const johnResolved = (await waitForMails(JOHN, number, 4))[3]!;
    expect(carlaResolved.text).toContain('Caso resuelto');
    expect(johnResolved.text).toContain('Case resolved');
    expect(carlaResolved.inReplyTo).toBe(carlaReply.messageId);
    expect(refsOf(carlaResolved)[0]).toBe(carlaOpened!.messageId);
    expect(refsOf(johnResolved)[0]).toBe(johnOpened!.messageId);
    expect(refsOf(johnResolved)).toContain(johnAck.messageId);
  }, 120_000);
});
