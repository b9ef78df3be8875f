// The portal's settings reach it through the collector's configuration (a real collector on loopback, SQLite files):
// `cases.portal.signIn: password` turns the mailed sign-in link off and the password form on, and
// `cases.maxAttachmentBytes` is the limit of the portal's forms as of the mailbox's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, runCollector, tempDir } from '../e2e/harness.js';

let dir: ReturnType<typeof tempDir>;
let collector: RunningCollector;

beforeAll(async () => {
  dir = tempDir('xpears-portal-settings-');
  const dataDir = join(dir.path, 'collector');
  await enrollAcme(dataDir);
  const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await reg.addContact('acme', { name: 'Carla Contacto', email: 'carla@acme.example', language: 'en', products: ['ESET PROTECT Entry'] });
  collector = await runCollector(collectorConfigFor(dataDir, 0, { cases: { maxAttachmentBytes: 2048, portal: { signIn: 'password' } } }));
}, 60_000);
afterAll(async () => { await collector?.stop(); dir?.cleanup(); });

const post = (path: string, data: Record<string, string>) => fetch(`${collector.url}${path}`, { method: 'POST', redirect: 'manual',
  body: new URLSearchParams(data).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('the portal as the configuration says', () => {
  it('signs in by password only, with the mailbox\'s attachment limit', async () => {
    const login = await (await fetch(`${collector.url}/portal/login`)).text();
    expect(login).toContain('id="password-form"');
    expect(login).not.toContain('id="link-form"');
    expect((await post('/portal/login', { email: 'carla@acme.example' })).status).toBe(404);
    expect((await post('/portal/password/link', { email: 'carla@acme.example' })).status).toBe(303);
    const mail = collector.outbox.list({ limit: 100 }).find((e) => e.to.includes('carla@acme.example') && e.message.text.includes('/portal/password/'))!;
    // Carla reads English: the mail and the link's page are in English.
    expect(mail.message.subject).toBe('Set your CAS portal password');
    const link = new URL(/(http:\/\/\S+\/portal\/password\/\S+)/.exec(mail.message.text)![1]!);
    expect(link.origin).toBe(collector.url);
    expect(await (await fetch(link)).text()).toContain('Set your password');
    const set = await post(link.pathname + link.search, { password: 'clave-de-carla-1', repeat: 'clave-de-carla-1' });
    expect(set.status).toBe(303);
    const cookie = set.headers.getSetCookie().find((c) => c.startsWith('xpears_portal='))!.split(';')[0]!;
    const page = await (await fetch(`${collector.url}/portal/cases/new`, { headers: { cookie } })).text();
    expect(page).toContain('Attach files (up to 2 KB each; no executables)');
    const form = new FormData();
    form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)![1]!);
    form.set('title', 'Too big');
    form.set('description', 'A log over the limit.');
    form.append('files', new Blob([Buffer.alloc(2049, 0x61)], { type: 'text/plain' }), 'big.log');
    const refused = await fetch(`${collector.url}/portal/cases`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('big.log: exceeds the allowed size');
  });
});
