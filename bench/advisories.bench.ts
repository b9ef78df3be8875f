// Benchmark: one advisory poll, fanned out (issue 5). A local HTTP server on 127.0.0.1 serves 20 feeds of 50 items
// each (RSS and Atom blogs and support news, Broadcom's JSON list, CISA's KEV catalogue and CISA's RSS, for ESET and
// Symantec); the collector's real services (openCollectorServices: SQLite database, registry file, notification
// outbox, AdvisoryService) run ONE poll — fetch, parse, classify, store, then one relay pass: each contact's mail of
// the pass (one per contact) queued — against a registry of 500 customers × 4 designated contacts holding ESET and/or
// Symantec products with maintenance in force. Then the digests of the next digest hour are queued (one per contact).
// Each run is its own process (so its peak RSS is its own); the parent prints the machine, each run and a summary.
//   node --import tsx bench/advisories.bench.ts
//   env: BENCH_RUNS=2  BENCH_ADV_CUSTOMERS=500  BENCH_ADV_SOURCES=20  BENCH_ADV_ITEMS=50  BENCH_ADV_TIMEOUT_S=600
//        BENCH_ADV_MIX=default|info (info: every item informational, i.e. every relay a digest entry)
//        BENCH_ADV_DIGEST=0 (skip the digest step)
// The same file is one run when started with the argument `run`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { loadLine, printMachine } from './machine.js';
import { openCollectorServices } from '../bin/runtime/services.js';
import { collectorConfigSchema } from '../collector/config.js';
import type { AdvisorySource } from '../collector/advisories/config.js';
import { digestDateFor } from '../collector/advisories/recipients.js';
import type { RegistryData } from '../collector/registry/registry.js';
import type { Contact, Customer, ProductHolding } from '../collector/registry/types.js';
import { systemClock } from '../lib/clock.js';
import { silentLogger } from '../lib/logger.js';

const runs = Number(process.env.BENCH_RUNS ?? 2);
const customerCount = Number(process.env.BENCH_ADV_CUSTOMERS ?? 500);
const sourceCount = Number(process.env.BENCH_ADV_SOURCES ?? 20);
const itemsPerSource = Number(process.env.BENCH_ADV_ITEMS ?? 50);
const timeoutS = Number(process.env.BENCH_ADV_TIMEOUT_S ?? 600);
const infoOnly = process.env.BENCH_ADV_MIX === 'info';
const withDigest = process.env.BENCH_ADV_DIGEST !== '0';
const TARGET_MS = 5_000;
const CONTACTS = 4;
const ZONE = 'America/Argentina/Buenos_Aires';

// ---------------------------------------------------------------------------------------------------------------
// The feeds. Each item states its level the way its kind of source does (the classifier finds it); per 20 items of a
// non-KEV source: 2 critical, 5 high, 4 medium, 3 low, 6 informational. KEV entries are at least high: 1 in 5 has
// known ransomware use (critical). With 50 items a source, the 1,000 advisories classify as 110 critical, 314 high,
// 180 medium, 126 low, 270 info: 42% critical or high (sent at once), the rest to the digest.

type Level = 'critical' | 'high' | 'medium' | 'low' | 'info';
const PATTERN: readonly Level[] = ['critical', 'high', 'medium', 'info', 'high', 'low', 'info', 'medium', 'high', 'info',
  'critical', 'low', 'high', 'info', 'medium', 'high', 'info', 'low', 'medium', 'info'];
const levelOf = (i: number): Level => (infoOnly ? 'info' : PATTERN[i % PATTERN.length]!);

interface FeedDef { id: string; vendor: AdvisorySource['vendor']; kind: AdvisorySource['kind']; style: string }

/** The 20 sources (more or fewer repeat the list): 5 ESET blogs, 4 ESET Atom, 5 Symantec blogs, 3 Broadcom JSON,
 *  2 KEV catalogues, 1 CISA RSS. */
function feedDefs(n: number): FeedDef[] {
  const base: Omit<FeedDef, 'id'>[] = [
    ...Array.from({ length: 5 }, () => ({ vendor: 'eset' as const, kind: 'rss' as const, style: 'eset-blog' })),
    ...Array.from({ length: 4 }, () => ({ vendor: 'eset' as const, kind: 'atom' as const, style: 'eset-atom' })),
    ...Array.from({ length: 5 }, () => ({ vendor: 'symantec' as const, kind: 'rss' as const, style: 'symantec-blog' })),
    ...Array.from({ length: 3 }, () => ({ vendor: 'symantec' as const, kind: 'broadcom-json' as const, style: 'broadcom' })),
    ...Array.from({ length: 2 }, () => ({ vendor: 'any' as const, kind: 'cisa-kev' as const, style: 'kev' })),
    { vendor: 'any' as const, kind: 'rss' as const, style: 'cisa-rss' },
  ];
  return Array.from({ length: n }, (_, s) => ({ ...base[s % base.length]!, id: `bench-${String(s).padStart(2, '0')}-${base[s % base.length]!.style}` }));
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const LOREM = 'The team observed the activity across several customer networks and published indicators of compromise, '
  + 'detection names and the versions affected. Administrators should review the affected versions listed below and the '
  + 'vendor knowledge-base article before planning the change window.';
const ESET_PRODUCTS = ['ESET Endpoint Security', 'ESET PROTECT', 'ESET Server Security', 'ESET Mail Security'];
const SYM_PRODUCTS = ['Symantec Endpoint Protection', 'Symantec Endpoint Protection Manager', 'Symantec Messaging Gateway', 'Symantec Data Loss Prevention'];

function pubDate(now: Date, s: number, i: number): Date {
  return new Date(now.getTime() - (s * 7 + i * 37) * 60_000 - 3_600_000);
}

function rssItem(title: string, link: string, guid: string, date: Date, description: string, categories: string[]): string {
  return `    <item>
      <title>${esc(title)}</title>
      <link>${link}</link>
      <guid isPermaLink="false">${guid}</guid>
      <pubDate>${date.toUTCString()}</pubDate>
${categories.map((c) => `      ${c}`).join('\n')}
      <description>${esc(`<p>${description}</p><p>${LOREM}</p>`)}</description>
    </item>`;
}

function rss(title: string, items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${title}</title>
    <link>https://bench.invalid/</link>
    <description>${title}</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

function feedBody(def: FeedDef, s: number, now: Date): { body: string; contentType: string } {
  const items: string[] = [];
  const n = itemsPerSource;
  if (def.style === 'eset-blog' || def.style === 'symantec-blog' || def.style === 'cisa-rss') {
    for (let i = 0; i < n; i++) {
      const level = levelOf(i);
      const product = (def.style === 'symantec-blog' ? SYM_PRODUCTS : def.style === 'eset-blog' ? ESET_PRODUCTS : i % 2 ? SYM_PRODUCTS : ESET_PRODUCTS)[i % 4]!;
      const cve = `CVE-2026-${4_0000 + s * 100 + i}`;
      let title: string;
      let text: string;
      const cats: string[] = [];
      if (def.style === 'symantec-blog') {
        title = level === 'info' ? `Threat Hunter Team: campaign ${s}-${i} targets ${i % 2 ? 'finance' : 'government'} networks` : `${product} security update ${s}.${i} (${cve})`;
        text = level === 'info' ? 'Symantec\'s Threat Hunter Team observed a new campaign.' : `A vulnerability in ${product} was fixed.`;
        cats.push(`<category>${level === 'info' ? 'Threat Intelligence' : 'Product Insights'}</category>`);
        if (level !== 'info') cats.push(`<category domain="severity">${level === 'critical' ? 'Critical' : level === 'high' ? 'High' : level === 'medium' ? 'Medium' : 'Low'}</category>`);
      } else {
        const score = { critical: '9.8', high: '7.8', medium: '5.5', low: '3.1', info: '' }[level];
        title = level === 'critical' ? `Critical vulnerability in ${product} ${s}.${i} fixed (${cve})`
          : level === 'info' ? `${def.style === 'cisa-rss' ? product + ': ' : ''}Research notes ${s}-${i}: a look at a phishing wave in Latin America`
          : `${product} ${s}.${i}: ${cve} fixed`;
        text = level === 'info' ? 'Our researchers describe a phishing wave.'
          : level === 'low' ? `Severity: Low. ${cve} affects ${product}.`
          : `${cve} affects ${product}. CVSS v3.1 base score of ${score}.`;
        cats.push(`<category>${level === 'info' ? 'Research' : 'Vulnerabilities'}</category>`);
      }
      items.push(rssItem(title, `https://bench.invalid/${def.id}/${i}`, `${def.id}-${i}`, pubDate(now, s, i), text, cats));
    }
    return { body: rss(def.id, items), contentType: 'application/rss+xml; charset=utf-8' };
  }
  if (def.style === 'eset-atom') {
    const entries = Array.from({ length: n }, (_, i) => {
      const level = levelOf(i);
      const product = ESET_PRODUCTS[i % 4]!;
      const vector = { critical: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', high: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }[level as 'critical' | 'high'];
      const cat = level === 'info' || level === 'critical' || level === 'high' ? ''
        : `\n    <category term="${level}" label="${level === 'medium' ? 'Medium' : 'Low'}" scheme="severity"/>`;
      const summary = vector ? `A vulnerability in ${product} was fixed. Vector: ${vector}` : `${product} ${level === 'info' ? 'release notes' : 'issue fixed'}.`;
      return `  <entry>
    <id>urn:bench:${def.id}:${i}</id>
    <title>${level === 'info' ? `${product} ${s}.${i} release notes` : `CA${s}${String(i).padStart(3, '0')}: issue in ${product} fixed`}</title>
    <link href="https://bench.invalid/${def.id}/${i}"/>
    <published>${pubDate(now, s, i).toISOString()}</published>
    <summary type="html">${esc(`<p>${summary}</p><p>${LOREM}</p>`)}</summary>
    <category term="customer-advisory" label="Customer Advisory"/>${cat}
  </entry>`;
    });
    return {
      body: `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <title>${def.id}</title>\n  <id>urn:bench:${def.id}</id>\n  <updated>${now.toISOString()}</updated>\n${entries.join('\n')}\n</feed>\n`,
      contentType: 'application/atom+xml',
    };
  }
  if (def.style === 'broadcom') {
    const list = Array.from({ length: n }, (_, i) => {
      const level = levelOf(i);
      const product = SYM_PRODUCTS[i % 4]!;
      const id = 90_000 + s * 100 + i;
      return {
        documentId: `SYMSA${id}`, notificationId: id, title: `${product} vulnerability ${s}.${i}`,
        ...(level === 'info' ? {} : { severity: level.toUpperCase() }),
        affectedCve: `CVE-2026-${50_000 + s * 100 + i}`, supportProducts: product,
        published: DateTime.fromJSDate(pubDate(now, s, i), { zone: 'UTC' }).toFormat('d MMMM yyyy'),
        status: 'OPEN', notificationUrl: `https://bench.invalid/${def.id}/${i}`,
        workAround: `Upgrade ${product} to the latest release update.`,
      };
    });
    return { body: JSON.stringify({ success: true, data: { pageNumber: 0, pageSize: n, totalRecords: n, list } }), contentType: 'application/json' };
  }
  // KEV: a catalogue whose ESET/Symantec entries are ours (plus some of other vendors, filtered out by the parser).
  const vulnerabilities = Array.from({ length: n }, (_, i) => {
    const eset = i % 2 === 0;
    const id = `CVE-2026-${60_000 + s * 100 + i}`;
    return {
      cveID: id, vendorProject: eset ? 'ESET' : 'Broadcom', product: eset ? 'Endpoint Security for Windows' : 'Symantec Endpoint Protection',
      vulnerabilityName: `${eset ? 'ESET Endpoint Security' : 'Symantec Endpoint Protection'} vulnerability ${s}.${i}`,
      dateAdded: pubDate(now, s, i).toISOString().slice(0, 10),
      shortDescription: `The product contains a vulnerability (${id}) that allows an attacker to escalate privileges.`,
      requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
      dueDate: '2026-12-31', knownRansomwareCampaignUse: i % 5 === 0 ? 'Known' : 'Unknown', notes: '', cwes: ['CWE-427'],
    };
  });
  return { body: JSON.stringify({ title: 'CISA KEV (bench)', catalogVersion: 'bench', count: n, vulnerabilities }), contentType: 'application/json' };
}

// ---------------------------------------------------------------------------------------------------------------
// The registry: 45% ESET only, 45% Symantec only, 10% both; 4 designated contacts each (for both: two for both
// vendors, one per vendor); 70% Spanish; 10% want low-risk advisories at once instead of the digest.

function registryData(now: Date): RegistryData {
  const expires = (c: number): string => DateTime.fromJSDate(now, { zone: ZONE }).plus({ days: 30 + (c % 700) }).toISODate()!;
  const customers: Customer[] = Array.from({ length: customerCount }, (_, c) => {
    const id = `cust-${String(c).padStart(4, '0')}`;
    const kind = c % 20 < 9 ? 'eset' : c % 20 < 18 ? 'symantec' : 'both';
    const products: ProductHolding[] = [];
    if (kind !== 'symantec') products.push({ vendor: 'eset', product: ESET_PRODUCTS[c % 2]!, maintenanceExpires: expires(c) });
    if (kind !== 'eset') products.push({ vendor: 'symantec', product: SYM_PRODUCTS[c % 2]!, maintenanceExpires: expires(c + 11) });
    const titles = products.map((p) => p.product);
    const contacts: Contact[] = Array.from({ length: CONTACTS }, (_, k) => ({
      id: `${id}-c${k + 1}`, name: `Contacto ${k + 1} de Cliente ${c}`, email: `contact${k + 1}@cust${c}.bench.invalid`,
      language: (c * CONTACTS + k) % 10 < 7 ? 'es' : 'en',
      products: kind === 'both' && k >= 2 ? [titles[k - 2]!] : titles,
    }));
    return {
      id, name: `Cliente ${c} S.A.`, plan: kind === 'both' ? 'premium' : 'managed', timezone: ZONE, products, contacts,
      advisoryDelivery: c % 10 === 3 ? 'immediate' : 'digest', language: 'es', createdAt: now.toISOString(),
    };
  });
  return { version: 1, customers, agents: [] };
}

// ---------------------------------------------------------------------------------------------------------------

interface RunResult {
  pollMs: number;
  /** CPU time (user + system) of the poll and of the digest, ms. */
  pollCpuMs: number;
  digestCpuMs: number;
  /** From the start of the poll to the relay pass opened (fetch, parse, classify, store). */
  fetchStoreMs: number | null;
  /** The longest the event loop waited during the poll, ms. */
  maxLoopStallMs: number;
  advisories: number;
  risk: Record<string, number>;
  passes: number;
  /** Delivery rows of the pass: one per customer mailed. */
  passDeliveries: number;
  /** Advisory × contact deliveries the pass's mails hold (what used to be one relay record and one mail each). */
  atOnceItems: number;
  /** Advisories waiting for their digest (below high): their audience is worked out at the digest hour. */
  digestBound: number;
  queuedAfterPoll: number;
  mailKbAvg: number;
  mailKbMax: number;
  /** The database file and its WAL after the poll, MB. */
  dbMb: number;
  peakRssMbBefore: number;
  peakRssMbAfterPoll: number;
  digestMs: number;
  digestMessages: number;
  digestDeliveries: number;
  digestItems: number;
  peakRssMbAfterDigest: number;
  sources: { ok: number; errors: number };
}

const maxRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function startFeedServer(now: Date): Promise<{ server: Server; port: number; defs: FeedDef[] }> {
  const defs = feedDefs(sourceCount);
  const bodies = new Map(defs.map((d, s) => [`/${d.id}`, feedBody(d, s, now)]));
  const server = createServer((req, res) => {
    const feed = bodies.get(req.url ?? '');
    if (!feed) return void res.writeHead(404).end();
    req.resume();
    res.writeHead(200, { 'content-type': feed.contentType, etag: `"${req.url}"` }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, defs };
}

async function oneRun(): Promise<RunResult> {
  const now = systemClock();
  const dir = mkdtempSync(join(tmpdir(), 'xpears-adv-bench-'));
  const { server, port, defs } = await startFeedServer(now);
  try {
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(registryData(now)));
    const sources = defs.map((d) => ({
      id: d.id, vendor: d.vendor, kind: d.kind, url: `http://127.0.0.1:${port}/${d.id}`, schedule: '7 * * * *',
      ...(d.kind === 'broadcom-json' ? { body: '{"pageNumber":0,"pageSize":50,"productFilter":["Symantec"]}' } : {}),
    }));
    const config = collectorConfigSchema.parse({ dataDir: dir, listen: { address: '127.0.0.1', port: 0 }, advisories: { sources } });
    // A logger that is silent but notes when the relay pass was opened (the line between "fetch…store" and "relay").
    let openedAt: number | null = null;
    const logger = timingLogger(silentLogger(), (msg) => { if (msg === 'advisory pass opened') openedAt = performance.now(); });
    const services = await openCollectorServices(config, { logger, clock: systemClock });
    const db = services.db;
    const peakRssMbBefore = maxRssMb();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    // CPU time beside the wall time: on a shared host the wall time says more about the neighbours than about the poll.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await services.advisories.poll({ now });
    const t1 = performance.now();
    const pollCpuMs = cpuMsSince(c0);
    loop.disable();
    const peakRssMbAfterPoll = maxRssMb();
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const risk: Record<string, number> = {};
    for (const a of report.advisories) risk[a.risk] = (risk[a.risk] ?? 0) + 1;
    const passes = count('SELECT COUNT(*) FROM advisory_passes');
    const passDeliveries = count("SELECT COUNT(*) FROM advisory_deliveries WHERE kind = 'pass'");
    const items = (kind: string): number => count(`SELECT COALESCE(SUM(json_extract(r.value, '$.items')), 0) FROM advisory_deliveries d, json_each(d.recipients) r WHERE d.kind = '${kind}'`);
    const atOnceItems = items('pass');
    const digestBound = count('SELECT COUNT(*) FROM advisories WHERE digest_date IS NOT NULL');
    const queuedAfterPoll = count('SELECT COUNT(*) FROM notify_outbox');
    const mailKbAvg = Math.round(count('SELECT COALESCE(AVG(length(body_text)), 0) FROM notify_outbox') / 102.4) / 10;
    const mailKbMax = Math.round(count('SELECT COALESCE(MAX(length(body_text)), 0) FROM notify_outbox') / 102.4) / 10;
    const size = (f: string): number => { try { return statSync(f).size; } catch { return 0; } };
    const dbFile = join(dir, 'collector.db');
    const dbMb = Math.round((size(dbFile) + size(`${dbFile}-wal`)) / 1e6);
    // The next digest hour after the poll: the digest date the poll's entries went to, at the configured hour.
    const digestDate = digestDateFor(now, config.advisories.digest);
    const digestAt = DateTime.fromISO(digestDate, { zone: config.advisories.digest.zone }).set({ hour: config.advisories.digest.hour, minute: 0 }).plus({ minutes: 1 }).toJSDate();
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    const digests = withDigest ? await services.advisories.sendDigests(digestAt) : { messages: [] };
    const t3 = performance.now();
    const digestCpuMs = cpuMsSince(c2);
    const result: RunResult = {
      pollMs: Math.round(t1 - t0), pollCpuMs, digestCpuMs, fetchStoreMs: openedAt === null ? null : Math.round((openedAt as number) - t0),
      maxLoopStallMs: Math.round(loop.max / 1e6),
      advisories: report.advisories.length, risk, passes, passDeliveries, atOnceItems, digestBound, queuedAfterPoll,
      mailKbAvg, mailKbMax, dbMb,
      peakRssMbBefore, peakRssMbAfterPoll, digestMs: Math.round(t3 - t2), digestMessages: digests.messages.length,
      digestDeliveries: count("SELECT COUNT(*) FROM advisory_deliveries WHERE kind = 'digest'"), digestItems: items('digest'),
      peakRssMbAfterDigest: maxRssMb(),
      sources: { ok: report.sources.filter((s) => s.outcome === 'ok').length, errors: report.sources.filter((s) => s.outcome === 'error').length },
    };
    const failed = report.sources.filter((s) => s.outcome === 'error');
    if (failed.length > 0) console.error('failed sources:', failed);
    await services.advisories.stop();
    services.close();
    return result;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** User + system CPU time of this process since `start`, in ms. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

// pino's child() is what the services call: wrap the root so that each child's info() reports its message too.
type BenchLogger = ReturnType<typeof silentLogger>;
function timingLogger(root: BenchLogger, onInfo: (msg: string) => void): BenchLogger {
  const wrap = (l: BenchLogger): BenchLogger => new Proxy(l, {
    get(target, prop, receiver) {
      if (prop === 'child') return (...args: Parameters<BenchLogger['child']>) => wrap(target.child(...args) as unknown as BenchLogger);
      if (prop === 'info') {
        return (...args: unknown[]) => {
          const msg = args.find((a) => typeof a === 'string');
          if (typeof msg === 'string') onInfo(msg);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return wrap(root);
}

function describe(r: RunResult): string {
  const mix = ['critical', 'high', 'medium', 'low', 'info'].map((k) => `${k} ${r.risk[k] ?? 0}`).join(', ');
  return [
    `  poll (fetch + parse + classify + store + relay pass): ${(r.pollMs / 1000).toFixed(2)} s (CPU ${(r.pollCpuMs / 1000).toFixed(2)} s)`
      + (r.fetchStoreMs === null ? '' : ` (fetch…store ${(r.fetchStoreMs / 1000).toFixed(2)} s, relay pass ${((r.pollMs - r.fetchStoreMs) / 1000).toFixed(2)} s)`)
      + ` — target < ${TARGET_MS / 1000} s: ${r.pollMs < TARGET_MS ? 'met' : 'NOT met'}; longest event-loop stall ${r.maxLoopStallMs} ms`,
    `  sources ok ${r.sources.ok}, failed ${r.sources.errors}; advisories new ${r.advisories} (${mix})`,
    `  relay: ${r.passes} pass, ${r.passDeliveries} delivery rows (pass × customer) holding ${r.atOnceItems} advisory × contact deliveries; ${r.digestBound} advisories bound for the digest`,
    `  mails queued by the poll ${r.queuedAfterPoll} (body ${r.mailKbAvg} KB on average, ${r.mailKbMax} KB at most); database + WAL ${r.dbMb} MB`,
    `  peak RSS: ${r.peakRssMbBefore} MB before the poll, ${r.peakRssMbAfterPoll} MB after it, ${r.peakRssMbAfterDigest} MB after the digest`,
    `  sendDigests at the next digest hour: ${(r.digestMs / 1000).toFixed(2)} s (CPU ${(r.digestCpuMs / 1000).toFixed(2)} s), ${r.digestMessages} digest mails queued, ${r.digestDeliveries} delivery rows holding ${r.digestItems} advisory × contact entries`,
  ].join('\n');
}

function runChild(): Promise<RunResult | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, 'run'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => { console.log(`run still going after ${timeoutS} s: stopping it`); child.kill('SIGTERM'); }, timeoutS * 1000);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('close', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RUN '));
      resolve(line ? (JSON.parse(line.slice(4)) as RunResult) : null);
    });
  });
}

async function main(): Promise<void> {
  printMachine();
  console.log(`advisories: ${sourceCount} local sources × ${itemsPerSource} items → ${customerCount} customers × ${CONTACTS} contacts, mix ${infoOnly ? 'all informational' : 'default (42% critical/high)'}, ${runs} runs`);
  const results: RunResult[] = [];
  for (let i = 1; i <= runs; i++) {
    const r = await runChild();
    if (!r) {
      console.log(`run ${i}: FAILED`);
      process.exitCode = 1;
      continue;
    }
    console.log(`run ${i} (${loadLine()} at its end):\n${describe(r)}`);
    results.push(r);
  }
  for (const [i, r] of results.entries()) {
    console.log(`RESULT advisories run ${i + 1}: poll ${(r.pollMs / 1000).toFixed(2)} s (CPU ${(r.pollCpuMs / 1000).toFixed(2)} s), ${r.queuedAfterPoll} mails queued, ${r.passDeliveries} delivery rows (${r.atOnceItems} advisory × contact), peak RSS ${r.peakRssMbAfterPoll} MB; digest ${(r.digestMs / 1000).toFixed(2)} s (CPU ${(r.digestCpuMs / 1000).toFixed(2)} s; ${r.digestMessages} mails, ${r.digestItems} entries), peak RSS ${r.peakRssMbAfterDigest} MB`);
  }
}

if (process.argv[2] === 'run') {
  const r = await oneRun();
  console.log(`RUN ${JSON.stringify(r)}`);
} else {
  await main();
}
