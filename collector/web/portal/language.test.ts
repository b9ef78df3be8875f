// The portal's languages over real HTTP: Spanish by default, English for a contact whose registry language is `en`,
// and a per-session switch (a CSRF-guarded form). Every page is read in both languages and must show none of the
// other's words; the two tables hold the same keys.
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseKit, type CaseKit } from '../../cases/testkit.js';
import { portalPlugin } from './plugin.js';
import { PortalSessions } from './sessions.js';
import { PORTAL_KEYS, pt } from './messages.js';

let kit: CaseKit | undefined;
let app: FastifyInstance | undefined;
let base = '';
afterEach(async () => { await app?.close(); await kit?.close(); app = undefined; kit = undefined; });

async function start(): Promise<CaseKit> {
  const k = await caseKit();
  kit = k;
  // The kit's registry: john@acme.example reads English, ana@acme.example Spanish.
  expect(k.registry.customers.get('acme')!.contacts.find((c) => c.email === 'john@acme.example')?.language).toBe('en');
  app = Fastify({ logger: { level: 'error' } });
  await app.register(portalPlugin, { cases: k.cases, sessions: new PortalSessions(k.db, k.clock, { linkMinutes: 15, sessionHours: 8 }),
    baseUrl: () => base, reopenDays: 7, secure: false, signIn: 'both', attachments: k.intake.policy });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return k;
}

async function signIn(k: CaseKit, email: string): Promise<{ get: (p: string) => Promise<string>; post: (p: string, d: Record<string, string>) => Promise<Response> }> {
  await fetch(`${base}/portal/login`, { method: 'POST', body: new URLSearchParams({ email }), redirect: 'manual' });
  const mail = k.outbox.list({ limit: 1000 }).filter((e) => e.to.includes(email) && e.message.text.includes('/portal/link/')).at(-1)!;
  const r = await fetch(/(http:\/\/\S+\/portal\/link\/\S+)/.exec(mail.message.text)![1]!, { redirect: 'manual' });
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('xpears_portal='))!.split(';')[0]!;
  return {
    get: async (p) => (await fetch(`${base}${p}`, { headers: { cookie }, redirect: 'manual' })).text(),
    post: (p, d) => fetch(`${base}${p}`, { method: 'POST', body: new URLSearchParams(d), headers: { cookie }, redirect: 'manual' }),
  };
}

// The words only each language's pages may show.
const SPANISH = ['Mis casos', 'Nuevo caso', 'Informes', 'Avisos', 'Salir', 'Abiertos', 'Cerrados', 'Descripción', 'Conversación', 'Responder', 'Cerrar el caso', 'Prioridad', 'No encontrado'];
const ENGLISH = ['My cases', 'New case', 'Reports', 'Advisories', 'Sign out', 'Conversation', 'Answer', 'Close the case', 'Priority', 'Not found'];

// Every page a signed-in contact can read (with one case, one report, one advisory, and a missing case).
async function pages(k: CaseKit, get: (p: string) => Promise<string>): Promise<Record<string, string>> {
  const [t] = k.cases.tickets.list();
  return { cases: await get('/portal/cases'), case: await get(`/portal/cases/${t!.number}`), new: await get('/portal/cases/new'),
    reports: await get('/portal/reports'), advisories: await get('/portal/advisories'), missing: await get('/portal/cases/XR-2026-999999') };
}

function seed(k: CaseKit): void {
  const path = join(k.dir, 'informe.pdf');
  writeFileSync(path, '%PDF-1.4');
  k.outbox.enqueue({ channel: 'email', to: ['ana@acme.example', 'john@acme.example'], message: { subject: 'Informe mensual — acme', text: 'adjunto' },
    attachments: [{ filename: 'informe.pdf', path, contentType: 'application/pdf' }], subjectRef: { kind: 'report', id: 'acme:2026-02', customerId: 'acme' } });
}

describe('the portal in Spanish and English', () => {
  it('has the same keys in both tables, and no English text equal to a Spanish one but the shared words', () => {
    const same = PORTAL_KEYS.filter((key) => pt('es', key) === pt('en', key));
    expect(same.sort()).toEqual(['case.fileFacts']);
  });

  it('shows every page in Spanish by default and in English to a contact whose registry language is en', async () => {
    const k = await start();
    seed(k);
    await k.send({ from: 'ana@acme.example', subject: 'Firmas viejas', text: 'No actualiza.' });
    const ana = await pages(k, (await signIn(k, 'ana@acme.example')).get);
    const john = await pages(k, (await signIn(k, 'john@acme.example')).get);
    for (const [name, html] of Object.entries(ana)) {
      expect(html, name).toContain('<html lang="es">');
      expect(html, name).toContain('Mis casos');
      for (const word of ['My cases', 'Sign out', 'Advisories']) expect(html, `${name}: ${word}`).not.toContain(word);
    }
    for (const [name, html] of Object.entries(john)) {
      expect(html, name).toContain('<html lang="en">');
      for (const word of SPANISH) expect(html, `${name}: ${word}`).not.toContain(word);
    }
    expect(john.cases).toContain('My cases');
    expect(john.case).toMatch(/First response due by[\s\S]*Conversation[\s\S]*Close the case/);
    expect(john.new).toContain('Level 1 (critical)');
    expect(john.reports).toContain('Monthly reports');
    expect(john.advisories).toContain('We have not sent you advisories yet.');
    expect(john.missing).toContain('None of your cases has that number.');
    expect(ana.case).toMatch(/Primera respuesta antes de[\s\S]*Conversación[\s\S]*Cerrar el caso/);
  });

  it('switches a session\'s language with the header\'s form, only with the session\'s token', async () => {
    const k = await start();
    const ana = await signIn(k, 'ana@acme.example');
    const before = await ana.get('/portal/cases');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(before)![1]!;
    expect((await ana.post('/portal/language', { language: 'en' })).status).toBe(403);
    expect(await ana.get('/portal/cases')).toContain('Mis casos');
    expect((await ana.post('/portal/language', { _csrf: csrf, language: 'en' })).status).toBe(303);
    const after = await ana.get('/portal/cases');
    for (const word of ENGLISH.slice(0, 5)) expect(after).toContain(word);
    for (const word of SPANISH.slice(0, 5)) expect(after).not.toContain(word);
    expect((await ana.post('/portal/language', { _csrf: csrf, language: 'es' })).status).toBe(303);
    expect(await ana.get('/portal/cases')).toContain('Mis casos');
  });

  it('shows the sign-in page in English by its switch, and the notice after a request in that language', async () => {
    await start();
    const es = await (await fetch(`${base}/portal/login`)).text();
    expect(es).toContain('Ingresar con un enlace por correo');
    expect(es).toContain('href="/portal/login?lang=en"');
    const en = await (await fetch(`${base}/portal/login?lang=en`)).text();
    expect(en).toMatch(/Sign in with a link by mail[\s\S]*Sign in with a password[\s\S]*No password yet, or forgot it\?/);
    for (const word of ['Ingresar', 'Contraseña', 'Correo electrónico']) expect(en).not.toContain(word);
    const r = await fetch(`${base}/portal/login`, { method: 'POST', body: new URLSearchParams({ email: 'x@y.example', lang: 'en' }), redirect: 'manual' });
    expect(r.headers.get('location')).toBe('/portal/login?sent=1&lang=en');
    expect(await (await fetch(`${base}${r.headers.get('location')}`)).text()).toContain('we sent it a sign-in link');
  });
});
