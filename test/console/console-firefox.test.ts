// The CAS console in Firefox: Debian's Firefox ESR over WebDriver BiDi (test/helpers/firefox.ts), against a real
// collector on loopback, on a laptop's screen and by keyboard: the engineer tabs to the login form and types, a
// ransomware ticket appears in her queue without a reload, she tabs to its link and presses Enter, tabs to "Dar
// primera respuesta" and presses it (a pointer press on the focused button: the driver's Enter never activates a
// button in this Firefox, whatever the page),
// the history names her; a computer name carrying <script> is text; the page logs no error (a Content-Security-Policy
// refusal or a script error would show there). Screenshots go to test-artifacts/console/ (queue-firefox.png).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.js';
import { Firefox, Key } from '../helpers/firefox.js';
import { PASSWORD, postSyslog, ransomwareLine, startBench, type ConsoleBench } from './harness.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
const HOSTILE = '<script>window.__xss=1</script>srv-firefox';
let bench: ConsoleBench;
let ff: Firefox;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  bench = await startBench();
  ff = await Firefox.launch();
}, 120_000);
afterAll(async () => {
  await ff?.close();
  await bench?.close();
});

describe('the console in Firefox, by keyboard', () => {
  it('login, a live queue, acknowledging a ticket: all by keyboard, with no error in the page', async () => {
    expect(await ff.version()).toMatch(/Firefox\/\d+/);
    await ff.goto(`${bench.collector.url}/console`);
    await ff.waitFor(`location.pathname === '/console/login'`);
    await ff.tabTo(`el.name === 'login'`);
    await ff.keys('lucia', Key.Tab, PASSWORD, Key.Enter);
    await ff.waitFor(`location.pathname === '/console/queue'`);
    await ff.evaluate('window.__sameLoad = 1');

    await postSyslog(bench, ransomwareLine(HOSTILE));
    await ff.waitFor(`document.querySelector('#queue-rows tr[data-ticket]')`, 60_000);
    expect(await ff.evaluate('window.__sameLoad')).toBe(1);
    expect(await ff.evaluate<string>(`document.querySelector('#queue-rows tr[data-ticket] td:nth-child(2)').textContent`)).toMatch(/vence en \d+ (min|h)/);
    writeFileSync(join(ARTIFACTS, 'queue-firefox.png'), await ff.screenshot());
    const number = await ff.evaluate<string>(`document.querySelector('#queue-rows tr[data-ticket]').getAttribute('data-ticket')`);

    await ff.tabTo(`el.tagName === 'A' && el.closest('#queue-rows tr[data-ticket]')`, 120);
    await ff.keys(Key.Enter);
    await ff.waitFor(`location.pathname.startsWith('/console/tickets/')`);
    expect(await ff.evaluate<string>(`document.querySelector('.computer').textContent`)).toContain(HOSTILE);
    expect(await ff.evaluate('typeof window.__xss')).toBe('undefined');
    await ff.tabTo(`el.tagName === 'BUTTON' && el.textContent.trim() === 'Dar primera respuesta'`, 150);
    await ff.clickFocused(); // the button Tab reached (test/helpers/firefox.ts says why not Enter)
    await ff.waitFor(`location.search.includes('done=ack')`);
    expect(await ff.evaluate<string>(`document.querySelector('.timeline li[data-action="acknowledged"] .actor').textContent`)).toBe('Lucía Pérez (lucia)');
    writeFileSync(join(ARTIFACTS, 'ticket-firefox.png'), await ff.screenshot());
    expect(bench.collector.tickets.show(number).history.filter((h) => h.action === 'acknowledged').map((h) => h.actor)).toEqual(['lucia']);
    expect(ff.log.filter((e) => e.level === 'error')).toEqual([]);
  }, 180_000);
});
