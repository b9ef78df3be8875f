// The Customers pages in Debian's Chromium (playwright-core, never a downloaded browser) against a real collector: a
// lead edits a designated contact's phone by keyboard alone (Tab to the contact, Enter to open its form, type, Enter
// to send); a refused phone comes back as an alert in Spanish with her form open and as she typed it; the corrected
// one lands in registry.json. Saves customers.png under test-artifacts/console/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { ROOT } from '../e2e/harness.js';
import { PASSWORD, startBench, type ConsoleBench } from './harness.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
let bench: ConsoleBench;
let browser: Browser;

/** Presses Tab until the focused element satisfies `test` (run in the page, as text: no DOM types here). */
async function tabTo(page: Page, test: string, most = 120): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`(() => { const el = document.activeElement; return Boolean(el && (${test})); })()`)) return;
  }
  throw new Error(`no focusable element matched ${test} after ${most} Tabs`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  bench = await startBench();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

describe('the customers page in Chromium', () => {
  it("a lead changes a contact's phone by keyboard; a refusal is shown in Spanish with her form as she typed it", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-AR' });
    const page = await context.newPage();
    await page.goto(`${bench.collector.url}/console/login`);
    await page.getByLabel(/Usuario/).fill('ana');
    await page.getByLabel(/Contraseña/).fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/queue/);

    await page.goto(`${bench.collector.url}/console/customers`);
    await tabTo(page, `el.tagName === 'A' && el.textContent === 'Acme SA'`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/customers\/acme$/);
    await tabTo(page, `el.tagName === 'SUMMARY' && el.textContent.includes('Carla Contacto')`);
    await page.keyboard.press('Enter');
    await tabTo(page, `el.name === 'phone' && el.closest('details')?.open === true`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('llamar a <Carla>');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('domcontentloaded');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('No se guardó: "llamar a <Carla>" no es un número de teléfono.');
    expect(await page.locator('details[open] input[name=phone]').inputValue()).toBe('llamar a <Carla>');

    await tabTo(page, `el.name === 'phone' && el.closest('details')?.open === true`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('+54 11 4999-0000 int. 12');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/customers\/acme\?done=contactUpdated$/);
    expect(await page.getByRole('status').textContent()).toBe('Contacto guardado.');
    expect(await page.locator('td', { hasText: '+54 11 4999-0000 int. 12' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'customers.png'), fullPage: true });

    const carla = (await Registry.open(join(bench.dir.path, 'collector', 'registry.json'), resolvePlans())).getCustomer('acme')!.contacts[0]!;
    expect(carla).toMatchObject({ name: 'Carla Contacto', phone: '+54 11 4999-0000 int. 12', products: ['ESET PROTECT Entry'] });
    expect(bench.accounts.auditList(20).find((a) => a.action === 'contact.update')).toMatchObject({ actor: 'ana', target: 'acme' });
    await context.close();
  }, 180_000);
});
