// The triage list in Debian's Chromium (playwright-core, as the console's other browser tests): an engineer opens a
// case from a stranger's mail through the entry's form and lands on the ticket with its attachment, and discards
// another entry with a reason; the list then says who handled each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../e2e/harness.js';
import { startBench, signIn, type ConsoleBench } from './harness.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

let bench: ConsoleBench;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  bench = await startBench();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => { await browser?.close(); await bench?.close(); });

// A raw mail from an unknown sender, with one text attachment.
const stranger = (from: string, subject: string, id: string): Buffer => Buffer.from([
  `From: ${from}`, 'To: soporte@cas.xpears.local', `Subject: ${subject}`, `Message-ID: <${id}>`, 'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'La consola no abre.', '--b1',
  'Content-Type: text/plain; name="consola.log"', 'Content-Disposition: attachment; filename="consola.log"', '', 'ERROR 500', '--b1--', ''].join('\r\n'));

describe('the triage list in Chromium', () => {
  it('opens a case from an entry\'s form and discards another with a reason', async () => {
    const intake = bench.collector.cases.intake;
    await intake.receive(stranger('jefe@personal.example', 'Consola caída', 'tb1@personal.example'), { kind: 'smtp' });
    await intake.receive(stranger('ventas@spam.example', 'Compre ya', 'tb2@spam.example'), { kind: 'smtp' });
    const ids = bench.collector.db.prepare("SELECT id FROM mail_in WHERE message_id IN ('<tb1@personal.example>', '<tb2@spam.example>') ORDER BY id").pluck().all() as number[];
    const page = await (await browser.newContext({ locale: 'es-AR' })).newPage();
    await signIn(page, bench.collector.url, 'lucia');
    await page.click('a[href="/console/mail"]');
    const first = page.locator(`#mail-${ids[0]}`);
    await first.locator('summary:has-text("Abrir un caso")').click();
    await first.locator('select[name=requester]').selectOption('acme|carla@acme.example');
    await first.locator('select[name=priority]').selectOption('1');
    await first.locator('button:has-text("Abrir el caso")').click();
    await page.waitForURL(/\/console\/tickets\/XR-/);
    expect(await page.textContent('h1')).toContain('Consola caída');
    expect(await page.textContent('#attachments')).toContain('consola.log');
    const number = /XR-\d{4}-\d{6}/.exec(page.url())![0];
    expect(bench.collector.cases.service.get(number)).toMatchObject({ requesterEmail: 'carla@acme.example', caseKind: 'severity-1' });

    await page.goto(`${bench.collector.url}/console/mail`);
    const second = page.locator(`#mail-${ids[1]}`);
    await second.locator('summary:has-text("Descartar")').click();
    await second.locator('input[name=reason]').fill('publicidad');
    await second.locator('button:has-text("Descartar")').click();
    await page.waitForURL(/\/console\/mail$/);
    expect(await page.locator(`#mail-${ids[0]}`).textContent()).toContain(`Caso ${number} (lucia)`);
    expect(await page.locator(`#mail-${ids[1]}`).textContent()).toContain('Descartado por lucia: publicidad');
    await page.screenshot({ path: join(ARTIFACTS, 'mail-triage.png'), fullPage: true });
  }, 90_000);
});
