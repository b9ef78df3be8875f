// Benchmark of the monthly report (issue 6): aggregation + rendering of one customer-month of 200,000 events, and
// `report run` for 200 customers. A plain script (never part of npm test): prints seconds, peak RSS and the machine.
//   node --import tsx bench/report.bench.ts [events=200000] [customers=200]
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase } from '../collector/store/db.js';
import { storeMigrations } from '../collector/store/migrations.js';
import type { Customer } from '../collector/registry/types.js';
import type { NotificationQueue } from '../collector/notify/types.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../reports/aggregate.js';
import { EXAMPLE_AGENTS, EXAMPLE_CUSTOMER, fixedRegistry } from '../reports/example.js';
import { renderMonthlyReport } from '../reports/render/document.js';
import { runMonthlyReports } from '../reports/run.js';
import { insertEvents, syntheticMonth } from '../reports/synthetic.js';

const events = Number(process.argv[2] ?? 200_000);
const customers = Number(process.argv[3] ?? 200);
const zone = 'America/Argentina/Buenos_Aires';
const now = new Date('2026-11-02T12:00:00.000Z');
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, ` +
  `node ${process.version}`);

const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-report-'));
try {
  // 1. One customer-month of `events` events.
  const db = openDatabase(join(dir, 'one.db'));
  migrate(db, storeMigrations);
  let t0 = process.hrtime.bigint();
  insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-10', zone, events, seed: 1, computers: 2000 }));
  insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-09', zone, events: Math.round(events * 0.8), seed: 2,
    computers: 2000 }));
  console.log(`seeded ${events} + ${Math.round(events * 0.8)} events in ${seconds(t0).toFixed(2)} s (not measured below)`);
  const rssBefore = rssMb();
  t0 = process.hrtime.bigint();
  const data = aggregateMonthlyReport({ source: createSqliteReportSource(db),
    registry: fixedRegistry([EXAMPLE_CUSTOMER], EXAMPLE_AGENTS), now }, 'acme', '2026-10');
  const tAgg = seconds(t0);
  t0 = process.hrtime.bigint();
  const pdf = await renderMonthlyReport(data);
  const tRender = seconds(t0);
  console.log(`one customer-month, ${data.current.notifications} events: aggregation ${tAgg.toFixed(2)} s, ` +
    `rendering ${tRender.toFixed(2)} s, total ${(tAgg + tRender).toFixed(2)} s (target < 3 s); PDF ${Math.round(pdf.length / 1024)} KB; ` +
    `peak RSS ${rssMb()} MB (after seeding: ${rssBefore} MB; target < 300 MB)`);
  db.close();

  // 2. `report run` for `customers` customers, 1,000 events each.
  const many = openDatabase(join(dir, 'many.db'));
  migrate(many, storeMigrations);
  const list: Customer[] = [];
  for (let i = 0; i < customers; i++) {
    const id = `c${String(i).padStart(3, '0')}`;
    list.push({ ...EXAMPLE_CUSTOMER, id, name: `Cliente ${i}`, contacts: EXAMPLE_CUSTOMER.contacts.map((c) => ({ ...c })) });
    insertEvents(many, syntheticMonth({ customerId: id, month: '2026-10', zone, events: 1000, seed: i, computers: 50 }));
  }
  let queued = 0;
  const outbox: NotificationQueue = { enqueue: () => String(++queued) };
  t0 = process.hrtime.bigint();
  const summary = await runMonthlyReports({ month: '2026-10' }, { source: createSqliteReportSource(many),
    registry: fixedRegistry(list, []), outbox, dataDir: join(dir, 'data'), clock: () => now });
  console.log(`report run, ${summary.customers} customers × 1,000 events: ${seconds(t0).toFixed(2)} s, ` +
    `${summary.generated} generated, ${summary.failed} failed, ${queued} mails; peak RSS ${rssMb()} MB`);
  many.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
