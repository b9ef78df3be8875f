// The advisory service end to end: a real local HTTP server serving the fixture feeds, a real SQLite file in a temp
// dir, the real notification outbox behind a queue that counts what it is given, a registry of four customers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cron from 'node-cron';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { NotificationQueue, OutgoingMessage } from '../notify/types.js';
import type { Customer, RegistryReader } from '../registry/types.js';
import { openDatabase, type Db } from '../store/db.js';
import { startFeedServer, type FeedRoute, type FeedServer } from '../../test/fixtures/feeds/feed-server.js';
import { approveAdvisoryCommand, dropAdvisoryCommand, listAdvisoriesCommand, pollAdvisoriesCommand, showAdvisoryCommand, advisorySourcesCommand } from './commands.js';
import { parseAdvisoriesConfig, type AdvisoriesConfigInput } from './config.js';
import { AdvisoryService } from './service.js';

const NOW = '2026-11-20T13:00:00Z'; // 10:00 in Buenos Aires; the digest hour is 08:00
const NEXT_DIGEST = new Date('2026-11-21T11:00:00Z');

const contact = (id: string, language: 'es' | 'en', products: string[]) => ({ id, name: id.toUpperCase(), email: `${id}@example.test`, language, products });
const CUSTOMERS: Customer[] = [
  { id: 'acme', name: 'Acme SA', plan: 'basic', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest', language: 'es', createdAt: NOW,
    products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2027-06-30' }],
    contacts: [contact('ana', 'es', ['ESET PROTECT Entry']), contact('bob', 'en', ['Other title'])] },
  { id: 'globex', name: 'Globex', plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest', language: 'en', createdAt: NOW,
    products: [{ vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-03-31' }],
    contacts: [contact('carla', 'en', ['Symantec Endpoint Protection'])] },
  { id: 'oldco', name: 'OldCo', plan: 'basic', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'immediate', language: 'es', createdAt: NOW,
    products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2026-10-31' }],
    contacts: [contact('dan', 'es', [])] },
  { id: 'initech', name: 'Initech', plan: 'premium', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'immediate', language: 'en', createdAt: NOW,
    products: [{ vendor: 'eset', product: 'ESET Endpoint Security', maintenanceExpires: '2027-01-31' }],
    contacts: [contact('eve', 'en', [])] },
];
const registry: RegistryReader = {
  getCustomer: (id) => CUSTOMERS.find((c) => c.id === id),
  listCustomers: () => CUSTOMERS,
  getAgent: () => undefined,
  listAgents: () => [],
};

/** The real outbox, counting what it is handed. */
class CountingQueue implements NotificationQueue {
  readonly calls: OutgoingMessage[] = [];
  constructor(private readonly inner: NotificationQueue) {}
  enqueue(message: OutgoingMessage): string {
    this.calls.push(message);
    return this.inner.enqueue(message);
  }
}

const ROUTES: Record<string, FeedRoute> = {
  '/wls': { file: 'welivesecurity.rss.xml' },
  '/eset-support': { file: 'eset-support.atom.xml', contentType: 'application/atom+xml' },
  '/symantec': { file: 'symantec-blogs.rss.xml' },
  '/broadcom': { file: 'broadcom-advisories.json', contentType: 'application/json' },
  '/kev': { file: 'cisa-kev.json', contentType: 'application/json' },
  '/cisa': { file: 'cisa-advisories.rss.xml' },
  '/latin1': { file: 'welivesecurity-latin1.rss.xml', contentType: 'application/rss+xml' },
  '/malformed': { file: 'malformed.rss.xml' },
  '/slow': { hang: true },
  '/etag': { file: 'symantec-blogs.rss.xml', etag: '"abc"' },
};

let dir: string;
let server: FeedServer;
let db: Db;
const services: AdvisoryService[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-advisories-'));
  server = await startFeedServer(ROUTES);
  db = openDatabase(join(dir, 'collector.db'));
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  db.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type SourceInput = NonNullable<AdvisoriesConfigInput['sources']>[number];
const src = (id: string, path: string, vendor: SourceInput['vendor'], kind: SourceInput['kind'], extra: Partial<SourceInput> = {}): SourceInput =>
  ({ id, vendor, kind, url: server.url(path), schedule: '*/5 * * * *', ...extra });
const allSources = () => [
  src('wls', '/wls', 'eset', 'rss'), src('eset-support', '/eset-support', 'eset', 'atom'),
  src('symantec', '/symantec', 'symantec', 'rss'), src('broadcom', '/broadcom', 'symantec', 'broadcom-json', { productFilter: ['Symantec'], body: '{}' }),
  src('kev', '/kev', 'any', 'cisa-kev'), src('cisa', '/cisa', 'any', 'rss'),
];

function build(over: Partial<AdvisoriesConfigInput> = {}, database: Db = db, metrics?: Registry) {
  const clock = fixedClock(NOW);
  const queue = new CountingQueue(new NotificationOutbox({ db: database, clock, logger: silentLogger() }));
  const config = parseAdvisoriesConfig({ sources: allSources(), timeoutMs: 1500, ...over });
  const service = new AdvisoryService({ db: database, clock, registry, queue, config, logger: silentLogger(), metrics });
  services.push(service);
  return { service, queue, clock };
}
const to = (queue: CountingQueue) => queue.calls.map((m) => m.to[0]);

describe('AdvisoryService.poll', () => {
  it('classifies every source kind and relays by vendor, maintenance and risk', async () => {
    const { service, queue } = build();
    const report = await service.poll();
    expect(report.sources.map((s) => `${s.sourceId}:${s.outcome}`)).toEqual(
      ['wls:ok', 'eset-support:ok', 'symantec:ok', 'broadcom:ok', 'kev:ok', 'cisa:ok']);
    const find = (part: string) => {
      const a = report.advisories.find((x) => x.title.includes(part));
      if (!a) throw new Error(`no advisory like ${part}`);
      return a;
    };
    expect(find('Remote Code Execution')).toMatchObject({ vendor: 'symantec', risk: 'critical', riskSource: 'severity-field', state: 'relayed' });
    expect(find('Remote Code Execution').recipients.map((r) => `${r.contactId}:${r.mode}`)).toEqual(['carla:immediate']);
    expect(find('CVE-2024-11859')).toMatchObject({ vendor: 'eset', risk: 'high', riskSource: 'kev', kind: 'vulnerability' });
    // ESET: ana (designated for the title) and eve (Initech's general contact); never bob, never dan (expired), never carla.
    expect(find('CVE-2024-11859').recipients.map((r) => r.contactId)).toEqual(['ana', 'eve']);
    expect(find('Symantec Messaging Gateway appliance')).toMatchObject({ risk: 'critical', riskSource: 'cvss-score' });
    expect(find('spyware')).toMatchObject({ risk: 'info', riskSource: 'default' });
    expect(find('look back at 2025').state).toBe('dropped');
    expect(report.advisories.some((a) => a.title.includes('vCenter') || a.title.includes('Acme') || a.title.includes('PAN-OS'))).toBe(false);

    const esetIds = new Set(report.advisories.filter((a) => a.vendor === 'eset').map((a) => a.id));
    for (const m of queue.calls) {
      const esetMail = esetIds.has(m.subjectRef?.id ?? '');
      expect(esetMail ? ['ana@example.test', 'eve@example.test'] : ['carla@example.test']).toContain(m.to[0]);
    }
    expect(to(queue)).not.toContain('dan@example.test');
    expect(to(queue)).not.toContain('bob@example.test');
    // Ana reads Spanish; the level is in words, with the link and what to do.
    const anaKev = queue.calls.find((m) => m.to[0] === 'ana@example.test' && m.message.subject.includes('CVE-2024-11859'));
    expect(anaKev?.message.subject).toContain('riesgo ALTO');
    expect(anaKev?.message.text).toContain('https://nvd.nist.gov/vuln/detail/CVE-2024-11859');
    expect(anaKev?.message.text).toContain('Qué hacer:');
    const carla = queue.calls.find((m) => m.to[0] === 'carla@example.test' && m.message.subject.includes('Remote Code Execution'));
    expect(carla?.message.text).toContain('Risk level: CRITICAL (level published by the vendor)');
    expect(carla?.message.text).toContain('Upgrade Symantec Endpoint Protection Manager to 14.3 RU10 or later.');
  });

  it('relays nothing on a second poll of the same content, nor after a restart on the same file', async () => {
    const first = build();
    await first.service.poll();
    const sent = first.queue.calls.length;
    expect(sent).toBeGreaterThan(0);
    const again = await first.service.poll();
    expect(again.sources.every((s) => s.outcome === 'ok' && s.fresh === 0)).toBe(true);
    expect(again.advisories).toEqual([]);
    expect(first.queue.calls.length).toBe(sent);

    await first.service.stop();
    db.close();
    db = openDatabase(join(dir, 'collector.db'));
    const second = build({}, db);
    const report = await second.service.poll();
    expect(report.advisories).toEqual([]);
    // Digest entries routed before the restart still go out once, from the new process.
    const digests = second.service.sendDigests(NEXT_DIGEST);
    expect(digests.messages.length).toBeGreaterThan(0);
    expect(second.service.sendDigests(NEXT_DIGEST).messages).toEqual([]);
    expect(second.queue.calls.every((m) => m.subjectRef?.kind === 'digest')).toBe(true);
  });

  it('treats a 304 as nothing new and keeps the source healthy', async () => {
    const { service } = build({ sources: [src('etag', '/etag', 'symantec', 'rss')] });
    expect((await service.poll()).sources[0]).toMatchObject({ outcome: 'ok', fresh: 2 });
    const second = await service.poll({ sourceId: 'etag', now: new Date('2026-11-20T14:00:00Z') });
    expect(second.sources[0]).toMatchObject({ outcome: 'not-modified', fresh: 0 });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"abc"');
    expect(service.sourceStatus()[0]).toMatchObject({ lastOkAt: '2026-11-20T14:00:00.000Z', consecutiveFailures: 0, lastError: null });
  });

  it('reads an ISO-8859-1 feed served without a charset', async () => {
    const { service } = build({ sources: [src('latin1', '/latin1', 'eset', 'rss')] });
    await service.poll();
    expect(service.list().map((a) => a.title)).toEqual(['Campaña de phishing suplanta a bancos de Latinoamérica']);
  });

  it('times out a slow source and still polls the others; reports malformed XML without failing the poll', async () => {
    const metrics = new Registry();
    const { service } = build({ timeoutMs: 300, sources: [src('slow', '/slow', 'eset', 'rss'), src('broken', '/malformed', 'eset', 'rss'), src('wls', '/wls', 'eset', 'rss')] }, db, metrics);
    const report = await service.poll();
    const by = Object.fromEntries(report.sources.map((s) => [s.sourceId, s]));
    expect(by.slow).toMatchObject({ outcome: 'error', reason: 'timeout' });
    expect(by.broken).toMatchObject({ outcome: 'error', reason: 'FeedFormatError' });
    expect(by.wls).toMatchObject({ outcome: 'ok', fresh: 4 });
    await service.poll();
    const status = Object.fromEntries(service.sourceStatus().map((s) => [s.sourceId, s]));
    expect(status.slow).toMatchObject({ consecutiveFailures: 2, lastOkAt: null });
    expect(status.slow?.lastError).toMatch(/^timeout: /);
    expect(status.wls).toMatchObject({ consecutiveFailures: 0 });
    const text = await metrics.metrics();
    expect(text).toContain('xpears_advisory_fetches_total{source="slow",outcome="error"} 2');
    expect(text).toContain('xpears_advisory_source_consecutive_failures{source="broken"} 2');
    expect(advisorySourcesCommand(service)[0]).toMatchObject({ failures: 2 });
  });
});

describe('daily digest', () => {
  it('gathers a day of low-risk items into one mail per contact', async () => {
    const { service, queue } = build({ sources: [src('wls', '/wls', 'eset', 'rss'), src('symantec', '/symantec', 'symantec', 'rss')] });
    await service.poll();
    // Initech asked for immediate delivery: its contact got each ESET item at once; Acme's and Globex's wait.
    expect(to(queue).filter((t) => t === 'eve@example.test')).toHaveLength(3);
    expect(to(queue)).not.toContain('ana@example.test');
    expect(service.sendDigests(new Date('2026-11-21T10:59:00Z')).messages).toEqual([]);
    const report = service.sendDigests(NEXT_DIGEST);
    expect(report.messages.map((m) => `${m.contactId}:${m.items}:${m.date}`).sort()).toEqual(['ana:3:2026-11-21', 'carla:2:2026-11-21']);
    const ana = queue.calls.filter((m) => m.to[0] === 'ana@example.test');
    expect(ana).toHaveLength(1);
    expect(ana[0]?.message.subject).toBe('[Resumen diario] 3 avisos de fabricantes · 2026-11-21');
    expect(ana[0]?.message.text).toContain('[INFORMATIVO] ESET: ESET Research uncovers a new Android spyware campaign');
    expect(ana[0]?.message.text).not.toContain('look back at 2025');
    expect(queue.calls.find((m) => m.to[0] === 'carla@example.test')?.message.text).toContain('[LOW] Symantec (Broadcom)');
    expect(service.sendDigests(new Date('2026-11-22T11:00:00Z')).messages).toEqual([]);
  });
});

describe('review and commands', () => {
  it('holds the configured levels until approved; a dropped one is never sent', async () => {
    const { service, queue } = build({ holdForReview: ['critical'], sources: [src('broadcom', '/broadcom', 'symantec', 'broadcom-json', { productFilter: ['Symantec'] }), src('kev', '/kev', 'any', 'cisa-kev')] });
    const polled = await pollAdvisoriesCommand(service);
    const held = polled.advisories.filter((a) => a.state === 'held');
    expect(held.map((a) => a.title).sort()).toEqual([
      'CVE-2026-42002: Symantec Messaging Gateway Improper Authentication Vulnerability',
      'Symantec Endpoint Protection Manager Remote Code Execution Vulnerability',
    ]);
    expect(held.every((a) => a.recipients.length === 0)).toBe(true);
    expect(listAdvisoriesCommand(service, { state: 'held' })).toHaveLength(2);
    const [rce, smg] = [held.find((a) => a.title.includes('Remote'))!, held.find((a) => a.title.includes('Messaging'))!];
    const carlaBefore = to(queue).filter((t) => t === 'carla@example.test').length;

    const approved = approveAdvisoryCommand(service, rce.id, 'l2.engineer');
    expect(approved).toEqual({ id: rce.id, state: 'relayed', recipients: ['carla@example.test (globex, en, immediate)'] });
    expect(to(queue).filter((t) => t === 'carla@example.test')).toHaveLength(carlaBefore + 1);
    expect(() => approveAdvisoryCommand(service, rce.id, 'l2.engineer')).toThrow(/not held/);

    expect(dropAdvisoryCommand(service, smg.id, 'l2.engineer', 'not applicable to SEP')).toEqual({ id: smg.id, state: 'dropped', dropReason: 'not applicable to SEP' });
    await service.poll();
    expect(queue.calls.some((m) => m.subjectRef?.id === smg.id)).toBe(false);
    expect(showAdvisoryCommand(service, rce.id)).toMatchObject({ state: 'relayed', decidedBy: 'l2.engineer', recipients: [expect.stringMatching(/^carla@example.test .*immediate/)] });
    expect(showAdvisoryCommand(service, smg.id)).toMatchObject({ state: 'dropped', dropReason: 'not applicable to SEP', recipients: [] });
  });

  it('polls one source on demand and rejects unknown sources and filters', async () => {
    const { service } = build();
    const out = await pollAdvisoriesCommand(service, { source: 'broadcom' });
    expect(out.sources).toEqual([{ source: 'broadcom', outcome: 'ok', items: 3, new: 2, skipped: 1, error: '' }]);
    expect(out.advisories.find((a) => a.risk === 'critical')?.recipients).toEqual(['carla@example.test (globex, en, immediate)']);
    await expect(pollAdvisoriesCommand(service, { source: 'nope' })).rejects.toThrow(/no advisory source has the id "nope"/);
    expect(() => listAdvisoriesCommand(service, { risk: 'severe' })).toThrow(/--risk must be one of/);
    expect(() => showAdvisoryCommand(service, 'adv-0000000000')).toThrow(/no advisory has the id/);
    expect(listAdvisoriesCommand(service, { vendor: 'symantec' }).map((r) => r.risk).sort()).toEqual(['critical', 'medium']);
  });
});

describe('failures and schedules', () => {
  it.each([true, false])('a queue that fails halfway loses nothing and sends nothing twice (queue shares the db: %s)', async (shared) => {
    const clock = fixedClock(NOW);
    const outbox = new NotificationOutbox({ db, clock, logger: silentLogger() });
    let calls = 0;
    const flaky: NotificationQueue = {
      enqueue(message) {
        calls += 1;
        if (calls === 2) throw new Error('disk full');
        return outbox.enqueue(message);
      },
    };
    const config = parseAdvisoriesConfig({ sources: [src('broadcom', '/broadcom', 'symantec', 'broadcom-json', { productFilter: ['Symantec'] }), src('kev', '/kev', 'any', 'cisa-kev')] });
    const service = new AdvisoryService({ db, clock, registry, queue: flaky, config, logger: silentLogger(), queueSharesDb: shared });
    services.push(service);
    await expect(service.poll()).rejects.toThrow('disk full');
    await service.poll();
    const keys = db.prepare("SELECT dedup_key FROM notify_outbox WHERE ref_kind = 'advisory' ORDER BY dedup_key").pluck().all() as string[];
    // RCE → carla; KEV ESET → ana, eve; KEV SMG (ransomware, critical) → carla: four mails, each once.
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect(keys.filter((k) => k.endsWith(':acme:ana'))).toHaveLength(1);
    const states = db.prepare("SELECT DISTINCT state FROM advisory_relays WHERE mode = 'immediate'").pluck().all();
    expect(states).toEqual(['queued']);
  });

  it('schedules each enabled source and the digest, sends overdue digests at start, and unschedules on stop', async () => {
    const { service, queue, clock } = build({ sources: [src('wls', '/wls', 'eset', 'rss'), src('off', '/symantec', 'symantec', 'rss', { enabled: false })] });
    await service.poll();
    clock.set(NEXT_DIGEST);
    const names = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n?.startsWith('advisories:')).sort();
    service.start();
    expect(names()).toEqual(['advisories:digest', 'advisories:wls']);
    // The digest due while the collector was down goes out at start.
    expect(queue.calls.filter((m) => m.subjectRef?.kind === 'digest').map((m) => m.to[0])).toEqual(['ana@example.test']);
    await service.stop();
    expect(names()).toEqual([]);
  });
});
