// Benchmark (issue 15): the CAS console over a store filled through the product's own code. BENCH_SCALE_TICKETS
// tickets (BENCH_SCALE_OPEN of them open, the newest) are written with the ticket repository and BENCH_SCALE_EVENTS
// events with the event store's storeBatch (an ESET ransomware envelope, each event linked to a ticket), in big
// transactions; the generation time is printed. Then the collector starts with the console, 20 engineers are created
// through the accounts store and log in, and BENCH_SCALE_REQUESTS requests are made BENCH_SCALE_CONCURRENCY at a time
// (undici), a third each: the queue page, the queue's live JSON and a random open ticket's page. Prints p50/p95/p99
// of each, from the request sent to the answer's last byte. Target: p95 under 100 ms.
//   node --import tsx bench/console-scale.bench.ts
//   env: BENCH_SCALE_TICKETS=100000 BENCH_SCALE_OPEN=2000 BENCH_SCALE_EVENTS=10000000 BENCH_SCALE_REQUESTS=3000
//        BENCH_SCALE_CONCURRENCY=20 BENCH_SCALE_SOLO=90 (first, requests one at a time: each page's own cost)
//        (a quick run: BENCH_SCALE_EVENTS=200000)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { printMachine } from './machine.js';
import { collectorConfigFor, tempDir, ROOT } from '../test/e2e/harness.js';
import { startCollector } from '../bin/runtime/collector.js';
import { openCollectorServices, type CollectorServices } from '../bin/runtime/services.js';
import { Registry } from '../collector/registry/index.js';
import { AccountStore } from '../collector/accounts/index.js';
import { parseEnvelope, rawText } from '../collector/parse/index.js';
import type { IncomingEnvelope } from '../collector/store/store.js';
import { envelopeSchema } from '../protocol/envelope.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { uuidv7 } from '../lib/ids.js';

const TICKETS = Number(process.env.BENCH_SCALE_TICKETS ?? 100_000);
const OPEN = Number(process.env.BENCH_SCALE_OPEN ?? 2_000);
const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 10_000_000);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 3_000);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 20);
const SOLO = Number(process.env.BENCH_SCALE_SOLO ?? 90);
const ENGINEERS = 20;
const CUSTOMERS = 20;
const PASSWORD = 'bench-password-1';
const PER_TRANSACTION = 50_000;

type Agents = { customerId: string; agentId: string }[];

/** Tickets through TicketRepository.insert (the older ones then closed), in transactions of 20,000; their ids. */
function makeTickets(s: CollectorServices, agents: Agents): { ids: string[]; open: string[] } {
  const ids: string[] = [];
  const open: string[] = [];
  const now = Date.now();
  for (let from = 0; from < TICKETS; from += 20_000) {
    s.repo.inTransaction(() => {
      for (let i = from; i < Math.min(TICKETS, from + 20_000); i++) {
        const { customerId, agentId } = agents[i % agents.length]!;
        const at = new Date(now - (TICKETS - i) * 60_000).toISOString();
        const title = `Incidente de amenaza: Ransomware «Win32/Filecoder.Akira.A» en «pc-${i % 500}» — Cliente ${i % CUSTOMERS} SA`;
        const t = s.tickets.repo.insert({ id: uuidv7(), customerId, agentId, caseKind: 'threat-incident', rule: 'ransomware', dedupKey: `bench|${i}`,
          windowMinutes: 1440, vendor: 'eset', product: 'ESET PROTECT', eventType: 'ransomware', title, description: `Qué pasó\n${title}`,
          titles: { es: title, en: title }, language: 'es', openedAt: at, responseDueAt: new Date(now - (TICKETS - i) * 60_000 + (i % 7) * 3_600_000 + 1_800_000).toISOString(),
          count: 1, firstSeenAt: at, lastSeenAt: at });
        if (i < TICKETS - OPEN) s.tickets.repo.update(t.id, { state: 'closed' }, at); else open.push(t.number);
        ids.push(t.id);
      }
    });
  }
  return { ids, open };
}

/** Events through storeBatch (1,000 envelopes a batch, PER_TRANSACTION a transaction), each linked to a ticket. */
function makeEvents(s: CollectorServices, agents: Agents, tickets: string[]): void {
  const f = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as { envelope: unknown };
  const envelope = envelopeSchema.parse(f.envelope);
  const events = parseEnvelope(envelope, undefined);
  for (let from = 0; from < EVENTS; from += PER_TRANSACTION) {
    const receivedAt = new Date().toISOString();
    s.repo.inTransaction(() => {
      for (let b = from; b < Math.min(EVENTS, from + PER_TRANSACTION); b += 1_000) {
        const n = Math.min(1_000, EVENTS - b);
        const { customerId, agentId } = agents[(b / 1_000) % agents.length]!;
        const items: IncomingEnvelope[] = [];
        for (let k = 0; k < n; k++) {
          const env = { ...envelope, id: uuidv7() };
          items.push({ envelope: env, events: events.map((e) => ({ ...e, computer: { ...e.computer, name: `pc-${(b + k) % 500}` } })), raw: rawText(env) });
        }
        const stored = s.repo.storeBatch(customerId, agentId, items, receivedAt).accepted.flat();
        stored.forEach((e, k) => s.tickets.repo.linkEvent(tickets[(b + k) % tickets.length]!, e.id, receivedAt));
      }
    });
    if ((from / PER_TRANSACTION) % 20 === 19) console.log(`  ${from + PER_TRANSACTION} events stored`);
  }
}

/** Logs an engineer in with undici; returns the session's cookie header. */
async function login(pool: Pool, user: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (h: string | string[] | undefined) => {
    for (const c of [h ?? []].flat()) { const [k, ...v] = c.split(';')[0]!.split('='); jar.set(k!.trim(), v.join('=')); }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await pool.request({ method: 'GET', path: '/console/login' });
  keep(page.headers['set-cookie']);
  const token = /name="_login" value="([^"]+)"/.exec(await page.body.text())?.[1] ?? '';
  const res = await pool.request({ method: 'POST', path: '/console/login', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _login: token, login: user, password: PASSWORD }).toString() });
  await res.body.dump();
  if (res.statusCode !== 303) throw new Error(`${user} could not log in: ${res.statusCode}`);
  keep(res.headers['set-cookie']);
  return cookie();
}

const KINDS = ['queue-page', 'queue-json', 'ticket-page'] as const;
type Kind = (typeof KINDS)[number];

/** `count` requests, `concurrency` at a time, a third of each kind, each engineer's session; latencies by kind. */
async function measure(pool: Pool, cookies: string[], open: string[], count: number, concurrency: number): Promise<Record<Kind, number[]>> {
  const lat: Record<Kind, number[]> = { 'queue-page': [], 'queue-json': [], 'ticket-page': [] };
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    for (let n = next++; n < count; n = next++) {
      const kind = KINDS[n % 3]!;
      const path = kind === 'queue-page' ? '/console/queue' : kind === 'queue-json' ? '/console/api/queue' : `/console/tickets/${open[Math.floor(Math.random() * open.length)]!}`;
      const started = performance.now();
      const res = await pool.request({ method: 'GET', path, headers: { cookie: cookies[w % cookies.length]! } });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
      lat[kind].push(performance.now() - started);
    }
  }));
  return lat;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  printMachine();
  const dir = tempDir('xpears-bench-console-scale-');
  try {
    const config = collectorConfigFor(dir.path, 0, { reports: { enabled: false } });
    const registry = await Registry.open(join(dir.path, 'registry.json'), resolvePlans());
    const agents: Agents = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      await registry.addCustomer({ id: `cliente-${c}`, name: `Cliente ${c} SA`, plan: c % 2 ? 'basic' : 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
      agents.push({ customerId: `cliente-${c}`, agentId: (await registry.enrollAgent(`cliente-${c}`)).agent.id });
    }
    const t0 = performance.now();
    const services = await openCollectorServices(config, { logger: silentLogger(), clock: systemClock });
    const { ids, open } = makeTickets(services, agents);
    const t1 = performance.now();
    makeEvents(services, agents, ids);
    services.close();
    const t2 = performance.now();
    console.log(`RESULT console generation: ${TICKETS} tickets (${OPEN} open) in ${((t1 - t0) / 1000).toFixed(1)} s, ${EVENTS} events in ${((t2 - t1) / 1000).toFixed(1)} s`);

    const collector = await startCollector(config, { logger: silentLogger(), clock: systemClock, schedules: false });
    const accounts = new AccountStore(collector.db, systemClock);
    const pool = new Pool(collector.url, { connections: CONCURRENCY });
    const cookies: string[] = [];
    for (let i = 0; i < ENGINEERS; i++) {
      await accounts.addUser({ login: `eng${i}`, name: `Ingeniero ${i}`, email: `eng${i}@cas.example`, role: 'l1', password: PASSWORD }, 'bench');
      cookies.push(await login(pool, `eng${i}`));
    }
    const solo = await measure(pool, cookies, open, SOLO, 1);
    const loaded = await measure(pool, cookies, open, REQUESTS, CONCURRENCY);
    for (const kind of KINDS) {
      const xs = loaded[kind].sort((a, b) => a - b);
      const one = solo[kind].sort((a, b) => a - b);
      console.log(`RESULT console ${kind}: ${xs.length} requests, ${CONCURRENCY} concurrent: p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms; alone (${one.length}, one at a time): p50 ${pct(one, 0.5).toFixed(1)} ms, p95 ${pct(one, 0.95).toFixed(1)} ms (target p95 < 100 ms; ${TICKETS} tickets, ${OPEN} open, ${EVENTS} events)`);
    }
    await pool.close();
    // On this tree collector.stop() can stay pending with nothing left to run (exit 13): wait for it at most 10 s.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([collector.stop().then(() => true), new Promise<false>((r) => { timer = setTimeout(() => r(false), 10_000); })]);
    clearTimeout(timer);
    if (!stopped) console.log('collector.stop() did not finish within 10 s (left as it is)');
  } finally {
    dir.cleanup();
  }
}

await main();
