// Benchmark (issue 20): the collector's store after a year for 300 customers, beside the same store at one million
// events. For each size, in a process of its own: 300 customers with an agent each are registered (the registry),
// the collector's services are opened on a new data directory (every migration), and the events are written through
// the product's own store (SqliteEventRepository.storeBatch, 20 envelopes a call, one event each, the ESET fixtures'
// envelopes as parsed by the product, each with its own id, time and computer), spread evenly over the span, the
// customers skewed (Zipf: the biggest has about 16 % of all events, the smallest 0.05 %). The span is the year's rate
// (18.3 million events a year) at that size, at least 31 days, so the month reported (November 2026) is whole.
// Heartbeats: one a minute from each of the 300 agents over the span. Writing 158 million raw rows and rolling them
// up would take hours, so the store is given what it holds after the daily roll-up: the last 3 days raw (the default), written with
// recordHeartbeat (the trigger keeps each agent's latest), and the days before as heartbeat_days rows in the
// roll-up's own format (a minute mask with a few outages), written here directly.
// Then, on that store: bytes on disk per event and in all (after a checkpoint; by table when SQLite has dbstat), `event
// list` without and with a customer (the CLI's calls: listEvents and the page's suppressions), the agents listing
// (GET /v1/agents' handler), the agent-silence check (checkAgentSilence, every agent fresh), a month's report
// aggregation for the biggest customer, and the ingest rate (20,000 envelopes in storeBatch calls of 100, each its
// own transaction, synchronous = FULL as the collector runs). Reads: the first (cold) and the median of 5 after it.
//   node --import tsx bench/year.bench.ts          (also run by `npm run bench`)
//   env: BENCH_YEAR_EVENTS=3000000 (the size compared; the full year: 18300000, about 20 GB of disk and hours)
//        BENCH_YEAR_BASE=1000000 (the size it is compared with; 0: none)
//        BENCH_YEAR_RAW_DAYS=3 (days of raw heartbeats, as retention.heartbeatsRawDays)
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, loadLine, printMachine } from './machine.js';
import { collectorConfigFor, tempDir, ROOT } from '../test/e2e/harness.js';
import { openCollectorServices } from '../bin/runtime/services.js';
import { Registry } from '../collector/registry/index.js';
import { parseEnvelope, rawText } from '../collector/parse/index.js';
import type { IncomingEnvelope } from '../collector/store/store.js';
import { NoiseStore } from '../collector/noise/store.js';
import { checkAgentSilence } from '../collector/escalation/agent-silence.js';
import { MASK_BYTES } from '../collector/store/heartbeat-rollup.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../reports/aggregate.js';
import { seededRandom } from '../reports/synthetic.js';
import { envelopeSchema, type Envelope, type Heartbeat } from '../protocol/envelope.js';
import type { ParsedEvent } from '../protocol/event.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { uuidv7 } from '../lib/ids.js';

const YEAR_EVENTS = 18_300_000;
const CUSTOMERS = 300;
const PER_CALL = 20;
const PER_TRANSACTION = 50_000;
const RAW_DAYS = Number(process.env.BENCH_YEAR_RAW_DAYS ?? 3); // retention.heartbeatsRawDays' default
const DAY = 86_400_000;
const END = Date.parse('2026-12-01T03:00:00.000Z'); // the end of November 2026 in Buenos Aires
const MONTH = '2026-11';

interface Figures {
  events: number; spanDays: number; seedSeconds: number; bytes: number; eventBytes: number | null; byTable: Record<string, number> | null;
  heartbeatsRaw: number; heartbeatDays: number;
  listAll: [number, number]; listBig: [number, number]; listSmall: [number, number]; agents: [number, number];
  silence: [number, number]; report: [number, number]; reportEvents: number; reportPrevious?: number; ingestUs: number;
}

const ms = (t0: number) => performance.now() - t0;
function timed(fn: () => unknown): [number, number] {
  const cold = (() => { const t = performance.now(); fn(); return ms(t); })();
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); fn(); warm.push(ms(t)); }
  return [cold, warm.sort((a, b) => a - b)[2]!];
}

/** The ESET fixtures that parse into one event: the envelopes the bench clones. */
function templates(): { envelope: Envelope; event: ParsedEvent }[] {
  const out: { envelope: Envelope; event: ParsedEvent }[] = [];
  const dir = join(ROOT, 'test/fixtures/eset');
  for (const file of readdirSync(dir).filter((f) => /^(0\d|1[0-6])-json-.*\.json$/.test(f)).sort()) {
    const envelope = envelopeSchema.parse((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { envelope: unknown }).envelope);
    const events = parseEnvelope(envelope, undefined);
    if (events.length === 1) out.push({ envelope, event: events[0]! });
  }
  return out;
}

function heartbeatBody(at: string): Heartbeat {
  return { protocol: 1, agentVersion: '1.4.2', sentAt: at, hostname: 'srv-eset-01.cliente.local',
    outbox: { depth: 0, oldestAgeSeconds: null, deadLettered: 0, refusing: false },
    receivers: [
      { name: 'snmp', healthy: true, listening: 'udp://0.0.0.0:162', received: 18234, rejected: 2, lastError: null },
      { name: 'syslog', healthy: true, listening: 'tcp://0.0.0.0:6514', received: 90211, rejected: 0, lastError: null },
      { name: 'smtp', healthy: true, listening: 'tcp://127.0.0.1:2525', received: 311, rejected: 0, lastError: null },
    ] } as unknown as Heartbeat;
}

async function one(events: number, registryFile: string): Promise<Figures> {
  const dir = tempDir('xpears-bench-year-');
  try {
    const spanDays = Math.max(31, Math.round((365 * events) / YEAR_EVENTS));
    const start = END - spanDays * DAY;
    const config = collectorConfigFor(dir.path, 0, { reports: { enabled: false } });
    const regPath = join(dir.path, 'registry.json');
    // The registry the parent made once (300 customers, an agent each), its agents enrolled when the data starts, so
    // the report's availability counts the whole month.
    const reg = JSON.parse(readFileSync(registryFile, 'utf8')) as { agents: { id: string; customerId: string; enrolledAt: string }[] };
    for (const a of reg.agents) a.enrolledAt = new Date(start).toISOString();
    writeFileSync(regPath, JSON.stringify(reg, null, 2), { mode: 0o600 });
    const agents = reg.agents.map((a) => ({ customerId: a.customerId, agentId: a.id }))
      .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
    const s = await openCollectorServices(config, { logger: silentLogger(), clock: systemClock });
    const db = s.db;
    const t0 = performance.now();
    db.pragma('synchronous = OFF'); // seeding only; the ingest measured below runs with FULL
    // Zipf over the customers: customer c weighs 1/(c+1).
    const weights = agents.map((_, c) => 1 / (c + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((acc, w) => { cumulative.push((acc + w) / total); return acc + w; }, 0);
    const rnd = seededRandom(2020);
    const pick = () => { const x = rnd(); let lo = 0; let hi = cumulative.length - 1; while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid]! < x) lo = mid + 1; else hi = mid; } return agents[lo]!; };
    const tpl = templates();
    const calls = Math.ceil(events / PER_CALL);
    const noop = () => undefined;
    let written = 0;
    for (let call = 0; call < calls;) {
      s.repo.inTransaction(() => {
        for (let k = 0; k < PER_TRANSACTION / PER_CALL && call < calls; k++, call++) {
          const t = start + ((call + 0.5) / calls) * spanDays * DAY;
          const at = new Date(t).toISOString();
          const { customerId, agentId } = pick();
          const n = Math.min(PER_CALL, events - call * PER_CALL);
          const items: IncomingEnvelope[] = [];
          for (let i = 0; i < n; i++) {
            const { envelope, event } = tpl[(call * PER_CALL + i) % tpl.length]!;
            const env = { ...envelope, id: uuidv7(), capturedAt: at };
            items.push({ envelope: env, events: [{ ...event, occurredAt: at, computer: { ...event.computer, name: `PC-${Math.floor(rnd() * 5000)}` } }], raw: rawText(env) });
          }
          s.repo.storeBatch(customerId, agentId, items, at, noop);
          written += n;
        }
      });
      if (written % 1_000_000 < PER_TRANSACTION) console.log(`  ${written} events stored (${(ms(t0) / 1000).toFixed(0)} s)`);
    }
    // Heartbeats as the store holds them after the daily roll-up: raw for the last RAW_DAYS days, rolled-up days before.
    const rawFrom = Date.parse(`${new Date(END - RAW_DAYS * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`);
    const put = db.prepare(`INSERT INTO heartbeat_days (customer_id, day, agent_id, minutes, mask, beats, first_at, last_at, agent_version, max_outbox_depth)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1.4.2', 0)`);
    db.transaction(() => {
      for (let d = Math.floor(start / DAY) * DAY; d < rawFrom; d += DAY) {
        const day = new Date(d).toISOString().slice(0, 10);
        for (const { customerId, agentId } of agents) {
          const mask = Buffer.alloc(MASK_BYTES, 0xff);
          let minutes = 1440;
          if (rnd() < 0.05) { const from = Math.floor(rnd() * 1300); for (let m = from; m < from + 120; m++) { mask[m >> 3]! &= ~(1 << (m & 7)); minutes--; } }
          put.run(customerId, day, agentId, minutes, mask, minutes, `${day}T00:00:07.000Z`, `${day}T23:59:07.000Z`);
        }
      }
    })();
    console.log(`  events stored (${(ms(t0) / 1000).toFixed(0)} s), rolled-up heartbeat days written`);
    // The rows recordHeartbeat writes (same columns, same JSON body), with the statement prepared once: 3 million of them.
    const beat = db.prepare('INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES (?, ?, ?, ?)');
    for (let t = rawFrom; t < END + 60_000; t += 3_600_000) {
      db.transaction(() => {
        for (let m = t; m < Math.min(t + 3_600_000, END + 60_000); m += 60_000) {
          const at = new Date(m + 7_000).toISOString();
          const body = JSON.stringify(heartbeatBody(at));
          for (const { customerId, agentId } of agents) beat.run(agentId, customerId, at, body);
        }
      })();
    }
    s.repo.recordHeartbeat(agents[0]!.agentId, agents[0]!.customerId, heartbeatBody(new Date(END + 60_000).toISOString()), new Date(END + 60_000).toISOString());
    console.log(`  raw heartbeats written (${(ms(t0) / 1000).toFixed(0)} s)`);
    db.pragma('synchronous = FULL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const seedSeconds = ms(t0) / 1000;
    const dbFile = join(dir.path, 'collector.db');
    const bytes = statSync(dbFile).size + (() => { try { return statSync(`${dbFile}-wal`).size; } catch { return 0; } })();
    let byTable: Record<string, number> | null = null;
    let eventBytes: number | null = null; // everything but the heartbeats' tables and indexes
    try {
      byTable = Object.fromEntries((db.prepare('SELECT name, SUM(pgsize) AS b FROM dbstat GROUP BY name ORDER BY b DESC LIMIT 14').all() as { name: string; b: number }[]).map((r) => [r.name, r.b]));
      eventBytes = db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name NOT LIKE 'heartbeat%' AND name <> 'agent_last_heartbeat'").pluck().get() as number;
    } catch { /* SQLite without dbstat */ }
    const heartbeatsRaw = db.prepare('SELECT COUNT(*) FROM heartbeats').pluck().get() as number;
    const heartbeatDays = db.prepare('SELECT COUNT(*) FROM heartbeat_days').pluck().get() as number;
    const stored = db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    console.log(`  store ready (${seedSeconds.toFixed(0)} s, ${stored} events): measuring`);
    if (stored < events) throw new Error(`only ${stored} of ${events} events stored`);

    const noise = new NoiseStore(db);
    const list = (customerId?: string) => () => { const l = s.repo.listEvents({ customerId, limit: 50 }); noise.suppressionsOf(l.map((e) => e.id)); return l.length; };
    const listAll = timed(list());
    const listBig = timed(list(agents[0]!.customerId));
    const listSmall = timed(list(agents[CUSTOMERS - 1]!.customerId));
    const agentsListing = timed(() => { const beats = s.repo.lastHeartbeats(); return s.registry.listAgents().map(({ tokenHash: _t, ...a }) => ({ ...a, lastHeartbeat: beats.get(a.id) ?? null })); });
    const silenceNow = new Date(END + 120_000);
    const silence = timed(() => {
      const r = checkAgentSilence({ service: s.tickets, registry: s.registry, config: s.config.tickets.escalation.agentSilence, logger: silentLogger(),
        lastHeartbeats: () => s.repo.lastHeartbeats() }, silenceNow);
      if (r.opened.length > 0) throw new Error(`silence opened ${r.opened.length}`);
    });
    let reportEvents = 0;
    let reportPrevious = 0; // the report compares with the month before: it reads both
    const report = timed(() => {
      const data = aggregateMonthlyReport({ source: createSqliteReportSource(db), registry: s.registry, now: new Date(END + DAY) }, agents[0]!.customerId, MONTH);
      reportEvents = data.current.notifications;
      reportPrevious = data.previous.notifications;
      if (data.current.availability.ratio === null) throw new Error('no availability');
    });
    // Ingest: 20,000 envelopes, 100 a call, each call its own transaction (commit and sync), as the collector stores them.
    const t1 = performance.now();
    for (let call = 0; call < 200; call++) {
      const at = new Date(END + call * 1000).toISOString();
      const { customerId, agentId } = pick();
      const items: IncomingEnvelope[] = [];
      for (let i = 0; i < 100; i++) {
        const { envelope, event } = tpl[i % tpl.length]!;
        const env = { ...envelope, id: uuidv7(), capturedAt: at };
        items.push({ envelope: env, events: [{ ...event, occurredAt: at }], raw: rawText(env) });
      }
      s.repo.storeBatch(customerId, agentId, items, at, noop);
    }
    const ingestUs = (ms(t1) * 1000) / 20_000;
    s.close();
    return { events, spanDays, seedSeconds, bytes, eventBytes, byTable, heartbeatsRaw, heartbeatDays, listAll, listBig, listSmall,
      agents: agentsListing, silence, report, reportEvents, reportPrevious, ingestUs };
  } finally {
    dir.cleanup();
  }
}

/** Runs one size in a child process (its own memory and page cache warm-up); its figures come back as a JSON line. */
function child(events: number, registryFile: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'year.bench.ts')], {
      env: { ...process.env, BENCH_YEAR_ONE: String(events), BENCH_YEAR_REGISTRY: registryFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString(); for (const l of c.toString().split('\n')) if (l.startsWith('  ')) console.log(l); });
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FIGURES '));
      if (code !== 0 || !line) reject(new Error(`size ${events}: exit ${code}`)); else resolve(JSON.parse(line.slice(8)) as Figures);
    });
  });
}

const f1 = (x: number) => x.toFixed(1);
function print(sizes: Figures[]): void {
  const mb = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MB`;
  const rows: [string, (f: Figures) => string, ((f: Figures) => number) | null][] = [
    ['events (span)', (f) => `${f.events} (${f.spanDays} d)`, null],
    ['seeding', (f) => `${f.seedSeconds.toFixed(0)} s`, null],
    ['heartbeats raw / rolled-up days', (f) => `${f.heartbeatsRaw} / ${f.heartbeatDays}`, null],
    ['disk in all', (f) => mb(f.bytes), null],
    ['disk per event, all', (f) => `${(f.bytes / f.events).toFixed(0)} B`, (f) => f.bytes / f.events],
    ['disk per event, without heartbeats', (f) => (f.eventBytes === null ? 'n/a' : `${(f.eventBytes / f.events).toFixed(0)} B`), (f) => (f.eventBytes ?? NaN) / f.events],
    ['event list, no customer (cold/warm ms)', (f) => `${f1(f.listAll[0])} / ${f1(f.listAll[1])}`, (f) => f.listAll[1]],
    ['event list, biggest customer', (f) => `${f1(f.listBig[0])} / ${f1(f.listBig[1])}`, (f) => f.listBig[1]],
    ['event list, smallest customer', (f) => `${f1(f.listSmall[0])} / ${f1(f.listSmall[1])}`, (f) => f.listSmall[1]],
    ['agents listing (300 agents)', (f) => `${f1(f.agents[0])} / ${f1(f.agents[1])}`, (f) => f.agents[1]],
    ['agent-silence check', (f) => `${f1(f.silence[0])} / ${f1(f.silence[1])}`, (f) => f.silence[1]],
    ['month report aggregation, biggest', (f) => `${f1(f.report[0])} / ${f1(f.report[1])} (${f.reportEvents}+${f.reportPrevious ?? '?'} ev)`, (f) => f.report[1]],
    ['month report per 100k events read (month + month before)', (f) => f1((f.report[1] * 100_000) / Math.max(1, f.reportEvents + (f.reportPrevious ?? 0))),
      (f) => f.report[1] / Math.max(1, f.reportEvents + (f.reportPrevious ?? 0))],
    ['ingest, µs per envelope', (f) => f1(f.ingestUs), (f) => f.ingestUs],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [name, show, value] of rows) {
    const cells = sizes.map(show);
    const last = sizes[sizes.length - 1]!;
    const ratio = value && sizes.length > 1 ? `  ×${(value(last) / value(sizes[0]!)).toFixed(2)}` : '';
    console.log(`${name.padEnd(w)}  ${cells.map((c) => c.padStart(28)).join('')}${ratio}`);
  }
  for (const f of sizes) if (f.byTable) console.log(`by table at ${f.events}: ${Object.entries(f.byTable).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`);
  const l = sizes[sizes.length - 1]!;
  console.log(`RESULT year store at ${l.events} events: ${(l.bytes / l.events).toFixed(0)} B/event, ${mb(l.bytes)}; event list ${f1(l.listAll[1])} ms ` +
    `(customer ${f1(l.listBig[1])} ms); agents ${f1(l.agents[1])} ms; silence check ${f1(l.silence[1])} ms; report ${f1(l.report[1])} ms; ingest ${f1(l.ingestUs)} µs/envelope`);
}

async function main(): Promise<void> {
  const oneSize = process.env.BENCH_YEAR_ONE;
  if (oneSize) {
    console.log(`FIGURES ${JSON.stringify(await one(Number(oneSize), process.env.BENCH_YEAR_REGISTRY ?? ''))}`);
    return;
  }
  printMachine();
  const target = Number(process.env.BENCH_YEAR_EVENTS ?? 3_000_000);
  const base = Number(process.env.BENCH_YEAR_BASE ?? 1_000_000);
  const sizes = [...new Set([base, target].filter((n) => n > 0))].sort((a, b) => a - b);
  const dir = tempDir('xpears-bench-year-registry-');
  const registryFile = join(dir.path, 'registry.json');
  const registry = await Registry.open(registryFile, resolvePlans());
  for (let c = 0; c < CUSTOMERS; c++) {
    const id = `cliente-${String(c).padStart(3, '0')}`;
    await registry.addCustomer({ id, name: `Cliente ${c} SA`, plan: c % 2 ? 'basic' : 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
    await registry.enrollAgent(id);
  }
  console.log(`${CUSTOMERS} customers registered, an agent each`);
  const figures: Figures[] = [];
  for (const n of sizes) {
    console.log(`size ${n}: seeding…`);
    figures.push(await child(n, registryFile));
    console.log(`size ${n} done: ${JSON.stringify(figures[figures.length - 1])}`);
    console.log(loadLine());
  }
  dir.cleanup();
  console.log(machineLine());
  print(figures);
}

await main();
