// The CAS mailbox's triage list on a real collector (HTTP on loopback, SQLite files, the CAS SMTP listener on an
// ephemeral port fed by nodemailer, test/notify/smtp-sink for outgoing mail): an engineer turns a stranger's mail
// into a case for a customer (its subject, body and attachments, the plan's due time, the acknowledgement threaded to
// the mail), a lead adds the sender as a contact when the plan allows, an entry is discarded with a reason; every
// step audited; a read-only user does nothing; nothing is done twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { AccountStore, type Role } from '../../collector/accounts/index.js';
import { responseDueAt } from '../../collector/tickets/sla.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, runCollector, tempDir } from '../e2e/harness.js';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.js';
import { eventually } from '../helpers/eventually.js';
import { Client, PASSWORD } from './harness.js';

let dir: ReturnType<typeof tempDir>;
let sink: SmtpSink;
let collector: RunningCollector;
let accounts: AccountStore;

beforeAll(async () => {
  dir = tempDir('xpears-triage-');
  sink = await startSmtpSink();
  const dataDir = join(dir.path, 'collector');
  await enrollAcme(dataDir);
  const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await reg.addContact('acme', { name: 'Carla Contacto', email: 'carla@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
  // Beta's Basic plan allows two contacts per product, and it has two.
  await reg.addCustomer({ id: 'beta', name: 'Beta SRL', plan: 'basic', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
  for (const n of ['uno', 'dos']) await reg.addContact('beta', { name: n, email: `${n}@beta.example`, language: 'es', products: ['ESET PROTECT Entry'] });
  collector = await runCollector(collectorConfigFor(dataDir, 0, {
    notify: { smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false }, from: { address: 'cas@xpears.test', name: 'CAS' },
      webhooks: {}, onDuty: [], dispatch: { intervalMs: 200 } },
    cases: { smtp: { enabled: true, port: 0 } },
  }));
  accounts = new AccountStore(collector.db, systemClock);
  const users: [string, Role][] = [['lucia', 'l1'], ['rita', 'read-only'], ['ana', 'lead']];
  for (const [login, role] of users) await accounts.addUser({ login, name: login, email: `${login}@cas.example`, role, password: PASSWORD }, 'test');
}, 60_000);
afterAll(async () => { await collector?.stop(); await sink?.close(); dir?.cleanup(); });

async function mailIn(from: string, subject: string, messageId: string, attachments: { filename: string; content: string }[] = []): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: collector.cases.smtp!.port, secure: false, ignoreTLS: true });
  await transport.sendMail({ from, to: 'soporte@cas.xpears.local', subject, messageId, text: `Hola, escribo desde ${from}.\nGracias.`, attachments });
  transport.close();
  return collector.db.prepare('SELECT id FROM mail_in WHERE message_id = ?').pluck().get(messageId) as number;
}

async function signedIn(login: string): Promise<Client> {
  const c = new Client(collector.url);
  expect(await c.login(login)).toBe(303);
  return c;
}

const row = (html: string, id: number): string => new RegExp(`<tr[^>]*id="mail-${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
const audit = (action: string) => accounts.auditList(200).filter((a) => a.action === action);

describe('the console\'s triage list', () => {
  it('turns a stranger\'s mail into a case for a customer, with its text, attachments, due time and a threaded acknowledgement', async () => {
    const id = await mailIn('pedro@gmail.example', 'Consulta por la licencia', '<t1@gmail.example>',
      [{ filename: 'licencia.txt', content: 'clave XXXX' }, { filename: 'malo.exe', content: 'MZ\u0090' }]);
    const lucia = await signedIn('lucia');
    const page = await lucia.req('GET', '/console/mail');
    const entry = row(page.text, id);
    expect(entry).toContain('data-outcome="triage"');
    expect(entry).toContain(`action="/console/mail/${id}/case"`);
    expect(entry).toContain('value="acme|carla@acme.example"');
    expect(entry).toContain('licencia.txt (10 bytes)');
    expect(entry).toContain('malo.exe (rechazado: es un ejecutable)');
    // An l1 may not edit customers: no option to add the sender as a contact.
    expect(entry).not.toContain('+sender');
    const r = await lucia.req('POST', `/console/mail/${id}/case`, { _csrf: Client.csrf(page.text), requester: 'acme|carla@acme.example', priority: '2' });
    expect(r.status).toBe(303);
    const number = /\/console\/tickets\/(XR-\d{4}-\d{6})/.exec(r.headers.get('location') ?? '')![1]!;
    const t = collector.cases.service.get(number)!;
    expect(t).toMatchObject({ origin: 'email', requesterEmail: 'carla@acme.example', caseKind: 'severity-2', title: 'Consulta por la licencia' });
    expect(t.description).toContain('Hola, escribo desde pedro@gmail.example.');
    const plan = collector.tickets.planOf(collector.registry.getCustomer('acme'));
    expect(t.responseDueAt).toBe(responseDueAt({ plan, caseKind: 'severity-2', openedAt: new Date(t.openedAt), calendar: collector.calendar }).toISOString());
    expect(collector.tickets.show(number).history[0]).toMatchObject({ action: 'opened', actor: 'lucia' });
    const files = collector.cases.service.store.attachments(t.id);
    expect(files.map((f) => [f.name, f.size])).toEqual([['licencia.txt', 10]]);

    const toCarla = () => sink.messages.filter((m) => JSON.stringify(m.to).includes('carla@acme.example'));
    const ack = () => toCarla().find((m) => m.text?.includes(`Registramos su caso ${number}`));
    const refusal = () => toCarla().find((m) => m.text?.includes('malo.exe: es un ejecutable'));
    expect(await eventually(() => Boolean(ack() && refusal()))).toBe(true);
    expect(ack()!.inReplyTo).toBe('<t1@gmail.example>');
    expect(refusal()!.inReplyTo).toBe('<t1@gmail.example>');
    expect(sink.messages.filter((m) => JSON.stringify(m.to).includes('pedro@gmail.example'))).toHaveLength(0);

    const after = await lucia.req('GET', '/console/mail');
    expect(row(after.text, id)).toMatch(new RegExp(`Caso <a href="/console/tickets/${number}">${number}</a> \\(lucia\\)`));
    expect(audit('mail.case')[0]).toMatchObject({ actor: 'lucia', target: `mail:${id}` });
    expect(audit('mail.case')[0]!.detail).toContain(number);
    // Done once: a second engineer's (or a double click's) POST is refused.
    expect((await lucia.req('POST', `/console/mail/${id}/case`, { _csrf: Client.csrf(after.text), requester: 'acme|carla@acme.example', priority: '2' })).status).toBe(409);
    expect(collector.tickets.list({ customerId: 'acme' }).filter((x) => x.number !== number && x.title === 'Consulta por la licencia')).toHaveLength(0);
    // The engineers see and download the attachment from the ticket page.
    const ticketPage = await lucia.req('GET', `/console/tickets/${number}`);
    expect(ticketPage.text).toContain(`href="/console/attachments/${files[0]!.id}"`);
    const download = await lucia.req('GET', `/console/attachments/${files[0]!.id}`);
    expect(download.status).toBe(200);
    expect(download.text).toBe('clave XXXX');
  });

  it('adds the sender as a contact for a lead when the plan allows, never for an l1', async () => {
    const id = await mailIn('otro@hogar.example', 'Pedido de alta', '<t2@hogar.example>');
    const lucia = await signedIn('lucia');
    const csrfL = Client.csrf((await lucia.req('GET', '/console/mail')).text);
    expect((await lucia.req('POST', `/console/mail/${id}/case`, { _csrf: csrfL, requester: 'acme|+sender', priority: '3' })).status).toBe(403);
    const ana = await signedIn('ana');
    const page = await ana.req('GET', '/console/mail');
    expect(row(page.text, id)).toContain('value="beta|+sender"');
    const full = await ana.req('POST', `/console/mail/${id}/case`, { _csrf: Client.csrf(page.text), requester: 'beta|+sender', priority: '3' });
    expect(full.status).toBe(409);
    expect(full.text).toMatch(/Basic plan allows 2 designated contacts/);
    expect(collector.db.prepare('SELECT resolved_at FROM mail_in WHERE id = ?').pluck().get(id)).toBeNull();
    const r = await ana.req('POST', `/console/mail/${id}/case`, { _csrf: Client.csrf(page.text), requester: 'acme|+sender', name: 'Otro Contacto', priority: '3' });
    expect(r.status).toBe(303);
    const number = /(XR-\d{4}-\d{6})/.exec(r.headers.get('location') ?? '')![1]!;
    expect(collector.cases.service.get(number)).toMatchObject({ requesterEmail: 'otro@hogar.example', requesterName: 'Otro Contacto' });
    const reg = await Registry.open(join(dir.path, 'collector', 'registry.json'), resolvePlans());
    expect(reg.getCustomer('acme')!.contacts.map((c) => c.email)).toContain('otro@hogar.example');
    expect(audit('contact.add')[0]).toMatchObject({ actor: 'ana', target: 'acme' });
    expect(audit('mail.case')[0]).toMatchObject({ actor: 'ana', target: `mail:${id}` });
  });

  it('discards an entry with a reason, refuses a read-only user, and mails nobody', async () => {
    const id = await mailIn('promo@ofertas.example', 'Oferta imperdible', '<t3@ofertas.example>');
    const rita = await signedIn('rita');
    const ritaPage = await rita.req('GET', '/console/mail');
    expect(row(ritaPage.text, id)).not.toContain('<form');
    expect((await rita.req('POST', `/console/mail/${id}/discard`, { _csrf: Client.csrf(ritaPage.text), reason: 'spam' })).status).toBe(403);
    expect((await rita.req('POST', `/console/mail/${id}/case`, { _csrf: Client.csrf(ritaPage.text), requester: 'acme|carla@acme.example', priority: '3' })).status).toBe(403);
    const lucia = await signedIn('lucia');
    const csrf = Client.csrf((await lucia.req('GET', '/console/mail')).text);
    expect((await lucia.req('POST', `/console/mail/${id}/discard`, { _csrf: csrf, reason: '  ' })).status).toBe(400);
    expect((await lucia.req('POST', `/console/mail/${id}/discard`, { reason: 'spam' })).status).toBe(403);
    expect((await lucia.req('POST', `/console/mail/${id}/discard`, { _csrf: csrf, reason: 'publicidad' })).status).toBe(303);
    expect(row((await lucia.req('GET', '/console/mail')).text, id)).toContain('Descartado por lucia: publicidad');
    expect(audit('mail.discard')[0]).toMatchObject({ actor: 'lucia', target: `mail:${id}` });
    expect((await lucia.req('POST', `/console/mail/${id}/discard`, { _csrf: csrf, reason: 'otra vez' })).status).toBe(409);
    expect(sink.messages.filter((m) => JSON.stringify(m.to).includes('promo@ofertas.example'))).toHaveLength(0);
    // An engineer who reads English reads the list's words in English.
    accounts.setLanguage('lucia', 'en', 'lucia');
    const english = row((await lucia.req('GET', '/console/mail')).text, id);
    expect(english).toContain('Discarded by lucia: publicidad');
    expect(english).not.toContain('Descartado');
  });
});
