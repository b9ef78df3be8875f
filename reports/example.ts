// Makes docs/example-report.pdf and PNGs of its first two pages from synthetic data:
//   node --import tsx reports/example.ts [outDir]
// A throw-away SQLite store is seeded with a month of events, tickets, advisories and heartbeats, then the real
// aggregation and renderer run on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../collector/store/db.js';
import { openCollectorDb } from '../collector/migrations.js';
import type { AgentRecord, Customer, RegistryReader } from '../collector/registry/types.js';
import { aggregateMonthlyReport, createSqliteReportSource } from './aggregate.js';
import { renderMonthlyReport } from './render/document.js';
import { insertEvents, syntheticMonth } from './synthetic.js';
import { seedOperations } from './synthetic-ops.js';

/** The example customer: a Managed Services account with two titles, one about to expire. */
export const EXAMPLE_CUSTOMER: Customer = {
  id: 'acme', name: 'Metalúrgica Acme S.A.', plan: 'managed', timezone: 'America/Argentina/Buenos_Aires',
  language: 'es', advisoryDelivery: 'digest', createdAt: '2025-01-10T12:00:00.000Z',
  products: [
    { vendor: 'eset', product: 'ESET PROTECT Complete', maintenanceExpires: '2026-12-15' },
    { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-06-30' },
  ],
  contacts: [{ id: 'c1', name: 'Lucía Fernández', email: 'lucia@acme.example', language: 'es',
    products: ['ESET PROTECT Complete'] }],
};

/** The example's agent. */
export const EXAMPLE_AGENTS: AgentRecord[] = [{ id: 'agent-1', customerId: 'acme', name: 'srv-eset-01',
  tokenHash: 'x', enrolledAt: '2025-01-10T12:00:00.000Z' }];

/** An in-memory registry over fixed customers and agents. */
export function fixedRegistry(customers: Customer[], agents: AgentRecord[] = []): RegistryReader {
  return {
    getCustomer: (id) => customers.find((c) => c.id === id),
    listCustomers: () => [...customers],
    getAgent: (id) => agents.find((a) => a.id === id),
    listAgents: (customerId) => agents.filter((a) => customerId === undefined || a.customerId === customerId),
  };
}

/** Renders one page of a PDF to `<outBase>.png` with pdftoppm (poppler-utils). */
export function pageToPng(pdf: string, page: number, outBase: string, dpi = 100): void {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, outBase]);
}

/** Seeds the example store: September (for the trend) and October 2026. */
export function seedExample(db: Db): void {
  const zone = EXAMPLE_CUSTOMER.timezone;
  insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-09', zone, events: 520, seed: 9 }));
  insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-10', zone, events: 640, seed: 10 }));
  seedOperations(db, { customerId: 'acme', month: '2026-09', zone, seed: 9 });
  seedOperations(db, { customerId: 'acme', month: '2026-10', zone, seed: 10 });
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? 'docs';
  mkdirSync(outDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'xpears-example-'));
  try {
    const db = openCollectorDb(join(dir, 'collector.db'));
    seedExample(db);
    const data = aggregateMonthlyReport({ source: createSqliteReportSource(db),
      registry: fixedRegistry([EXAMPLE_CUSTOMER], EXAMPLE_AGENTS), now: new Date('2026-11-02T12:00:00.000Z') },
    'acme', '2026-10');
    db.close();
    const pdf = join(outDir, 'example-report.pdf');
    writeFileSync(pdf, await renderMonthlyReport(data));
    for (const page of [1, 2]) pageToPng(pdf, page, join(outDir, `example-report-p${page}`));
    console.log(`wrote ${pdf} and its first two pages as PNG`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
