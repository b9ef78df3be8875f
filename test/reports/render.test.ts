// The PDF read back: pdftotext finds the customer, the localized month and the injected totals, and nothing of
// another customer; an empty month gives a short honest report; English by setting; same input → same bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../collector/store/db.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../../reports/aggregate.js';
import { fixedRegistry } from '../../reports/example.js';
import type { MonthlyReportData } from '../../reports/model.js';
import { renderMonthlyReport } from '../../reports/render/document.js';
import { AGENTS, GOLDEN, OTHER, openStore, pdfInfo, pdfText, saveArtifacts, seedGolden, tempDir } from './helpers.js';

const NOW = new Date('2026-11-02T12:00:00.000Z');
let dir: string;
let db: Db;
let golden: MonthlyReportData;
let goldenPdf: Buffer;
let text: string;
// pdftotext -layout may split a line across columns; compare on single spaces.
const flat = (t: string) => t.replace(/\s+/g, ' ');

const aggregate = (customerId: string, month: string, language?: 'es' | 'en') => aggregateMonthlyReport({
  source: createSqliteReportSource(db), registry: fixedRegistry([GOLDEN, OTHER], AGENTS), now: NOW,
}, customerId, month, language ? { language } : {});

beforeAll(async () => {
  dir = tempDir();
  db = openStore(dir);
  seedGolden(db);
  golden = aggregate('nandu', '2026-10');
  goldenPdf = await renderMonthlyReport(golden);
  text = flat(pdfText(goldenPdf));
  saveArtifacts('golden-es', goldenPdf, 3);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('monthly report PDF (Spanish, golden month)', () => {
  it('names the customer with its accents, the localized month and the plan', () => {
    expect(text).toContain('Distribuidora Ñandú S.R.L.');
    expect(text).toContain('Octubre de 2026');
    expect(text).toContain('octubre de 2026');
    expect(text).toContain('Managed Services');
    expect(text).toContain('Xpears Services');
  });

  it('states the totals equal to the events injected', () => {
    expect(text).toContain('se registraron 17 eventos (10 notificaciones recibidas de la consola) en 4 equipos');
    expect(text).toContain('Se detectaron 5 amenazas: 3 fueron resueltas por el producto');
    expect(text).toContain('y 2 quedaron sin resolver');
    expect(text).toContain('Son 750% más eventos que en septiembre de 2026 (2)');
  });

  it('lists threats, computers, tickets, advisories and recommendations', () => {
    for (const s of ['Win32/Alpha', 'Win32/Beta', 'PC-A', 'PC-C', 'PC-D', 'XR-2026-000102', 'Consola lenta',
      'Aviso Alfa', 'Aviso Beta', 'ESET Mail Security', 'Superado', 'Cumplido']) {
      expect(text).toContain(s);
    }
    expect(text).toContain('Primera respuesta: mediana 45 min, promedio 1 h 42 min');
    expect(text).toContain('El mantenimiento de ESET Mail Security venció el 20/10/2026');
    expect(text).toContain('Un equipo reportó firmas desactualizadas («PC-C»)');
    expect(text).toContain('2 se respondieron dentro del tiempo objetivo y 1 lo superó');
    expect(text).toContain('promedio diario del mes anterior: 0,1');
    expect(text).toContain('Disponibilidad del agente (minutos con señal de vida): 75,00');
  });

  it('holds nothing of the other customer', () => {
    for (const s of ['Zeta', 'ZETA-PC-99', 'ZETA-LAPTOP-7', 'Trojan.Zetaworm', 'Zeta secret case', 'Zeta-only',
      'XR-2026-000105', 'Aviso de noviembre']) {
      expect(text).not.toContain(s);
    }
  });

  it('numbers its pages "Página N de M" and lists the sections with their pages on the cover', () => {
    const pages = Number(pdfInfo(goldenPdf).Pages);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(text).toContain(`Página 1 de ${pages}`);
    expect(text).toContain(`Página ${pages} de ${pages}`);
    const cover = flat(pdfText(goldenPdf).split('\f')[0] ?? '');
    expect(cover).toContain('Contenido');
    expect(cover).toMatch(/1\. Resumen ejecutivo[ .…]*2/);
    expect(cover).toMatch(/8\. Recomendaciones[ .…]*\d+/);
  });

  it('sets the document metadata and embeds its fonts', () => {
    const info = pdfInfo(goldenPdf);
    expect(info.Title).toBe('Informe técnico mensual — Distribuidora Ñandú S.R.L. — Octubre de 2026');
    expect(info.Author).toBe('Xpears Services');
    expect(info.Subject).toContain('Eventos de seguridad');
    expect(info.CreationDate).toContain('2026');
    const path = join(dir, 'golden.pdf');
    writeFileSync(path, goldenPdf);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
    expect(fonts).toMatch(/LiberationSans\s.*yes\s+yes/);
  });

  it('renders the same bytes twice for the same data', async () => {
    expect((await renderMonthlyReport(golden)).equals(goldenPdf)).toBe(true);
  });

  it('left PNGs of the first pages for a person to look at', () => {
    const [p1] = saveArtifacts('golden-es-check', goldenPdf, 1);
    expect(p1 && existsSync(p1) && statSync(p1).size > 10_000).toBe(true);
  });
});

describe('other settings and months', () => {
  it('English by setting: month names, words and page numbers', async () => {
    const pdf = await renderMonthlyReport(aggregate('nandu', '2026-10', 'en'));
    saveArtifacts('golden-en', pdf, 2);
    const en = flat(pdfText(pdf));
    expect(en).toContain('Monthly technical report');
    expect(en).toContain('October 2026');
    expect(en).toContain('17 events were recorded (10 notifications received from the console) on 4 computers');
    expect(en).toMatch(/Page 1 of \d+/);
    expect(en).not.toContain('Página');
    expect(en).not.toContain('octubre');
  });

  it('an empty month gives a short honest report', async () => {
    const data = aggregate('nandu', '2026-08');
    const pdf = await renderMonthlyReport(data);
    saveArtifacts('empty-month', pdf, 2);
    const t = flat(pdfText(pdf));
    expect(t).toContain('Sin eventos registrados en agosto de 2026');
    expect(t).toContain('Distribuidora Ñandú S.R.L.');
    expect(t).not.toContain('Eventos por día');
    expect(Number(pdfInfo(pdf).Pages)).toBeLessThanOrEqual(3);
  });
});
