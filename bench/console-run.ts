// The console benchmarks' run (bench/console.bench.ts and bench/console-scale.bench.ts): a store seeded by
// console-seed.ts (or one kept from an earlier run, BENCH_CONSOLE_DIR), the collector started on it as in production
// (startCollector, the console registered, real HTTP on loopback), ENGINEERS engineers created through the accounts
// store and logged in through the login form, then three passes, each printed with the load average at its start:
//   alone   — requests one at a time: each page's own cost;
//   paced   — as the console is used: each engineer's queue polls /console/api/queue every 5 s (with the ETag of its
//             last answer, as console.js does) and between polls opens the queue page or a random open ticket;
//   closed  — every engineer asks again as soon as answered (the saturation figure).
// Meanwhile one open ticket changes every second (its count and last-seen time, as a repeat event would), so the queue's
// version moves and its cached answer is rebuilt as it would be under a live ingest. Latency: from the request sent to
// the answer's last byte (undici, one connection per engineer).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { loadLine, printMachine } from './machine.js';
import { seedConsoleStore, type SeedAgents, type Seeded } from './console-seed.js';
import { collectorConfigFor, tempDir } from '../test/e2e/harness.js';
import { startCollector } from '../bin/runtime/collector.js';
import { openCollectorServices } from '../bin/runtime/services.js';
import { Registry } from '../collector/registry/index.js';
import { AccountStore } from '../collector/accounts/index.js';
import { TicketRepository } from '../collector/tickets/index.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';

/** The sizes and passes of one run. */
export interface ConsoleBenchOptions {
  tickets: number; open: number; events: number; engineers: number;
  /** Requests of the "alone" pass, seconds of the paced pass, requests of the closed pass (0 skips a pass). */
  solo: number; pacedSeconds: number; closedRequests: number;
  /** A directory to keep the seeded store in and reuse when it holds one of the same sizes. */
  keepDir?: string;
}

const CUSTOMERS = 20;
const PASSWORD = 'bench-password-1';
const KINDS = ['queue-page', 'queue-json', 'ticket-page'] as const;
type Kind = (typeof KINDS)[number];
type Lat = Record<Kind, number[]> & { notModified: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN; };
const emptyLat = (): Lat => ({ 'queue-page': [], 'queue-json': [], 'ticket-page': [], notModified: 0 });

/** Logs an engineer in through the form; returns the session's cookie header. */
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

/** One engineer's requests, with the ETag of their last poll. */
class Engineer {
  private etag: string | undefined;
  constructor(private readonly pool: Pool, private readonly cookie: string, private readonly open: string[]) {}

  async ask(kind: Kind, lat: Lat): Promise<void> {
    const path = kind === 'queue-page' ? '/console/queue' : kind === 'queue-json' ? '/console/api/queue'
      : `/console/tickets/${this.open[Math.floor(Math.random() * this.open.length)]!}`;
    const headers: Record<string, string> = { cookie: this.cookie };
    if (kind === 'queue-json' && this.etag) headers['if-none-match'] = this.etag;
    const started = performance.now();
    const res = await this.pool.request({ method: 'GET', path, headers });
    await res.body.text();
    const ms = performance.now() - started;
    if (res.statusCode === 304 && kind === 'queue-json') lat.notModified++;
    else if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
    if (kind === 'queue-json' && typeof res.headers.etag === 'string') this.etag = res.headers.etag;
    lat[kind].push(ms);
  }
}

async function alone(engineers: Engineer[], count: number): Promise<Lat> {
  const lat = emptyLat();
  for (let n = 0; n < count; n++) await engineers[n % engineers.length]!.ask(KINDS[n % 3]!, lat);
  return lat;
}

// Each engineer polls every 5 s and opens a page in between (one request every 2.5 s), from a random phase.
async function paced(engineers: Engineer[], seconds: number): Promise<Lat> {
  const lat = emptyLat();
  const end = Date.now() + seconds * 1000;
  await Promise.all(engineers.map(async (e) => {
    await sleep(Math.random() * 2500);
    for (let n = 0; Date.now() < end; n++) {
      const started = Date.now();
      await e.ask(n % 2 === 0 ? 'queue-json' : n % 6 === 1 ? 'queue-page' : 'ticket-page', lat);
      await sleep(Math.max(0, 2500 - (Date.now() - started)));
    }
  }));
  return lat;
}

// Closed loop: `count` requests, one in flight per engineer, a third of each kind.
async function closed(engineers: Engineer[], count: number): Promise<Lat> {
  const lat = emptyLat();
  let next = 0;
  await Promise.all(engineers.map(async (e) => {
    for (let n = next++; n < count; n = next++) await e.ask(KINDS[n % 3]!, lat);
  }));
  return lat;
}

function report(pass: string, lat: Lat, o: ConsoleBenchOptions, load: string, seconds: number): void {
  const total = KINDS.reduce((a, k) => a + lat[k].length, 0);
  console.log(`pass ${pass}: ${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s), ${lat.notModified} polls answered 304; ${load} at its start`);
  for (const kind of KINDS) {
    const xs = lat[kind];
    console.log(`RESULT console ${pass} ${kind}: ${xs.length} requests, p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms, max ${pct(xs, 1).toFixed(1)} ms (target p95 < 100 ms; ${o.engineers} engineers, ${o.tickets} tickets, ${o.open} open, ${o.events} events)`);
  }
}

// Customers, agents and the seeded store in `dir`, or what an earlier run left there with the same sizes.
async function prepare(dir: string, o: ConsoleBenchOptions): Promise<Pick<Seeded, 'open' | 'largeOpen'>> {
  const marker = join(dir, 'bench-seeded.json');
  const sizes = { tickets: o.tickets, openCount: o.open, events: o.events };
  if (existsSync(marker)) {
    const kept = JSON.parse(readFileSync(marker, 'utf8')) as typeof sizes & Pick<Seeded, 'open' | 'largeOpen'>;
    if (kept.tickets === o.tickets && kept.openCount === o.open && kept.events === o.events) { console.log(`reusing the store seeded in ${dir}`); return kept; }
    throw new Error(`${dir} holds a store of other sizes: remove it or choose another BENCH_CONSOLE_DIR`);
  }
  const registry = await Registry.open(join(dir, 'registry.json'), resolvePlans());
  const agents: { customerId: string; agentId: string }[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    await registry.addCustomer({ id: `cliente-${c}`, name: `Cliente ${c} SA`, plan: c % 2 ? 'basic' : 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
    agents.push({ customerId: `cliente-${c}`, agentId: (await registry.enrollAgent(`cliente-${c}`)).agent.id });
  }
  const services = await openCollectorServices(collectorConfigFor(dir, 0, { reports: { enabled: false } }), { logger: silentLogger(), clock: systemClock });
  console.log(`seeding ${o.tickets} tickets (${o.open} open) and ${o.events} events; ${loadLine()}`);
  const seeded = seedConsoleStore(services, agents as SeedAgents, { tickets: o.tickets, open: o.open, events: o.events });
  console.log(`RESULT console generation: ${o.tickets} tickets (${o.open} open) in ${seeded.ticketSeconds.toFixed(1)} s (${seeded.ticketCpu.toFixed(1)} s of CPU), ${o.events} events in ${seeded.eventSeconds.toFixed(1)} s (${seeded.eventCpu.toFixed(1)} s of CPU; ${(o.events / seeded.eventSeconds).toFixed(0)} events/s); ${loadLine()}`);
  writeFileSync(marker, JSON.stringify({ ...sizes, open: seeded.open, largeOpen: seeded.largeOpen }), { mode: 0o600 });
  return seeded;
}

/** Seeds (or reuses) a store, starts the collector, and runs the passes; prints every figure. */
export async function runConsoleBench(o: ConsoleBenchOptions): Promise<void> {
  printMachine();
  const temp = o.keepDir ? undefined : tempDir('xpears-bench-console-');
  const dir = o.keepDir ?? temp!.path;
  try {
    const { open, largeOpen } = await prepare(dir, o);
    const config = collectorConfigFor(dir, 0, { reports: { enabled: false } });
    const t0 = performance.now();
    const collector = await startCollector(config, { logger: silentLogger(), clock: systemClock, schedules: false });
    console.log(`collector started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const accounts = new AccountStore(collector.db, systemClock);
    const pool = new Pool(collector.url, { connections: o.engineers });
    const engineers: Engineer[] = [];
    for (let i = 0; i < o.engineers; i++) {
      if (!accounts.get(`eng${i}`)) await accounts.addUser({ login: `eng${i}`, name: `Ingeniero ${i}`, email: `eng${i}@cas.example`, role: 'l1', password: PASSWORD }, 'bench');
      engineers.push(new Engineer(pool, await login(pool, `eng${i}`), open));
    }
    // A large (outbreak) open ticket, alone: its page reads 50 of its events, whatever their number.
    if (largeOpen.length > 0) {
      const big = new Engineer(pool, await login(pool, 'eng0'), largeOpen);
      const lat = emptyLat();
      for (let n = 0; n < 20; n++) await big.ask('ticket-page', lat);
      console.log(`RESULT console alone large-ticket-page: 20 requests, p50 ${pct(lat['ticket-page'], 0.5).toFixed(1)} ms, max ${pct(lat['ticket-page'], 1).toFixed(1)} ms (${largeOpen.length} open tickets of ${Math.round(o.events / (o.tickets + 49 * o.tickets / 100)) * 50} events)`);
    }
    const repo = new TicketRepository(collector.db);
    const bump = (number: string) => {
      const tk = repo.get(number);
      if (tk) repo.update(tk.id, { count: tk.count + 1, lastSeenAt: new Date().toISOString() }, new Date().toISOString());
    };
    // The queue rebuilt, alone: a ticket changes before each request, so none is answered from the kept rows.
    {
      const lat = emptyLat();
      for (let n = 0; n < 30; n++) { bump(open[n % open.length]!); await engineers[n % engineers.length]!.ask(n % 2 ? 'queue-page' : 'queue-json', lat); }
      for (const kind of ['queue-page', 'queue-json'] as const) {
        console.log(`RESULT console alone ${kind} rebuilt: ${lat[kind].length} requests, p50 ${pct(lat[kind], 0.5).toFixed(1)} ms, max ${pct(lat[kind], 1).toFixed(1)} ms (a ticket changed before each)`);
      }
    }
    // One open ticket changes every second, as repeats of its event would make it.
    let bumps = 0;
    const churn = setInterval(() => bump(open[bumps++ % open.length]!), 1000);
    const passes: [string, number, () => Promise<Lat>][] = [['alone', o.solo, () => alone(engineers, o.solo)],
      ['paced', o.pacedSeconds, () => paced(engineers, o.pacedSeconds)], ['closed', o.closedRequests, () => closed(engineers, o.closedRequests)]];
    for (const [pass, size, run] of passes) {
      if (size === 0) continue;
      const load = loadLine();
      const started = performance.now();
      const lat = await run();
      report(pass, lat, o, load, (performance.now() - started) / 1000);
    }
    clearInterval(churn);
    console.log(`${bumps} ticket changes during the passes`);
    await pool.close();
    // collector.stop() can stay pending with nothing left to run (docs/benchmarks.md): wait for it at most 10 s.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([collector.stop().then(() => true), new Promise<false>((r) => { timer = setTimeout(() => r(false), 10_000); })]);
    clearTimeout(timer);
    if (!stopped) console.log('collector.stop() did not finish within 10 s (left as it is)');
  } finally {
    temp?.cleanup();
  }
}
