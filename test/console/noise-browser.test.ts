// The maintenance and silences page in a real browser (Debian's Chromium, playwright-core): a lead follows the
// navigation link, creates a one-off window with the form's datetime fields (read in the customer's zone), sees it
// listed as open, ends it with its button, and creates and expires a silence. Screenshot in test-artifacts/console/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../e2e/harness.js';
import { noiseFor } from '../../collector/noise/context.js';
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

describe('the maintenance page in a browser', () => {
  it('creates and ends a window and a silence through the forms', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'es-AR' });
    const page = await context.newPage();
    const errors: string[] = [];
    // A CSP violation or a missing asset of the page would show here (the browser's own favicon request aside).
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
    await signIn(page, bench.collector.url, 'ana');
    await page.getByRole('link', { name: 'Mantenimiento y silencios' }).click();
    await page.waitForURL(/\/console\/maintenance$/);

    const zone = bench.collector.registry.getCustomer('acme')!.timezone;
    const from = DateTime.now().setZone(zone).minus({ hours: 1 }).startOf('minute');
    const form = page.locator('form[action="/console/maintenance"]');
    await form.getByLabel('Cliente').selectOption('acme');
    await form.getByLabel(/Equipo/).fill('srv-eset');
    await form.getByLabel('Desde').fill(from.toFormat("yyyy-MM-dd'T'HH:mm"));
    await form.getByLabel('Hasta').fill(from.plus({ hours: 4 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await form.getByLabel('Motivo').fill('Actualización de ESET PROTECT');
    await form.getByRole('button', { name: 'Crear' }).click();
    await page.waitForURL(/done=M-1/);
    const row = page.locator('#windows tr', { hasText: 'M-1' });
    await expect(row.textContent()).resolves.toContain('abierta ahora');
    expect(noiseFor(bench.collector.db).store.window('M-1')!.schedule).toMatchObject({ from: from.toUTC().toISO({ suppressMilliseconds: true }) });

    const silence = page.locator('form[action="/console/silences"]');
    await silence.getByLabel('Amenaza').fill('Win32/Test.A');
    await silence.getByLabel('Termina').fill(DateTime.now().setZone('America/Argentina/Buenos_Aires').plus({ hours: 2 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await silence.getByLabel('Comentario').fill('Falso positivo');
    await silence.getByRole('button', { name: 'Crear' }).click();
    await page.waitForURL(/done=S-1/);
    await page.screenshot({ path: join(ARTIFACTS, 'maintenance.png'), fullPage: true });

    await row.getByRole('button', { name: 'Terminar ventana' }).click();
    await page.waitForURL(/done=M-1/);
    await expect(page.locator('#windows tr', { hasText: 'M-1' }).textContent()).resolves.toMatch(/terminada/);
    await page.locator('#silences tr', { hasText: 'S-1' }).getByRole('button', { name: 'Vencer silencio' }).click();
    await page.waitForURL(/done=S-1/);
    await expect(page.locator('#silences tr', { hasText: 'S-1' }).textContent()).resolves.toMatch(/vencido/);
    expect(noiseFor(bench.collector.db).store.silence('S-1')!.author).toBe('ana');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
