// Benchmark of the monthly report (issue 6): aggregation + rendering of one customer-month of 200,000 events, and
// `report run` for 200 customers. A plain script (never part of npm test): prints seconds, peak RSS and the machine.
//   node --import tsx bench/report.bench.ts [events=200000] [customers=200]
// Seeding runs in this process; each measured phase runs in a child process of its own, so that its peak RSS is the
// report's and not the seeding's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase } from '../collector/store/db.js';
import { storeMigrations } from '../collector/store/migrations.js';
import type { Customer } from '../collector/registry/types.js';
import type { NotificationQueue } from '../collector/notify/types.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../reports/aggregate.js';
import { EXAMPLE_AGENTS, EXAMPLE_CUSTOMER, fixedRegistry } from '../reports/example.js';
import { renderMonthlyReport } from '../reports/render/document.js';
import { runMonthlyReports } from '../reports/run.js';
import { insertEvents, syntheticMonth } from '../reports/synthetic.js';
import { machineLine } from './machine.js';

const ZONE = 'America/Argentina/Buenos_Aires';
const NOW = new Date('2026-11-02T12:00:00.000Z');
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const customersOf = (n: number): Customer[] => Array.from({ length: n }, (_, i) => ({ ...EXAMPLE_CUSTOMER,
  id: `c${String(i).padStart(3, '0')}`, name: `Cliente ${i}` }));

function seedStore(path: string, fill: (db: ReturnType<typeof openDatabase>) => void): void {
  const db = openDatabase(path);
  db.pragma('synchronous = OFF'); // seeding only: durability is not what is measured
  migrate(db, storeMigrations);
  fill(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function measureOne(dbPath: string): Promise<void> {
  const db = openDatabase(dbPath);
  const t0 = process.hrtime.bigint();
  const data = aggregateMonthlyReport({ source: createSqliteReportSource(db),
    registry: fixedRegistry([EXAMPLE_CUSTOMER], EXAMPLE_AGENTS), now: NOW }, 'acme', '2026-10');
  const tAgg = seconds(t0);
  const t1 = process.hrtime.bigint();
  const pdf = await renderMonthlyReport(data);
  const tRender = seconds(t1);
  // The first document of a process pays for JIT warm-up and font parsing; a running collector pays it once.
  const t2 = process.hrtime.bigint();
  await renderMonthlyReport(data);
  const tWarm = seconds(t2);
  console.log(`one customer-month, ${data.current.notifications} events (+${data.previous.notifications} the month ` +
    `before): aggregation ${tAgg.toFixed(2)} s, rendering ${tRender.toFixed(2)} s cold / ${tWarm.toFixed(2)} s warm, ` +
    `total ${(tAgg + tRender).toFixed(2)} s cold (target < 3 s); PDF ${Math.round(pdf.length / 1024)} KB; ` +
    `peak RSS ${peakRssMb()} MB (target < 300 MB)`);
  db.close();
}

async function measureRun(dbPath: string, customers: number, dataDir: string): Promise<void> {
  const db = openDatabase(dbPath);
  let queued = 0;
  const outbox: NotificationQueue = { enqueue: () => String(++queued) };
  const t0 = process.hrtime.bigint();
  const summary = await runMonthlyReports({ month: '2026-10' }, { source: createSqliteReportSource(db),
    registry: fixedRegistry(customersOf(customers), []), outbox, dataDir, clock: () => NOW });
  console.log(`report run, ${summary.customers} customers × 1,000 events: ${seconds(t0).toFixed(2)} s total, ` +
    `${summary.generated} generated, ${summary.failed} failed, ${queued} mails queued; peak RSS ${peakRssMb()} MB`);
  db.close();
}

async function main(): Promise<void> {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === '--measure-one' && a) return measureOne(a);
  if (mode === '--measure-run' && a && b && c) return measureRun(a, Number(b), c);
  const events = Number(mode ?? 200_000);
  const customers = Number(a ?? 200);
  console.log(machineLine());
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-report-'));
  const self = fileURLToPath(import.meta.url);
  const child = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', self, ...args],
    { stdio: 'inherit' });
  try {
    let t0 = process.hrtime.bigint();
    seedStore(join(dir, 'one.db'), (db) => {
      insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-10', zone: ZONE, events, seed: 1, computers: 2000 }));
      insertEvents(db, syntheticMonth({ customerId: 'acme', month: '2026-09', zone: ZONE, events: Math.round(events * 0.8),
        seed: 2, computers: 2000 }));
    });
    console.log(`seeded ${events} + ${Math.round(events * 0.8)} events in ${seconds(t0).toFixed(1)} s (not measured)`);
    child('--measure-one', join(dir, 'one.db'));
    t0 = process.hrtime.bigint();
    seedStore(join(dir, 'many.db'), (db) => {
      for (const [i, cust] of customersOf(customers).entries()) {
        insertEvents(db, syntheticMonth({ customerId: cust.id, month: '2026-10', zone: ZONE, events: 1000, seed: i,
          computers: 50 }));
      }
    });
    console.log(`seeded ${customers} customers × 1,000 events in ${seconds(t0).toFixed(1)} s (not measured)`);
    child('--measure-run', join(dir, 'many.db'), String(customers), join(dir, 'data'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
