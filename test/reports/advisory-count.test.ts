// The monthly report's advisory count on the tables the real relay writes: a poll (bundled at-once mails) and the
// next day's digest, served by a local feed server, on a real SQLite file; read back by the report's SQLite source.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdvisoryService } from '../../collector/advisories/service.js';
import { parseAdvisoriesConfig } from '../../collector/advisories/config.js';
import { NotificationOutbox } from '../../collector/notify/outbox.js';
import type { Customer, RegistryReader } from '../../collector/registry/types.js';
import type { Db } from '../../collector/store/db.js';
import { openCollectorDb } from '../../collector/migrations.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { createSqliteReportSource } from '../../reports/aggregate.js';
import { monthWindow } from '../../reports/month.js';
import { startFeedServer, type FeedServer } from '../fixtures/feeds/feed-server.js';

const NOW = '2026-11-20T13:00:00Z';
const holder = (id: string, vendor: 'eset' | 'symantec', expires: string, delivery: 'digest' | 'immediate' = 'digest'): Customer => ({
  id, name: id, plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: delivery, language: 'es',
  createdAt: NOW, products: [{ vendor, product: `${vendor} product`, maintenanceExpires: expires }],
  contacts: [1, 2].map((n) => ({ id: `${id}-${n}`, name: `${id} ${n}`, email: `${id}${n}@example.test`, language: 'es' as const, products: [] })),
});
const CUSTOMERS = [holder('acme', 'eset', '2027-06-30'), holder('initech', 'eset', '2027-06-30', 'immediate'),
  holder('globex', 'symantec', '2027-06-30'), holder('oldco', 'eset', '2026-10-31')];
const registry: RegistryReader = {
  getCustomer: (id) => CUSTOMERS.find((c) => c.id === id), listCustomers: () => CUSTOMERS, getAgent: () => undefined, listAgents: () => [],
};

let dir: string;
let db: Db;
let feeds: FeedServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-report-adv-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  feeds = await startFeedServer({
    '/wls': { file: 'welivesecurity.rss.xml' }, '/eset-support': { file: 'eset-support.atom.xml', contentType: 'application/atom+xml' },
    '/kev': { file: 'cisa-kev.json', contentType: 'application/json' },
  });
});
afterEach(async () => {
  await feeds.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('monthly report: advisories relayed', () => {
  it('counts each advisory a customer was sent at once or in a digest, once, in the month it went', async () => {
    const clock = fixedClock(NOW);
    const src = (id: string, kind: 'rss' | 'atom' | 'cisa-kev', vendor: 'eset' | 'any') => ({ id, vendor, kind, url: feeds.url(`/${id}`), schedule: '0 * * * *' });
    const service = new AdvisoryService({
      db, clock, registry, queue: new NotificationOutbox({ db, clock, logger: silentLogger() }), logger: silentLogger(),
      config: parseAdvisoriesConfig({ sources: [src('wls', 'rss', 'eset'), src('eset-support', 'atom', 'eset'), src('kev', 'cisa-kev', 'any')] }),
    });
    const report = await service.poll();
    const eset = report.advisories.filter((a) => a.vendor === 'eset' && a.state === 'relayed');
    const urgent = eset.filter((a) => a.risk === 'critical' || a.risk === 'high');
    expect(urgent.length).toBeGreaterThan(1);
    expect(eset.length).toBeGreaterThan(urgent.length);
    const source = createSqliteReportSource(db);
    const november = (customerId: string) => source.advisories(monthWindow(customerId, '2026-11', 'America/Argentina/Buenos_Aires'), 50);
    // Before the digest: Acme counts the at-once ones only (two contacts, one bundle each: still one per advisory);
    // Initech took every level at once.
    expect(november('acme').relayed).toBe(urgent.length);
    expect(november('initech').relayed).toBe(eset.length);
    await service.sendDigests(new Date('2026-11-21T11:00:00Z'));
    expect(november('acme').relayed).toBe(eset.length);
    expect(november('acme').list.map((r) => r.title).sort()).toEqual(eset.map((a) => a.title).sort());
    expect(november('initech').relayed).toBe(eset.length);
    // Symantec only: the KEV catalogue's Symantec entry, none of the ESET ones; maintenance expired: nothing;
    // another month: nothing.
    const symantec = report.advisories.filter((a) => a.vendor === 'symantec' && a.state === 'relayed');
    expect(symantec.length).toBeGreaterThan(0);
    expect(november('globex').list.map((r) => r.title).sort()).toEqual(symantec.map((a) => a.title).sort());
    expect(november('oldco').relayed).toBe(0);
    expect(source.advisories(monthWindow('acme', '2026-10', 'America/Argentina/Buenos_Aires'), 50).relayed).toBe(0);
    await service.stop();
  });
});
