// The CAS console in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser), against
// a real collector and agent on loopback. A ransomware line sent to the agent's syslog port reaches a logged-in L1's
// queue without a reload; she acknowledges; history names her; the contact's mail reaches the SMTP sink; two
// engineers acknowledging at once: one wins, the other is told. Screenshots go to test-artifacts/console/.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { ROOT, agentConfigFor, eventually, freeUdpPort } from '../e2e/harness.js';
import { ransomwareLine, startBench, signIn, type ConsoleBench } from './harness.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
const HOSTILE = '<script>window.__xss=1</script>srv-archivos';
let bench: ConsoleBench;
let agent: RunningAgent;
let browser: Browser;
let syslogPort: number;
const contexts: BrowserContext[] = [];

async function sendSyslog(line: string): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) => s.send(Buffer.from(line), syslogPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  s.close();
}

async function loggedIn(login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-AR' });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, bench.collector.url, login);
  return page;
}

const openTicket = async (page: Page, number: string) => { await page.goto(`${bench.collector.url}/console/tickets/${number}`); };
// Runs in the page (the project's TypeScript has no DOM types, so as text): a form POST with or without the token.
const postFromPage = (page: Page, path: string, withCsrf: boolean) => page.evaluate<number>(`(async () => {
  const field = document.querySelector('input[name=_csrf]');
  const body = new URLSearchParams(${withCsrf} && field ? { _csrf: field.value } : {}).toString();
  const res = await fetch(${JSON.stringify(path)}, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  return res.status;
})()`);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  bench = await startBench();
  agent = await startAgent(agentConfigFor(join(bench.dir.path, 'agent'), bench.collector.url, bench.agentToken, await freeUdpPort(), {
    receivers: { syslog: { udp: { port: 0 } } },
  }), { logger: silentLogger(), clock: systemClock });
  syslogPort = Number(/udp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
  browser = await launchChromium();
}, 120_000);
afterEach(async () => { await Promise.all(contexts.splice(0).map((c) => c.close())); });
afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await bench?.close();
});

describe('the console in Chromium', () => {
  it('a ransomware line reaches the L1\'s queue without a reload; she acknowledges; history names her; the contact is mailed', async () => {
    const page = await loggedIn('lucia');
    await page.evaluate('window.__sameLoad = 1');
    await sendSyslog(ransomwareLine(HOSTILE));
    const row = page.locator('#queue-rows tr[data-ticket]');
    await row.first().waitFor({ timeout: 60_000 });
    expect(await page.evaluate('window.__sameLoad')).toBe(1);
    expect(await row.first().locator('td').nth(1).textContent()).toMatch(/vence en \d+ (min|h)/);
    await page.screenshot({ path: join(ARTIFACTS, 'queue.png'), fullPage: true });
    const number = (await row.first().getAttribute('data-ticket'))!;

    await row.first().getByRole('link').click();
    await page.waitForURL(/\/console\/tickets\//);
    expect(await page.locator('.computer').first().textContent()).toContain(HOSTILE);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.getByText('+54 11 4000-1234').count()).toBe(1);
    await page.getByRole('button', { name: 'Dar primera respuesta' }).click();
    await page.waitForURL(/done=ack/);
    expect(await page.locator('.timeline li[data-action="acknowledged"] .actor').textContent()).toBe('Lucía Pérez (lucia)');
    await page.screenshot({ path: join(ARTIFACTS, 'ticket.png'), fullPage: true });
    const history = bench.collector.tickets.show(number).history.filter((h) => h.action === 'acknowledged');
    expect(history.map((h) => h.actor)).toEqual(['lucia']);
    expect(await eventually(() => bench.sink.messages.some((m) => m.subject?.includes(number) && bench.sink.envelopes[bench.sink.messages.indexOf(m)]!.includes('carla@acme.example')
      && /lucia|Lucía/.test(m.text ?? '')), 30_000)).toBe(true);
  }, 180_000);

  it('two engineers acknowledging at once: one wins, the other is told, history holds one acknowledgement', async () => {
    await sendSyslog(ransomwareLine('pc-contabilidad-02', 'Win32/Filecoder.LockBit.B'));
    expect(await eventually(() => bench.collector.tickets.list({ state: 'open' }).length === 1, 30_000)).toBe(true);
    const number = bench.collector.tickets.list({ state: 'open' })[0]!.number;
    const [a, b] = [await loggedIn('lucia'), await loggedIn('marcos')];
    await Promise.all([openTicket(a, number), openTicket(b, number)]);
    await Promise.all([a, b].map((p) => p.getByRole('button', { name: 'Dar primera respuesta' }).click()));
    await Promise.all([a, b].map((p) => p.waitForURL(/done=ack|err=acked/)));
    const flashes = await Promise.all([a, b].map((p) => p.locator('.flash').textContent()));
    expect(flashes.filter((f) => f?.startsWith('Hecho'))).toHaveLength(1);
    expect(flashes.filter((f) => f?.includes('Otra persona ya dio la primera respuesta'))).toHaveLength(1);
    expect(bench.collector.tickets.show(number).history.filter((h) => h.action === 'acknowledged')).toHaveLength(1);
  }, 120_000);

  it('read-only sees no buttons and is refused; an L1 cannot reach user administration; a POST without CSRF token is refused', async () => {
    const number = bench.collector.tickets.list({})[0]!.number;
    const rita = await loggedIn('rita');
    await openTicket(rita, number);
    expect(await rita.locator('main form').count()).toBe(0);
    expect(await postFromPage(rita, `/console/tickets/${number}/note`, true)).toBe(403);
    const lucia = await loggedIn('lucia');
    expect(await lucia.getByRole('link', { name: 'Usuarios' }).count()).toBe(0);
    expect((await lucia.goto(`${bench.collector.url}/console/users`))!.status()).toBe(403);
    await openTicket(lucia, number);
    expect(await postFromPage(lucia, `/console/tickets/${number}/take`, false)).toBe(403);
    expect(bench.collector.tickets.show(number).history.some((h) => h.action === 'taken')).toBe(false);
  }, 120_000);

  it('a disabled user\'s open session stops working', async () => {
    const marcos = await loggedIn('marcos');
    const ana = await loggedIn('ana');
    await ana.goto(`${bench.collector.url}/console/users`);
    await ana.locator('tr', { hasText: 'marcos@cas.example' }).getByRole('button', { name: 'Deshabilitar' }).click();
    await ana.waitForURL(/\/console\/users/);
    await marcos.goto(`${bench.collector.url}/console/queue`);
    expect(marcos.url()).toContain('/console/login');
  }, 120_000);
});
