// The portal over real HTTP (fastify on loopback, fetch), on a case mailed in over real SMTP: sign-in by a one-time
// link, the case list and page (public timeline only), answer and close; isolation between customers.
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseKit, type CaseKit } from '../../cases/testkit.js';
import { portalPlugin } from './plugin.js';
import { PortalSessions } from './sessions.js';

let kit: CaseKit;
let app: FastifyInstance;
let base = '';
afterEach(async () => { await app?.close(); await kit?.close(); });

async function start(): Promise<void> {
  kit = await caseKit();
  app = Fastify({ logger: { level: "error" } });
  const sessions = new PortalSessions(kit.db, kit.clock, { linkMinutes: 15, sessionHours: 8 });
  await app.register(portalPlugin, { cases: kit.cases, sessions, baseUrl: () => base, reopenDays: 7, secure: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const form = (data: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(data).toString(), redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded' } });

// Asks for a link for `email` and returns the URL the mail carries.
async function linkFor(email: string): Promise<string> {
  const r = await fetch(`${base}/portal/login`, form({ email }));
  expect(r.status).toBe(303);
  const mail = kit.outbox.list({ limit: 1000 }).find((e) => e.to.includes(email) && e.message.subject.includes('portal'));
  const url = /(http:\/\/\S+\/portal\/link\/\S+)/.exec(mail!.message.text)?.[1];
  kit.db.prepare('DELETE FROM notify_outbox WHERE id = ?').run(mail!.id);
  return url!;
}

async function signIn(email: string): Promise<{ cookie: string; get: (p: string) => Promise<Response>; post: (p: string, d: Record<string, string>) => Promise<Response>; csrf: (p: string) => Promise<string> }> {
  const r = await fetch(await linkFor(email), { redirect: 'manual' });
  expect(r.status).toBe(303);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const get = (p: string) => fetch(`${base}${p}`, { headers: { cookie }, redirect: 'manual' });
  const csrf = async (p: string) => /name="_csrf" value="([^"]+)"/.exec(await (await get(p)).text())?.[1] ?? '';
  const post = (p: string, d: Record<string, string>) => { const f = form(d); return fetch(`${base}${p}`, { ...f, headers: { ...f.headers, cookie } }); };
  return { cookie, get, post, csrf };
}

describe('the CAS portal', () => {
  it('follows a mailed case: the engineer\'s answer by mail and in the portal, internal notes hidden, closed by her', async () => {
    await start();
    await kit.send({ from: 'ana@acme.example', subject: 'No actualiza firmas', text: 'Desde ayer no actualiza.\nPrioridad: 2' });
    const [t] = kit.cases.tickets.list();
    kit.cases.comment(t!.id, { author: 'guardia', authorKind: 'engineer', visibility: 'internal', via: 'console', body: 'NOTA INTERNA: revisar licencia' }, kit.clock());
    kit.cases.comment(t!.id, { author: 'guardia', authorKind: 'engineer', visibility: 'public', via: 'console', body: 'Reinicie el módulo de actualización.' }, kit.clock());
    const answer = kit.outbox.list({ limit: 100 }).find((e) => e.to.includes('ana@acme.example') && e.message.text.includes('Reinicie el módulo'));
    expect(answer!.message.subject).toBe(`[${t!.number}] No actualiza firmas`);
    expect((answer!.payload as { thread: { references: string[] } }).thread.references).toHaveLength(2);

    const ana = await signIn('ana@acme.example');
    const list = await (await ana.get('/portal/cases')).text();
    expect(list).toContain(t!.number);
    const page = await (await ana.get(`/portal/cases/${t!.number}`)).text();
    expect(page).toContain('Reinicie el módulo de actualización.');
    expect(page).not.toContain('NOTA INTERNA');

    const csrf = await ana.csrf(`/portal/cases/${t!.number}`);
    expect((await ana.post(`/portal/cases/${t!.number}/reply`, { _csrf: csrf, body: 'Listo, funcionó.' })).status).toBe(303);
    expect(kit.cases.store.comments(t!.id).at(-1)).toMatchObject({ authorKind: 'contact', via: 'portal', body: 'Listo, funcionó.' });
    expect((await ana.post(`/portal/cases/${t!.number}/close`, { _csrf: csrf })).status).toBe(303);
    expect(kit.cases.tickets.list({ state: ['open', 'acknowledged'] })).toHaveLength(0);
    expect(await (await ana.get('/portal/cases')).text()).toMatch(/id="closed-cases"[\s\S]*No actualiza firmas/);
  });

  it('keeps a contact of one customer out of another customer\'s cases, whatever the id in the URL or form', async () => {
    await start();
    await kit.send({ from: 'ana@acme.example', subject: 'Caso de Acme', text: 'secreto de Acme',
      attachments: [{ filename: 'registro.txt', content: 'registro de Acme', contentType: 'text/plain' }] });
    const [t] = kit.cases.tickets.list();
    const intruder = await signIn('ana@beta.example');
    const csrf = await intruder.csrf('/portal/cases/new');
    expect((await intruder.get(`/portal/cases/${t!.number}`)).status).toBe(404);
    expect((await intruder.get(`/portal/cases/${t!.id}`)).status).toBe(404);
    expect((await intruder.post(`/portal/cases/${t!.number}/reply`, { _csrf: csrf, body: 'hola' })).status).toBe(404);
    expect((await intruder.post(`/portal/cases/${t!.number}/close`, { _csrf: csrf })).status).toBe(404);
    expect(await (await intruder.get('/portal/cases')).text()).not.toContain('Caso de Acme');
    expect(kit.cases.get(t!.id)).toMatchObject({ state: 'open' });
    const [file] = kit.cases.store.attachments(t!.id);
    expect((await intruder.get(`/portal/attachments/${file!.id}`)).status).toBe(404);
    expect(kit.cases.store.comments(t!.id)).toHaveLength(0);
    // Without the form's token nothing is done either.
    const own = await signIn('ana@acme.example');
    const download = await own.get(`/portal/attachments/${file!.id}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('registro de Acme');
    expect((await own.post(`/portal/cases/${t!.number}/close`, {})).status).toBe(403);
  });

  it('takes a one-time link once, and not after it expired', async () => {
    await start();
    const link = await linkFor('ana@acme.example');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(410);
    const late = await linkFor('ana@acme.example');
    kit.clock.advance(16 * 60_000);
    expect((await fetch(late, { redirect: 'manual' })).status).toBe(410);
    // An address that is no contact gets the same answer and no mail.
    const r = await fetch(`${base}/portal/login`, form({ email: 'nadie@nowhere.example' }));
    expect(r.headers.get('location')).toBe('/portal/login?sent=1');
    expect(kit.outbox.list({ limit: 100 }).filter((e) => e.to.includes('nadie@nowhere.example'))).toHaveLength(0);
  });

  it('opens a case with the manuals\' form, the Managed due time for the Nivel chosen', async () => {
    await start();
    const ana = await signIn('ana@acme.example');
    const csrf = await ana.csrf('/portal/cases/new');
    const r = await ana.post('/portal/cases', { _csrf: csrf, vendor: 'eset', title: 'Servidor lento', description: 'Escaneo lento', product: 'ESET PROTECT',
      productVersion: '11.1', os: 'Windows Server', osVersion: '2019', priority: '1' });
    expect(r.status).toBe(303);
    const [t] = kit.cases.tickets.list();
    expect(t).toMatchObject({ origin: 'portal', requesterEmail: 'ana@acme.example', caseKind: 'severity-1', vendor: 'eset', os: 'Windows Server' });
    expect(t!.responseDueAt).toBe(new Date('2026-03-25T09:50:00-03:00').toISOString());
  });

  it('serves the customer\'s monthly reports and the advisories mailed to the contact, and nobody else\'s', async () => {
    await start();
    const report = (customer: string) => {
      const path = join(kit.dir, `informe-${customer}.pdf`);
      writeFileSync(path, `%PDF-1.4 informe de ${customer}`);
      return kit.outbox.enqueue({ channel: 'email', to: [`ana@${customer}.example`], message: { subject: `Informe técnico mensual — ${customer}`, text: 'adjunto' },
        attachments: [{ filename: `informe-${customer}.pdf`, path, contentType: 'application/pdf' }], subjectRef: { kind: 'report', id: `${customer}:2026-02`, customerId: customer } });
    };
    const acmeReport = report('acme');
    const betaReport = report('beta');
    kit.outbox.enqueue({ channel: 'email', to: ['ana@acme.example'], message: { subject: 'Aviso: CVE-2026-0001 en ESET PROTECT', text: 'Actualice.' },
      subjectRef: { kind: 'advisory', id: 'a1', customerId: 'acme' } });
    kit.outbox.enqueue({ channel: 'email', to: ['john@acme.example'], message: { subject: 'Advisory for John only', text: 'x' },
      subjectRef: { kind: 'advisory', id: 'a2', customerId: 'acme' } });
    const ana = await signIn('ana@acme.example');
    const list = await (await ana.get('/portal/reports')).text();
    expect(list).toContain('Informe técnico mensual — acme');
    expect(list).not.toContain('— beta');
    const pdf = await ana.get(`/portal/reports/${acmeReport}`);
    expect(pdf.status).toBe(200);
    expect(await pdf.text()).toBe('%PDF-1.4 informe de acme');
    expect((await ana.get(`/portal/reports/${betaReport}`)).status).toBe(404);
    const advisories = await (await ana.get('/portal/advisories')).text();
    expect(advisories).toContain('CVE-2026-0001');
    expect(advisories).not.toContain('John only');
  });
});
