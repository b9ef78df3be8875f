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
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
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
// The registry as the test leaves it: a test may change a customer between a poll and the digest.
let customers: Customer[] = CUSTOMERS;
const registry: RegistryReader = {
  getCustomer: (id) => customers.find((c) => c.id === id),
  listCustomers: () => customers,
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
  customers = CUSTOMERS;
  dir = mkdtempSync(join(tmpdir(), 'xpears-advisories-'));
  server = await startFeedServer(ROUTES);
  db = openCollectorDb(join(dir, 'collector.db'));
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
/** The one mail a contact was queued (fails when there are none or several). */
function mailTo(queue: CountingQueue, email: string): OutgoingMessage {
  const mails = queue.calls.filter((m) => m.to[0] === email);
  expect(mails, `mails to ${email}`).toHaveLength(1);
  return mails[0]!;
}
/** The advisory ids a mail lists (each advisory's reference), sorted. */
const listed = (m: OutgoingMessage): string[] => [...new Set(m.message.text.match(/adv-[0-9a-f]{10}/g) ?? [])].sort();

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

    // One pass, one mail per contact, listing what the contact receives at once: ana the urgent ESET ones, eve
    // (Initech takes every level at once) every ESET one, carla the urgent Symantec ones; bob, dan never.
    const ids = (filter: (a: (typeof report.advisories)[number]) => boolean) =>
      report.advisories.filter((a) => a.state === 'relayed' && filter(a)).map((a) => a.id).sort();
    const urgent = (a: { risk: string }) => a.risk === 'critical' || a.risk === 'high';
    expect(to(queue).sort()).toEqual(['ana@example.test', 'carla@example.test', 'eve@example.test']);
    // Routed by product (issue 19; these asserted every ESET advisory for ana and eve, routing by vendor): ESET
    // PROTECT Entry does not include ESET Mail Security; eve's ESET Endpoint Security includes neither the ESET
    // PROTECT console (its end of life) nor Server or Mail Security. Blog posts naming no product go to both.
    const mail = (a: { title: string }) => /Mail Security/i.test(a.title);
    const endpointOnly = (a: { title: string }) => !/Mail Security|Server Security|ESET PROTECT 10/i.test(a.title);
    expect(listed(mailTo(queue, 'ana@example.test'))).toEqual(ids((a) => a.vendor === 'eset' && urgent(a) && !mail(a)));
    expect(listed(mailTo(queue, 'eve@example.test'))).toEqual(ids((a) => a.vendor === 'eset' && endpointOnly(a)));
    // Carla holds only Symantec Endpoint Protection: the Messaging Gateway advisories (KEV, CISA) never reach her
    // (issue 19: this test asserted they did, routing by vendor).
    const sep = (a: { title: string }) => !/Messaging Gateway/i.test(a.title);
    expect(listed(mailTo(queue, 'carla@example.test'))).toEqual(ids((a) => a.vendor === 'symantec' && urgent(a) && sep(a)));
    expect(find('Symantec Messaging Gateway appliance').recipients).toEqual([]);
    expect(listed(mailTo(queue, 'ana@example.test'))).toHaveLength(2); // 3 before issue 19: the Mail Security update is not hers
    // Ana reads Spanish: the count and the highest level in the subject; each advisory's level in words, link, what to do.
    const ana = mailTo(queue, 'ana@example.test');
    expect(ana.message.subject).toBe('[Avisos de fabricantes] 2 avisos nuevos · riesgo máximo ALTO');
    expect(ana.message.text).toContain('[ALTO] ESET: CVE-2024-11859');
    expect(ana.message.text).toContain('https://nvd.nist.gov/vuln/detail/CVE-2024-11859');
    expect(ana.message.text).toContain('Qué hacer:');
    const carla = mailTo(queue, 'carla@example.test');
    // One advisory for her now (issue 19: the two Messaging Gateway ones were bundled with it): the single alert.
    expect(carla.message.subject).toMatch(/^\[Symantec \(Broadcom\) advisory · CRITICAL risk\] Symantec Endpoint Protection Manager Remote Code/);
    expect(carla.message.text).toContain('Risk level: CRITICAL (level published by the vendor)');
    expect(carla.message.text).toContain('Upgrade Symantec Endpoint Protection Manager to 14.3 RU10 or later.');
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
    db = openCollectorDb(join(dir, 'collector.db'));
    const second = build({}, db);
    const report = await second.service.poll();
    expect(report.advisories).toEqual([]);
    // Digest entries routed before the restart still go out once, from the new process.
    const digests = await second.service.sendDigests(NEXT_DIGEST);
    expect(digests.messages.length).toBeGreaterThan(0);
    expect((await second.service.sendDigests(NEXT_DIGEST)).messages).toEqual([]);
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
    // Initech asked for immediate delivery: its contact got the ESET items at once, in one mail; Acme's and Globex's wait.
    expect(listed(mailTo(queue, 'eve@example.test'))).toHaveLength(3);
    expect(to(queue)).toEqual(['eve@example.test']);
    expect((await service.sendDigests(new Date('2026-11-21T10:59:00Z'))).messages).toEqual([]);
    const report = await service.sendDigests(NEXT_DIGEST);
    expect(report.messages.map((m) => `${m.contactId}:${m.items}:${m.date}`).sort()).toEqual(['ana:3:2026-11-21', 'carla:2:2026-11-21']);
    const ana = queue.calls.filter((m) => m.to[0] === 'ana@example.test');
    expect(ana).toHaveLength(1);
    expect(ana[0]?.message.subject).toBe('[Resumen diario] 3 avisos de fabricantes · 2026-11-21');
    expect(ana[0]?.message.text).toContain('[INFORMATIVO] ESET: ESET Research uncovers a new Android spyware campaign');
    expect(ana[0]?.message.text).not.toContain('look back at 2025');
    expect(queue.calls.find((m) => m.to[0] === 'carla@example.test')?.message.text).toContain('[LOW] Symantec (Broadcom)');
    expect((await service.sendDigests(new Date('2026-11-22T11:00:00Z'))).messages).toEqual([]);
    // Eve had them at once: no digest for her.
    expect(to(queue).filter((t) => t === 'eve@example.test')).toHaveLength(1);
  });

  it('gathers the items of several polls of a day into one mail per contact', async () => {
    const { service, queue, clock } = build({ sources: [src('wls', '/wls', 'eset', 'rss'), src('eset-support', '/eset-support', 'eset', 'atom')] });
    await service.poll({ sourceId: 'wls' });
    clock.set(new Date('2026-11-20T20:00:00Z'));
    await service.poll({ sourceId: 'eset-support' });
    const report = await service.sendDigests(NEXT_DIGEST);
    // wls: three informational; eset-support: one medium, one informational (its two high ones went at once).
    expect(report.messages.map((m) => `${m.contactId}:${m.items}`)).toEqual(['ana:5']);
    const digest = queue.calls.filter((m) => m.to[0] === 'ana@example.test' && m.subjectRef?.kind === 'digest');
    expect(digest).toHaveLength(1);
    expect(digest[0]?.message.subject).toBe('[Resumen diario] 5 avisos de fabricantes · 2026-11-21');
    // Most severe first: the medium one leads.
    expect(digest[0]?.message.text.indexOf('[MEDIO]')).toBeLessThan(digest[0]?.message.text.indexOf('[INFORMATIVO]') ?? 0);
  });

  it('waits for a pass under way: a customer taking every level at once is not sent its advisories twice', async () => {
    customers = Array.from({ length: 60 }, (_, i): Customer => ({ ...CUSTOMERS[3]!, id: `c${String(i).padStart(2, '0')}`, contacts: [contact(`k${i}`, 'en', [])] }));
    const clock = fixedClock(NOW);
    const queue = new CountingQueue(new NotificationOutbox({ db, clock, logger: silentLogger() }));
    // The digest hour comes the moment the pass is opened, before its first customer.
    let digest: Promise<unknown> | undefined;
    const onInfo = (msg: unknown) => { if (msg === 'advisory pass opened') digest ??= service.sendDigests(NEXT_DIGEST); };
    const logger = new Proxy(silentLogger(), {
      get: (target, prop, receiver) => prop === 'child' ? () => logger
        : prop === 'info' ? (...args: unknown[]) => onInfo(args.find((a) => typeof a === 'string'))
          : Reflect.get(target, prop, receiver) as unknown,
    });
    const service = new AdvisoryService({ db, clock, registry, queue, logger, config: parseAdvisoriesConfig({ sources: [src('wls', '/wls', 'eset', 'rss')] }) });
    services.push(service);
    await service.poll();
    expect(digest).toBeDefined();
    await digest;
    expect(queue.calls).toHaveLength(60);
    expect(queue.calls.every((m) => m.subjectRef?.kind === 'advisory')).toBe(true);
  });

  it('works out the audience at the digest hour: expired maintenance gets nothing; what went at once is not repeated', async () => {
    const { service, queue } = build({ sources: [src('wls', '/wls', 'eset', 'rss')] });
    await service.poll();
    expect(to(queue)).toEqual(['eve@example.test']);
    // Before the digest hour Acme's maintenance ends (yesterday in its zone) and Initech switches to the digest;
    // a new ESET customer appears.
    const newcomer: Customer = { ...CUSTOMERS[0]!, id: 'newco', name: 'NewCo', contacts: [contact('nina', 'es', [])] };
    customers = [
      { ...CUSTOMERS[0]!, products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2026-11-20' }] },
      CUSTOMERS[1]!, CUSTOMERS[2]!, { ...CUSTOMERS[3]!, advisoryDelivery: 'digest' }, newcomer,
    ];
    const report = await service.sendDigests(NEXT_DIGEST);
    expect(report.messages.map((m) => `${m.contactId}:${m.items}`)).toEqual(['nina:3']);
    expect(to(queue).filter((t) => t === 'eve@example.test')).toHaveLength(1);
    expect(to(queue)).not.toContain('ana@example.test');
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

    const approved = await approveAdvisoryCommand(service, rce.id, 'l2.engineer');
    expect(approved).toEqual({ id: rce.id, state: 'relayed', recipients: ['carla@example.test (globex, en, immediate)'] });
    expect(to(queue).filter((t) => t === 'carla@example.test')).toHaveLength(carlaBefore + 1);
    // A pass of its own with one advisory: the single-advisory alert.
    expect(queue.calls.at(-1)?.message.subject).toBe('[Symantec (Broadcom) advisory · CRITICAL risk] Symantec Endpoint Protection Manager Remote Code Execution Vulnerability');
    expect(queue.calls.at(-1)?.dedupKey).toBe(`advisory:${rce.id}:globex:carla`);
    await expect(approveAdvisoryCommand(service, rce.id, 'l2.engineer')).rejects.toThrow(/not held/);

    expect(dropAdvisoryCommand(service, smg.id, 'l2.engineer', 'not applicable to SEP')).toEqual({ id: smg.id, state: 'dropped', dropReason: 'not applicable to SEP' });
    const sent = queue.calls.length;
    await service.poll();
    expect(queue.calls).toHaveLength(sent);
    expect(queue.calls.some((m) => m.message.text.includes(smg.id))).toBe(false);
    expect(showAdvisoryCommand(service, rce.id)).toMatchObject({ state: 'relayed', decidedBy: 'l2.engineer', recipients: ['carla@example.test (globex/carla, en, immediate, queued)'] });
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
  it.each([true, false])('a pass cut short by a crash is resumed after a restart, sending nothing twice (queue shares the db: %s)', async (shared) => {
    const clock = fixedClock(NOW);
    const config = parseAdvisoriesConfig({ sources: [src('broadcom', '/broadcom', 'symantec', 'broadcom-json', { productFilter: ['Symantec'] }), src('kev', '/kev', 'any', 'cisa-kev')] });
    let calls = 0;
    const outbox = new NotificationOutbox({ db, clock, logger: silentLogger() });
    // The second mail (Globex's, after Acme's) fails: the process "crashes" there.
    const flaky: NotificationQueue = {
      enqueue(message) {
        calls += 1;
        if (calls === 2) throw new Error('disk full');
        return outbox.enqueue(message);
      },
    };
    const first = new AdvisoryService({ db, clock, registry, queue: flaky, config, logger: silentLogger(), queueSharesDb: shared });
    await expect(first.poll()).rejects.toThrow('disk full');
    await first.stop();
    expect(db.prepare('SELECT COUNT(*) FROM advisory_passes WHERE done_at IS NULL').pluck().get()).toBe(1);
    db.close();
    db = openCollectorDb(join(dir, 'collector.db'));
    const { service } = build({ sources: config.sources.map((x) => ({ ...x })) }, db);
    const report = await service.poll();
    // The resumed pass's advisories are reported by the poll that delivered them.
    expect(report.advisories.length).toBeGreaterThan(0);
    expect(report.advisories.every((a) => a.state === 'relayed')).toBe(true);
    await service.poll();
    const keys = db.prepare("SELECT dedup_key FROM notify_outbox WHERE ref_kind = 'advisory' ORDER BY dedup_key").pluck().all() as string[];
    // KEV ESET (high) → ana and eve, alone; the SEPM RCE (critical) → carla, alone: the KEV Messaging Gateway entry
    // concerns no product she holds (issue 19: this asserted a bundle of both for her). Three mails, each once.
    expect(keys.map((k) => k.replace(/adv-[0-9a-f]{10}|pass-[0-9a-f-]{36}/, 'ID')).sort()).toEqual(
      ['advisory:ID:acme:ana', 'advisory:ID:globex:carla', 'advisory:ID:initech:eve']);
    expect(db.prepare('SELECT COUNT(*) FROM advisory_passes WHERE done_at IS NULL').pluck().get()).toBe(0);
    expect(db.prepare("SELECT customer_id FROM advisory_deliveries WHERE kind = 'pass' ORDER BY customer_id").pluck().all()).toEqual(['acme', 'globex', 'initech']);
  });

  it('stop() ends a pass between chunks; the next start resumes it and every contact gets one mail', async () => {
    const many = Array.from({ length: 60 }, (_, i): Customer => ({ ...CUSTOMERS[0]!, id: `c${String(i).padStart(2, '0')}`, contacts: [contact(`k${i}`, 'es', [])] }));
    customers = many;
    const first = build({ sources: [src('kev', '/kev', 'any', 'cisa-kev')] });
    let stopped: Promise<void> | undefined;
    const inner = first.queue.enqueue.bind(first.queue);
    first.queue.enqueue = (m) => { stopped ??= first.service.stop(); return inner(m); };
    await first.service.poll();
    await stopped;
    const after = first.queue.calls.length;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(60);
    const second = build({ sources: [src('kev', '/kev', 'any', 'cisa-kev')] });
    await second.service.poll();
    const all = [...first.queue.calls, ...second.queue.calls].map((m) => m.to[0]);
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
  });

  it('yields to the event loop while a pass is delivered', async () => {
    customers = Array.from({ length: 100 }, (_, i): Customer => ({ ...CUSTOMERS[0]!, id: `c${i}`, contacts: [contact(`k${i}`, 'es', [])] }));
    const { service, queue } = build({ sources: [src('kev', '/kev', 'any', 'cisa-kev')] });
    let turns = 0;
    let running = true;
    const spin = (): void => { if (running) { turns += 1; setImmediate(spin); } };
    const polled = service.poll();
    setImmediate(spin);
    await polled;
    running = false;
    expect(queue.calls).toHaveLength(100);
    // 100 customers are four chunks: the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('schedules each enabled source and the digest, sends overdue digests at start, and unschedules on stop', async () => {
    const { service, queue, clock } = build({ sources: [src('wls', '/wls', 'eset', 'rss'), src('off', '/symantec', 'symantec', 'rss', { enabled: false })] });
    await service.poll();
    clock.set(NEXT_DIGEST);
    const names = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n?.startsWith('advisories:')).sort();
    await service.start();
    expect(names()).toEqual(['advisories:digest', 'advisories:wls']);
    // The digest due while the collector was down goes out at start.
    expect(queue.calls.filter((m) => m.subjectRef?.kind === 'digest').map((m) => m.to[0])).toEqual(['ana@example.test']);
    await service.stop();
    expect(names()).toEqual([]);
  });
});
