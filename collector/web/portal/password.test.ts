// The portal's password sign-in over real HTTP (fastify on loopback, fetch), as cases.portal.signIn says: a contact
// sets her password through a mailed one-time link, signs in with it, is throttled after repeated failures; a way
// the setting turns off answers 404 (links already mailed included); the hash is argon2id, never the password.
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { caseKit, type CaseKit } from '../../cases/testkit.js';
import { portalPlugin, type PortalSignIn } from './plugin.js';
import { PortalSessions } from './sessions.js';

let kit: CaseKit | undefined;
let app: FastifyInstance | undefined;
let base = '';
afterEach(async () => { await app?.close(); await kit?.close(); app = undefined; kit = undefined; });

async function start(signIn: PortalSignIn): Promise<CaseKit> {
  kit = await caseKit();
  app = Fastify({ logger: { level: 'error' } });
  const sessions = new PortalSessions(kit.db, kit.clock, { linkMinutes: 15, sessionHours: 8 });
  await app.register(portalPlugin, { cases: kit.cases, sessions, baseUrl: () => base, reopenDays: 7, secure: false, signIn });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return kit;
}

const post = (path: string, data: Record<string, string>, cookie = '') => fetch(`${base}${path}`, { method: 'POST', redirect: 'manual',
  body: new URLSearchParams(data).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });

// The mailed link (sign-in or set-password) to an address, taken out of the outbox.
function mailedLink(k: CaseKit, email: string, kind: 'link' | 'password'): string {
  const mail = k.outbox.list({ limit: 1000 }).filter((e) => e.to.includes(email) && e.message.text.includes(`/portal/${kind}/`)).at(-1);
  expect(mail, `a ${kind} mail to ${email}`).toBeDefined();
  k.db.prepare('DELETE FROM notify_outbox WHERE id = ?').run(mail!.id);
  return new RegExp(`(http://\\S+/portal/${kind}/\\S+)`).exec(mail!.message.text)![1]!;
}

// The password form's double-submit token and cookie, as a browser gets them from the sign-in page.
async function loginForm(): Promise<{ token: string; cookie: string; html: string }> {
  const r = await fetch(`${base}/portal/login`);
  const html = await r.text();
  return { token: /name="_login" value="([^"]+)"/.exec(html)?.[1] ?? '', cookie: r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), html };
}

async function signInWith(email: string, password: string): Promise<Response> {
  const f = await loginForm();
  return post('/portal/login/password', { _login: f.token, email, password }, f.cookie);
}

async function setPassword(k: CaseKit, email: string, password: string): Promise<Response> {
  expect((await post('/portal/password/link', { email })).headers.get('location')).toBe('/portal/login?set=1');
  const link = mailedLink(k, email, 'password');
  expect((await fetch(link)).status).toBe(200);
  return post(new URL(link).pathname + new URL(link).search, { password, repeat: password });
}

describe('the portal\'s password sign-in', () => {
  it('lets a contact set her password by a mailed link, then sign in with it; the link works once; the hash is argon2id', async () => {
    const k = await start('password');
    const page = (await loginForm()).html;
    expect(page).toContain('id="password-form"');
    expect(page).not.toContain('id="link-form"');
    const set = await setPassword(k, 'ana@acme.example', 'una-clave-larga-1');
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/portal/cases');
    const stored = k.db.prepare('SELECT hash FROM portal_passwords WHERE email = ?').pluck().get('ana@acme.example') as string;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain('una-clave-larga-1');

    const ok = await signInWith('ana@acme.example', 'una-clave-larga-1');
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('xpears_portal='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const cases = await fetch(`${base}/portal/cases`, { headers: { cookie: cookie.split(';')[0]! }, redirect: 'manual' });
    expect(cases.status).toBe(200);
    expect(await cases.text()).toContain('Mis casos');

    // A short password or two different ones do not spend the link; a spent link cannot set another password.
    await post('/portal/password/link', { email: 'ana@acme.example' });
    const again = mailedLink(k, 'ana@acme.example', 'password');
    const path = new URL(again).pathname;
    expect((await post(path, { password: 'corta', repeat: 'corta' })).status).toBe(422);
    expect((await post(path, { password: 'otra-clave-larga-2', repeat: 'distinta-clave-3' })).status).toBe(422);
    expect((await post(path, { password: 'otra-clave-larga-2', repeat: 'otra-clave-larga-2' })).status).toBe(303);
    expect((await post(path, { password: 'tercera-clave-4', repeat: 'tercera-clave-4' })).status).toBe(410);
    expect((await signInWith('ana@acme.example', 'una-clave-larga-1')).status).toBe(401);
    expect((await signInWith('ana@acme.example', 'otra-clave-larga-2')).status).toBe(303);
  });

  it('refuses a wrong password, an unknown address and a form without its token, and throttles after five failures', async () => {
    const k = await start('both');
    await setPassword(k, 'ana@acme.example', 'una-clave-larga-1');
    expect((await signInWith('nadie@nowhere.example', 'una-clave-larga-1')).status).toBe(401);
    expect((await post('/portal/login/password', { email: 'ana@acme.example', password: 'una-clave-larga-1' })).status).toBe(403);
    for (let i = 0; i < 5; i++) {
      const r = await signInWith('ana@acme.example', `equivocada-${i}-xx`);
      expect(r.status).toBe(401);
      expect(await r.text()).toContain('Correo o contraseña incorrectos.');
    }
    // Throttled: even the right password is refused until the window passes.
    const blocked = await signInWith('ana@acme.example', 'una-clave-larga-1');
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Demasiados intentos fallidos');
    k.clock.advance(16 * 60_000);
    expect((await signInWith('ana@acme.example', 'una-clave-larga-1')).status).toBe(303);
    // 'both' keeps the mailed link too.
    expect((await post('/portal/login', { email: 'ana@acme.example' })).status).toBe(303);
    expect((await fetch(mailedLink(k, 'ana@acme.example', 'link'), { redirect: 'manual' })).status).toBe(303);
  });

  it('answers 404 for the way the setting turns off, links mailed before included', async () => {
    const k = await start('link');
    const page = (await loginForm()).html;
    expect(page).toContain('id="link-form"');
    expect(page).not.toContain('id="password-form"');
    expect((await post('/portal/password/link', { email: 'ana@acme.example' })).status).toBe(404);
    expect((await signInWith('ana@acme.example', 'una-clave-larga-1')).status).toBe(404);
    expect(k.outbox.list({ limit: 100 }).filter((e) => e.message.text.includes('/portal/password/'))).toHaveLength(0);
    // A sign-in link minted while links were allowed is refused once the provider switched to passwords.
    await app!.close();
    await k.close();
    const k2 = await start('password');
    const token2 = new PortalSessions(k2.db, k2.clock, { linkMinutes: 15, sessionHours: 8 }).createLink('acme', 'ana@acme.example');
    expect((await fetch(`${base}/portal/link/${token2}`, { redirect: 'manual' })).status).toBe(404);
    expect((await post('/portal/login', { email: 'ana@acme.example' })).status).toBe(404);
  });
});
