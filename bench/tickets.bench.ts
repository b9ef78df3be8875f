// Benchmark: events → tickets, with the collector's real pieces on one SQLite file (openCollectorServices: store,
// registry, triage rules shipped in config/, business calendar, plans, notification outbox, TicketService).
// 1. Throughput: events/s through triage and correlation (EventPipeline.processStored, batches as the ingest hands
//    them), over the fixture corpus's events spread across customers and computers, stored first by the real store.
// 2. Latency: a collector in its own process (startCollector, real HTTP ingest); a background of 1,000 events/s
//    posted by agents in batches, and probes (one new ransomware event each, one envelope per POST) whose latency is
//    from the POST sent to its answer — the app answers after storing the batch and calling pipeline.processStored, so
//    the ticket row and its queued mails are committed by then; each probe's ticket and notifications are checked
//    in the database at the end.
//   node --import tsx bench/tickets.bench.ts
//   env: BENCH_RUNS=2  BENCH_TICKET_EVENTS=50000  BENCH_TICKET_BATCH=100  BENCH_LATENCY_SECONDS=20
//        BENCH_BACKGROUND_RATE=1000  BENCH_PROBE_INTERVAL_MS=100  BENCH_CPU_PROF=<dir> (profiles the collector child)
//        BENCH_TICKET_PARTS=mixed,single,opening,latency (which parts run)
// The same file is the collector process when started with the argument `collector`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { printMachine } from './machine.js';
import { forkBench, nextMessage, ask, field, stopChild } from './ipc.js';
import { collectorConfigFor } from '../test/e2e/harness.js';
import { openCollectorServices, type CollectorServices } from '../bin/runtime/services.js';
import { startCollector } from '../bin/runtime/collector.js';
import { Registry } from '../collector/registry/index.js';
import { resolvePlans } from '../config/plans.js';
import { parseEnvelope, rawText } from '../collector/parse/index.js';
import type { IncomingEnvelope } from '../collector/store/store.js';
import type { VendorHint } from '../collector/parse/types.js';
import { envelopeSchema, PROTOCOL_VERSION, type Envelope } from '../protocol/envelope.js';
import type { ParsedEvent, StoredEvent } from '../protocol/event.js';
import type { CollectorConfig } from '../collector/config.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { uuidv7 } from '../lib/ids.js';

const runs = Number(process.env.BENCH_RUNS ?? 2);
const totalEvents = Number(process.env.BENCH_TICKET_EVENTS ?? 50_000);
const batchSize = Number(process.env.BENCH_TICKET_BATCH ?? 100);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const backgroundRate = Number(process.env.BENCH_BACKGROUND_RATE ?? 1000);
const probeIntervalMs = Number(process.env.BENCH_PROBE_INTERVAL_MS ?? 100);
const parts = new Set((process.env.BENCH_TICKET_PARTS ?? 'mixed,single,opening,latency').split(','));
const THROUGHPUT_TARGET = 20_000;
const P99_TARGET_MS = 250;
const CUSTOMERS = 20;
const COMPUTERS_PER_CUSTOMER = 5;
const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

interface Fixture { envelope: Envelope; hint: VendorHint; events: ParsedEvent[] }

function loadCorpus(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of ['eset', 'symantec']) {
    for (const name of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json')).sort()) {
      const f = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { envelope: unknown; hint?: VendorHint };
      const envelope = envelopeSchema.parse(f.envelope);
      out.push({ envelope, hint: f.hint, events: parseEnvelope(envelope, f.hint) });
    }
  }
  return out;
}

function configFor(dir: string): CollectorConfig {
  return collectorConfigFor(dir, 0, {
    notify: {
      // Nothing is sent: the dispatcher is not started. Mail is only queued, which is what is measured.
      smtp: { host: '127.0.0.1', port: 2525 }, from: { address: 'cas@bench.example' },
      onDuty: [{ name: 'Guardia Uno', email: 'guardia1@bench.example', language: 'es' }, { name: 'On Duty Two', email: 'duty2@bench.example', language: 'en' }],
    },
  });
}

// Customers on Basic and Managed, each holding ESET and SEPM with a Spanish and an English contact; one agent each.
async function registerCustomers(dir: string, count: number): Promise<{ customerId: string; agentId: string; token: string }[]> {
  const registry = await Registry.open(join(dir, 'registry.json'), resolvePlans());
  const out: { customerId: string; agentId: string; token: string }[] = [];
  for (let c = 0; c < count; c++) {
    const id = `cliente-${c}`;
    await registry.addCustomer({ id, name: `Cliente ${c} SA`, plan: c % 2 === 0 ? 'managed' : 'basic', products: [
      { vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' },
      { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2030-01-01' },
    ] });
    await registry.addContact(id, { name: 'Ana Pérez', email: `ana@${id}.example`, language: 'es', products: [] });
    await registry.addContact(id, { name: 'John Smith', email: `john@${id}.example`, language: 'en', products: [] });
    const { agent, token } = await registry.enrollAgent(id);
    out.push({ customerId: id, agentId: agent.id, token });
  }
  return out;
}

type Agents = { customerId: string; agentId: string }[];

// ---- 1. throughput of triage + correlation ------------------------------------------------------------------------
// The i-th copy of a corpus event: another computer of another customer, so that correlation both opens and folds.
function variant(event: ParsedEvent, i: number): ParsedEvent {
  const name = `${event.computer?.name ?? 'pc'}-${i % COMPUTERS_PER_CUSTOMER}`;
  return { ...event, computer: { ...event.computer, name } };
}

function storeEvents(services: CollectorServices, agents: Agents, corpus: Fixture[], total: number,
  vary: (event: ParsedEvent, i: number) => ParsedEvent = variant): StoredEvent[][] {
  const batches: StoredEvent[][] = [];
  const receivedAt = new Date().toISOString();
  let made = 0;
  for (let b = 0; made < total; b++) {
    const { customerId, agentId } = agents[b % agents.length]!;
    const items: IncomingEnvelope[] = [];
    let inBatch = 0;
    for (let k = 0; inBatch < batchSize && made + inBatch < total; k++) {
      const f = corpus[(b * batchSize + k) % corpus.length]!;
      const envelope = { ...f.envelope, id: uuidv7() };
      const events = f.events.map((e) => vary(e, b * batchSize + k));
      items.push({ envelope, events, raw: rawText(envelope) });
      inBatch += events.length;
    }
    const stored = services.repo.storeBatch(customerId, agentId, items, receivedAt).accepted.flat();
    made += stored.length;
    batches.push(stored);
  }
  return batches;
}

interface Throughput { events: number; seconds: number; cpuSeconds: number; opened: number; folded: number; reportOnly: number; notifications: number }

function triageAll(services: CollectorServices, batches: StoredEvent[][]): Throughput {
  let opened = 0;
  let folded = 0;
  let reportOnly = 0;
  let events = 0;
  const before = services.db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get() as number;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const batch of batches) {
    for (const o of services.pipeline.processStored(batch, systemClock())) {
      if (o.ticket === null) reportOnly++;
      else if (o.created) opened++;
      else folded++;
    }
    events += batch.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const notifications = (services.db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get() as number) - before;
  return { events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, opened, folded, reportOnly, notifications };
}

// The mixed run: the corpus cycled over customers and computers, in batches as the ingest hands them.
function mixedPart(run: number, services: CollectorServices, agents: Agents, corpus: Fixture[]): void {
  const t0 = performance.now();
  const batches = storeEvents(services, agents, corpus, totalEvents);
  const storeS = (performance.now() - t0) / 1000;
  const r = triageAll(services, batches);
  const rate = Math.round(r.events / r.seconds);
  const perCpu = Math.round(r.events / r.cpuSeconds);
  const verdict = rate >= THROUGHPUT_TARGET ? 'meets' : 'MISSES';
  console.log(`  run ${run} throughput: ${r.events} events (stored first in ${storeS.toFixed(1)} s) through triage + correlation in batches of ~${batchSize}: ${r.seconds.toFixed(2)} s = ${rate} events/s wall (${verdict} the target of ${THROUGHPUT_TARGET}), ${perCpu} events/s per CPU-second; ${r.opened} tickets opened, ${r.folded} folded, ${r.reportOnly} report-only; ${r.notifications} notifications queued`);
  console.log(`RESULT ${JSON.stringify({ bench: 'tickets-throughput', run, batch: batchSize, eventsPerSecond: rate, eventsPerCpuSecond: perCpu, ...r, seconds: Number(r.seconds.toFixed(3)), target: THROUGHPUT_TARGET })}`);
}

// One event per transaction: what a collector sees when agents post one envelope at a time.
function singlePart(run: number, services: CollectorServices, agents: Agents, corpus: Fixture[]): void {
  const single = triageAll(services, storeEvents(services, agents, corpus, Math.min(5000, totalEvents)).flat().map((e) => [e]));
  const rate = Math.round(single.events / single.seconds);
  console.log(`  run ${run} throughput, one event per processStored call: ${rate} events/s wall, ${Math.round(single.events / single.cpuSeconds)} per CPU-second (${single.events} events, ${single.opened} opened)`);
  console.log(`RESULT ${JSON.stringify({ bench: 'tickets-throughput-single', run, eventsPerSecond: rate })}`);
}

// Every event opens a ticket (a ransomware detection on a computer never seen): the cost of the opening path.
function openingPart(run: number, services: CollectorServices, agents: Agents, corpus: Fixture[]): void {
  const ransomware = corpus.filter((f) => f.events[0]?.eventType === 'ransomware' && f.events.length === 1);
  const unseen = (e: ParsedEvent, i: number): ParsedEvent => ({ ...e, computer: { ...e.computer, name: `new-${run}-${i}` } });
  const r = triageAll(services, storeEvents(services, agents, ransomware, Math.min(5000, totalEvents), unseen));
  console.log(`  run ${run} every event opens a ticket: ${r.opened} opened in ${r.seconds.toFixed(2)} s = ${Math.round(r.opened / r.seconds)} tickets/s wall, ${Math.round(r.opened / r.cpuSeconds)} per CPU-second; ${r.notifications} notifications queued`);
  console.log(`RESULT ${JSON.stringify({ bench: 'tickets-opening', run, ticketsPerSecond: Math.round(r.opened / r.seconds), ticketsPerCpuSecond: Math.round(r.opened / r.cpuSeconds), opened: r.opened })}`);
}

async function throughputRun(run: number, corpus: Fixture[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-tickets-'));
  try {
    const agents = await registerCustomers(dir, CUSTOMERS);
    const services = await openCollectorServices(configFor(dir), { logger: silentLogger(), clock: systemClock });
    try {
      if (parts.has('mixed')) mixedPart(run, services, agents, corpus);
      if (parts.has('single')) singlePart(run, services, agents, corpus);
      if (parts.has('opening')) openingPart(run, services, agents, corpus);
    } finally {
      services.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 2. latency through the HTTP ingest, under a background load ---------------------------------------------------
async function collectorProcess(dir: string): Promise<void> {
  const collector = await startCollector(configFor(dir), { logger: silentLogger(), clock: systemClock, schedules: false });
  process.send?.({ url: collector.url });
  process.on('message', (m: { cmd: string; envelopeIds?: string[] }) => {
    if (m.cmd === 'verify') {
      const ids = m.envelopeIds ?? [];
      const ticketOf = collector.db.prepare(`SELECT te.ticket_id FROM events e JOIN ticket_events te ON te.event_id = e.id
        WHERE e.envelope_id = ?`).pluck();
      const mails = collector.db.prepare("SELECT COUNT(*) FROM notify_outbox WHERE ref_kind = 'ticket' AND ref_id = ?").pluck();
      let withTicket = 0;
      let withMail = 0;
      for (const id of ids) {
        const ticket = ticketOf.get(id) as string | undefined;
        if (ticket === undefined) continue;
        withTicket++;
        if ((mails.get(ticket) as number) > 0) withMail++;
      }
      const c = process.cpuUsage();
      process.send?.({ verified: { withTicket, withMail, cpuSeconds: (c.user + c.system) / 1e6,
        tickets: collector.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() as number,
        events: collector.db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number } });
    } else {
      void collector.stop().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => { void collector.stop().then(() => process.exit(0)); });
}

interface Verified { withTicket: number; withMail: number; cpuSeconds: number; tickets: number; events: number }

function body(envelopes: Envelope[]): Buffer {
  return gzipSync(JSON.stringify({ protocol: PROTOCOL_VERSION, envelopes }), { level: 1 });
}

async function post(pool: Pool, token: string, payload: Buffer): Promise<boolean> {
  const res = await pool.request({
    path: '/v1/envelopes', method: 'POST', body: payload,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
  });
  await res.body.dump();
  return res.statusCode === 200;
}

// A ransomware detection on a computer never seen before: it opens a threat-incident ticket, always.
function probeEnvelope(template: Envelope, n: number): Envelope {
  if (template.transport !== 'syslog') throw new Error('the probe template is a syslog capture');
  const line = template.syslog.line.replace('"hostname":"srv-files"', `"hostname":"probe-${process.pid}-${n}"`);
  return { ...template, id: uuidv7(), capturedAt: new Date().toISOString(), syslog: { ...template.syslog, line } };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

async function latencyRun(run: number, corpus: Fixture[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-tickets-http-'));
  const agents = await registerCustomers(dir, 5);
  const probeAgent = agents.pop()!;
  const child = forkBench(basename(import.meta.filename), ['collector', dir], process.env.BENCH_CPU_PROF);
  try {
    const url = await nextMessage(child, field<string>('url'), 60_000);
    const background = new Pool(url, { connections: 4 });
    const probes = new Pool(url, { connections: 2 });
    const template = corpus.find((f) => f.envelope.transport === 'syslog' && f.envelope.syslog.line.includes('"hostname":"srv-files"'))!.envelope;
    const eventsPerEnvelope = corpus.reduce((s, f) => s + f.events.length, 0) / corpus.length;
    // Batches every 50 ms: 20 a second, of as many envelopes as make the background rate in events.
    const perBatch = Math.max(1, Math.round(backgroundRate / 20 / eventsPerEnvelope));
    const warmupMs = 2000;
    const start = performance.now();
    const end = start + warmupMs + latencySeconds * 1000;
    let backgroundSent = 0;
    let backgroundFailed = 0;
    let countedFrom = 0;
    const inFlight: Promise<void>[] = [];
    const backgroundLoop = (async () => {
      for (let k = 0, next = start; next < end; k++, next += 50) {
        await sleepUntil(next);
        if (countedFrom === 0 && performance.now() >= start + warmupMs) countedFrom = backgroundSent;
        const agent = agents[k % agents.length]!;
        const envelopes = Array.from({ length: perBatch }, (_, i) => ({ ...corpus[(k * perBatch + i) % corpus.length]!.envelope, id: uuidv7() }));
        const p = post(background, agent.token, body(envelopes)).then((ok) => { if (ok) backgroundSent += perBatch; else backgroundFailed += perBatch; });
        inFlight.push(p);
      }
    })();
    const latencies: number[] = [];
    const probeIds: string[] = [];
    let probeFailed = 0;
    const probeLoop = (async () => {
      const probeInFlight: Promise<void>[] = [];
      for (let n = 0, next = start + warmupMs; next < end; n++, next += probeIntervalMs) {
        await sleepUntil(next);
        const envelope = probeEnvelope(template, n);
        const payload = body([envelope]);
        const sentAt = performance.now();
        probeInFlight.push(post(probes, probeAgent.token, payload).then((ok) => {
          if (!ok) { probeFailed++; return; }
          latencies.push(performance.now() - sentAt);
          probeIds.push(envelope.id);
        }));
      }
      await Promise.all(probeInFlight);
    })();
    await Promise.all([backgroundLoop, probeLoop]);
    await Promise.all(inFlight);
    const seconds = (performance.now() - start - warmupMs) / 1000;
    await background.close();
    await probes.close();
    const v = await ask(child, { cmd: 'verify', envelopeIds: probeIds }, field<Verified>('verified'), 60_000);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const bgRate = Math.round(((backgroundSent - countedFrom) * eventsPerEnvelope) / seconds);
    const verdict = p99 < P99_TARGET_MS ? 'meets' : 'MISSES';
    console.log(`  run ${run} latency: ${latencies.length} probes (${probeFailed} failed) under ~${bgRate} background events/s (${backgroundFailed} background envelopes failed): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms (${verdict} the p99 target of ${P99_TARGET_MS} ms); ${v.withTicket}/${latencies.length} probes have their ticket, ${v.withMail} with notifications queued; collector holds ${v.events} events, ${v.tickets} tickets`);
    console.log(`RESULT ${JSON.stringify({ bench: 'tickets-latency', run, probes: latencies.length, backgroundEventsPerSecond: bgRate, p50Ms: Number(p50.toFixed(1)), p99Ms: Number(p99.toFixed(1)), maxMs: Number((sorted.at(-1) ?? NaN).toFixed(1)), withTicket: v.withTicket, withMail: v.withMail, target: P99_TARGET_MS })}`);
    if (v.withTicket !== latencies.length || v.withMail !== latencies.length) process.exitCode = 1;
  } finally {
    child.send({ cmd: 'stop' });
    await stopChild(child, 15_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  printMachine();
  const corpus = loadCorpus();
  console.log(`tickets: ${corpus.length} fixture captures (${corpus.reduce((s, f) => s + f.events.length, 0)} events) as the event mix; throughput over ${totalEvents} events, ${CUSTOMERS} customers × ${COMPUTERS_PER_CUSTOMER} computers; latency ${latencySeconds} s of probes every ${probeIntervalMs} ms under ${backgroundRate} events/s; ${runs} run(s)`);
  for (let run = 1; run <= runs; run++) await throughputRun(run, corpus);
  if (parts.has('latency')) for (let run = 1; run <= runs; run++) await latencyRun(run, corpus);
}

if (process.argv[2] === 'collector') await collectorProcess(process.argv[3]!);
else await main();
