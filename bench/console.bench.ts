// Benchmark: the CAS console's queue and ticket pages under engineers polling at once, on a filled store.
// A collector (startCollector, real HTTP, the console registered as in production) over a database seeded directly
// with BENCH_CONSOLE_TICKETS tickets (BENCH_CONSOLE_OPEN of them open, spread over 20 customers) and
// BENCH_CONSOLE_EVENTS events linked to them; BENCH_CONSOLE_ENGINEERS engineers, each logged in with their own
// session, loop for BENCH_CONSOLE_SECONDS: the queue's JSON (what the page polls every 5 s), now and then the queue
// page, and a random open ticket's page. Latency is from the request sent to the last byte, on loopback.
//   node --import tsx bench/console.bench.ts
//   env: BENCH_CONSOLE_TICKETS=100000 BENCH_CONSOLE_OPEN=2000 BENCH_CONSOLE_EVENTS=1000000 BENCH_CONSOLE_ENGINEERS=20
//        BENCH_CONSOLE_SECONDS=30 BENCH_CONSOLE_MODE=paced|closed (paced: one request per engineer every 2.5 s, half
//        of them the queue's poll; closed: each engineer asks again as soon as answered, the saturation figure)
// The figure is 10 million events; the default here is 1 million (about 1.5 GB of database): the pages read
// a ticket's events by its index (ticket_events), so their cost depends on the events of one ticket, not the total.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printMachine } from './machine.js';
import { collectorConfigFor } from '../test/e2e/harness.js';
import { startCollector } from '../bin/runtime/collector.js';
import { openCollectorDatabase } from '../bin/runtime/migrations.js';
import { Registry } from '../collector/registry/index.js';
import { AccountStore } from '../collector/accounts/index.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { Client } from '../test/console/harness.js';

const TICKETS = Number(process.env.BENCH_CONSOLE_TICKETS ?? 100_000);
const OPEN = Number(process.env.BENCH_CONSOLE_OPEN ?? 2_000);
const EVENTS = Number(process.env.BENCH_CONSOLE_EVENTS ?? 1_000_000);
const ENGINEERS = Number(process.env.BENCH_CONSOLE_ENGINEERS ?? 20);
const SECONDS = Number(process.env.BENCH_CONSOLE_SECONDS ?? 30);
const PACED = (process.env.BENCH_CONSOLE_MODE ?? 'paced') === 'paced';
const CUSTOMERS = 20;
const PASSWORD = 'bench-password-1';

function seed(dataDir: string): string[] {
  const db = openCollectorDatabase({ dataDir, adminTokenFile: undefined });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const insertTicket = db.prepare(`INSERT INTO tickets (id, number, customer_id, agent_id, case_kind, rule, dedup_key, window_minutes, vendor, product,
    event_type, title, description, titles, language, state, level, assignee, opened_at, response_due_at, updated_at, count, first_seen_at, last_seen_at, computers)
    VALUES (?, ?, ?, ?, 'threat-incident', 'ransomware', ?, 1440, 'eset', 'ESET PROTECT', 'ransomware', ?, ?, ?, 'es', ?, 'L1', ?, ?, ?, ?, 1, ?, ?, 1)`);
  const insertEnvelope = db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload) VALUES (?, ?, ?, 'syslog', ?, ?, '10.0.0.1', '{}')`);
  const insertEvent = db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, event_type, severity, occurred_at, received_at,
    computer_name, threat_name, summary, format, detail) VALUES (?, ?, 0, ?, ?, 'eset', 'ransomware', 'critical', ?, ?, ?, 'Win32/Filecoder.Akira.A', ?, 'json', ?)`);
  const link = db.prepare('INSERT INTO ticket_events (ticket_id, event_id, linked_at) VALUES (?, ?, ?)');
  const open: string[] = [];
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < TICKETS; i++) {
      const customer = `cliente-${i % CUSTOMERS}`;
      const number = `XR-2026-${String(i + 1).padStart(6, '0')}`;
      const isOpen = i >= TICKETS - OPEN;
      const opened = now - (TICKETS - i) * 60_000;
      const title = `Incidente de amenaza: Ransomware «Win32/Filecoder.Akira.A» en «pc-${i % 500}» — Cliente ${i % CUSTOMERS} SA`;
      insertTicket.run(`t-${i}`, number, customer, `${customer}-a1`, `k-${i}`, title, `Qué pasó\n${title}`, JSON.stringify({ es: title, en: title }),
        isOpen ? (i % 3 === 0 ? 'acknowledged' : 'open') : 'closed', i % 3 === 0 ? 'eng0' : null, iso(opened), iso(opened + (i % 7) * 3_600_000 + 30 * 60_000), iso(opened), iso(opened), iso(opened));
      if (isOpen) open.push(number);
    }
    for (let e = 0; e < EVENTS; e++) {
      const i = e % TICKETS;
      const customer = `cliente-${i % CUSTOMERS}`;
      const at = iso(now - (EVENTS - e) * 1000);
      insertEnvelope.run(`env-${e}`, customer, `${customer}-a1`, at, at);
      const raw = `<11>Nov 20 12:00:00 srv-eset ERAServer[5032]: {"event_type":"Threat_Event","hostname":"pc-${i % 500}","threat_name":"Win32/Filecoder.Akira.A"}`;
      insertEvent.run(`ev-${e}`, `env-${e}`, customer, `${customer}-a1`, at, at, `pc-${i % 500}`, `Ransomware on pc-${i % 500}`, JSON.stringify({ raw }));
      link.run(`t-${i}`, `ev-${e}`, at);
    }
  }).immediate();
  db.close();
  console.log(`seeded ${TICKETS} tickets (${OPEN} open) and ${EVENTS} events in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return open;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };

async function main(): Promise<void> {
  printMachine();
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-console-'));
  try {
    const registry = await Registry.open(join(dir, 'registry.json'), resolvePlans());
    for (let c = 0; c < CUSTOMERS; c++) {
      await registry.addCustomer({ id: `cliente-${c}`, name: `Cliente ${c} SA`, plan: c % 2 ? 'basic' : 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
      await registry.enrollAgent(`cliente-${c}`);
    }
    const open = seed(dir);
    const collector = await startCollector(collectorConfigFor(dir, 0), { logger: silentLogger(), clock: systemClock, schedules: false });
    const accounts = new AccountStore(collector.db, systemClock);
    const clients: Client[] = [];
    for (let i = 0; i < ENGINEERS; i++) {
      await accounts.addUser({ login: `eng${i}`, name: `Ingeniero ${i}`, email: `eng${i}@cas.example`, role: 'l1', password: PASSWORD }, 'bench');
      const c = new Client(collector.url);
      if (await c.login(`eng${i}`, PASSWORD) !== 303) throw new Error(`eng${i} could not log in`);
      clients.push(c);
    }
    const lat: Record<'queue-json' | 'queue-page' | 'ticket-page', number[]> = { 'queue-json': [], 'queue-page': [], 'ticket-page': [] };
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(clients.map(async (c, i) => {
      // Paced as the console is used: each engineer's page polls every 5 s, and they open a ticket or the queue
      // between polls (one request every 2.5 s, started at a random phase). Closed: each asks again at once.
      if (PACED) await sleep(Math.random() * 2500);
      for (let n = 0; Date.now() < end; n++) {
        const started = Date.now();
        const kind = n % 2 === 0 ? 'queue-json' : n % 6 === 1 ? 'queue-page' : 'ticket-page';
        const path = kind === 'ticket-page' ? `/console/tickets/${open[(n * 7919 + i * 104729) % open.length]!}` : kind === 'queue-page' ? '/console/queue' : '/console/api/queue';
        const t0 = performance.now();
        const res = await c.req('GET', path);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        lat[kind].push(performance.now() - t0);
        if (PACED) await sleep(Math.max(0, 2500 - (Date.now() - started)));
      }
    }));
    for (const [kind, xs] of Object.entries(lat)) {
      const line = `console ${kind}: ${xs.length} requests, p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms (target p95 < 100 ms; ${PACED ? 'paced' : 'closed loop'}, ${ENGINEERS} engineers, ${TICKETS} tickets, ${OPEN} open, ${EVENTS} events)`;
      console.log(`RESULT ${line}`);
    }
    await collector.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
