// The portal's password sign-in, English pages and attachments in Debian's Chromium (playwright-core): a contact sets
// her password from the mailed link, signs out and in with it, switches to English, is told in English which file
// was refused, opens the case with the accepted file and downloads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
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
    baseUrl: () => base, reopenDays: 7, secure: false, signIn: 'password', attachments: kit.intake.policy });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => { await browser?.close(); await app?.close(); await kit?.close(); });

describe('the portal\'s forms in Chromium', () => {
  it('sets a password by the mailed link, signs in with it, reads English, and attaches files to a new case', async () => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await page.goto(`${base}/portal/login`);
    expect(await page.locator('#link-form').count()).toBe(0);
    await page.fill('#set-form input[name=email]', 'ana@acme.example');
    await page.click('#set-form button');
    await page.waitForURL(/set=1/);
    const mail = kit.outbox.list({ limit: 100 }).find((e) => e.to.includes('ana@acme.example') && e.message.text.includes('/portal/password/'));
    await page.goto(/(http:\/\/\S+\/portal\/password\/\S+)/.exec(mail!.message.text)![1]!);
    await page.fill('input[name=password]', 'clave-del-portal-1');
    await page.fill('input[name=repeat]', 'clave-del-portal-1');
    await page.click('#new-password button');
    await page.waitForURL(/\/portal\/cases$/);
    await page.click('#logout');
    await page.waitForURL(/\/portal\/login/);
    await page.fill('#password-form input[name=email]', 'ana@acme.example');
    await page.fill('#password-form input[name=password]', 'clave-del-portal-1');
    await page.click('#password-form button');
    await page.waitForURL(/\/portal\/cases$/);
    expect(await page.textContent('h1')).toBe('Mis casos');

    await page.click('#language');
    await page.waitForSelector('h1:has-text("My cases")');
    await page.click('a:has-text("New case")');
    await page.fill('input[name=title]', 'Agent does not report');
    await page.fill('textarea[name=description]', 'Since Monday.');
    await page.selectOption('select[name=priority]', '2');
    await page.setInputFiles('input[name=files]', [
      { name: 'agent.log', mimeType: 'text/plain', buffer: Buffer.from('connection refused\n') },
      { name: 'fix.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') }]);
    await page.click('button:has-text("Open the case")');
    await page.waitForSelector('#refused');
    expect(await page.textContent('#refused')).toContain('fix.exe: is an executable');
    expect(await page.inputValue('input[name=title]')).toBe('Agent does not report');
    expect(kit.cases.tickets.list()).toHaveLength(0);

    await page.setInputFiles('input[name=files]', [{ name: 'agent.log', mimeType: 'text/plain', buffer: Buffer.from('connection refused\n') }]);
    await page.click('button:has-text("Open the case")');
    await page.waitForSelector('#attachments');
    const [t] = kit.cases.tickets.list();
    expect(t).toMatchObject({ origin: 'portal', caseKind: 'severity-2', requesterEmail: 'ana@acme.example' });
    expect(await page.textContent('#state')).toBe('Open');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#attachments a')]);
    expect(download.suggestedFilename()).toBe('agent.log');
    expect(readFileSync((await download.path())!, 'utf8')).toBe('connection refused\n');
  }, 90_000);
});
