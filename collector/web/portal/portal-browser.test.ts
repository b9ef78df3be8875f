// The portal in Debian's Chromium (playwright-core, as the console's browser tests): a contact signs in with the
// mailed link, sees the engineer's answer on her mailed-in case, answers and closes it; the engineers' queue drops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../../../test/helpers/chromium.js';
import { caseKit, type CaseKit } from '../../cases/testkit.js';
import { portalPlugin } from './plugin.js';
import { PortalSessions } from './sessions.js';

let kit: CaseKit;
let app: FastifyInstance;
let browser: Browser;
let base = '';

beforeAll(async () => {
  kit = await caseKit();
  app = Fastify();
  await app.register(portalPlugin, { cases: kit.cases, sessions: new PortalSessions(kit.db, kit.clock, { linkMinutes: 15, sessionHours: 8 }),
    baseUrl: () => base, reopenDays: 7, secure: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => { await browser?.close(); await app?.close(); await kit?.close(); });

describe('the CAS portal in Chromium', () => {
  it('lets the contact sign in by the mailed link, read the answer, reply and close her case', async () => {
    await kit.send({ from: 'ana@acme.example', subject: 'Equipos sin protección', text: 'Tres equipos figuran sin protección.' });
    const [t] = kit.cases.tickets.list();
    kit.cases.comment(t!.id, { author: 'guardia', authorKind: 'engineer', visibility: 'public', via: 'console', body: 'Reinstale el agente en esos equipos.' }, kit.clock());
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/portal/login`);
    await page.fill('input[name=email]', 'ana@acme.example');
    await page.click('button[type=submit]');
    await page.waitForURL(/sent=1/);
    const mail = kit.outbox.list({ limit: 100 }).find((e) => e.to.includes('ana@acme.example') && e.message.subject.includes('portal'));
    const link = /(http:\/\/\S+\/portal\/link\/\S+)/.exec(mail!.message.text)![1]!;
    await page.goto(link);
    await page.waitForURL(/\/portal\/cases$/);
    await page.click(`a:has-text("${t!.number}")`);
    expect(await page.textContent('#timeline')).toContain('Reinstale el agente en esos equipos.');
    await page.fill('textarea[name=body]', 'Hecho, ya figuran protegidos.');
    await page.click('form[action$="/reply"] button');
    await page.waitForSelector('#timeline li:nth-child(2)');
    expect(await page.textContent('#timeline')).toContain('Hecho, ya figuran protegidos.');
    await page.click('#close');
    await page.waitForSelector('#state:has-text("Cerrado")');
    expect(kit.cases.tickets.list({ state: ['open', 'acknowledged'] })).toHaveLength(0);
    expect(kit.cases.tickets.show(t!.number).history.map((h) => h.action)).toEqual(['opened', 'contact-replied', 'closed']);
  }, 60_000);
});
