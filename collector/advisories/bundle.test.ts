// No flooding, end to end: a local feed server, a real SQLite file, the real outbox and dispatcher, a real SMTP sink.
// A poll relays its at-once advisories to each contact in ONE mail, most severe first, only to holders of the vendor
// with maintenance in force; a second poll sends nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { startFeedServer, type FeedServer } from '../../test/fixtures/feeds/feed-server.js';
import { startSmtpSink, type SmtpSink } from '../../test/notify/smtp-sink.js';
import { createNotifier, parseNotifyConfig } from '../notify/index.js';
import type { Customer, RegistryReader } from '../registry/types.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { parseAdvisoriesConfig } from './config.js';
import { AdvisoryService } from './service.js';

const NOW = '2026-11-20T13:00:00Z';
const contact = (id: string, language: 'es' | 'en', products: string[] = []) => ({ id, name: id.toUpperCase(), email: `${id}@example.test`, language, products });
const customer = (id: string, over: Partial<Customer>): Customer => ({
  id, name: `${id} SA`, plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest', language: 'es',
  createdAt: NOW, products: [], contacts: [], ...over,
});
// ESET PROTECT Elite includes ESET Inspect (issue 19: an advisory goes to the holders of an affected product; this
// test's holders were "ESET PROTECT Entry", which does not include Inspect, so its CVE-2026-1003 would not reach them).
const ESET = [{ vendor: 'eset' as const, product: 'ESET PROTECT Elite', maintenanceExpires: '2027-06-30' }];
const CUSTOMERS: Customer[] = [
  customer('acme', { products: ESET, contacts: [contact('ana', 'es'), contact('ale', 'es')] }),
  customer('initech', { advisoryDelivery: 'immediate', products: ESET, contacts: [contact('eve', 'en')] }),
  customer('globex', { products: [{ vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-06-30' }], contacts: [contact('carla', 'en')] }),
  customer('oldco', { products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2026-10-31' }], contacts: [contact('dan', 'es')] }),
];
const registry: RegistryReader = {
  getCustomer: (id) => CUSTOMERS.find((c) => c.id === id), listCustomers: () => CUSTOMERS, getAgent: () => undefined, listAgents: () => [],
};

// Three critical ESET items (CVSS 9.8, 9.1, 10.0) and a medium one, published the day before.
const item = (n: number, title: string, text: string) => `<item><title>${title}</title><link>https://eset.example/${n}</link>
  <guid>eset-${n}</guid><pubDate>Thu, 19 Nov 2026 1${n}:00:00 GMT</pubDate><description>${text}</description></item>`;
const FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>ESET</title><link>https://eset.example/</link>
<description>ESET</description>
${item(1, 'ESET PROTECT On-Prem: CVE-2026-1001 fixed', 'CVSS v3.1 base score of 9.8. Update ESET PROTECT.')}
${item(2, 'ESET Endpoint Security: CVE-2026-1002 fixed', 'CVSS v3.1 base score of 9.1.')}
${item(3, 'ESET Inspect: CVE-2026-1003 fixed', 'CVSS v3.1 base score of 10.0.')}
${item(4, 'ESET Server Security: CVE-2026-1004 fixed', 'CVSS v3.1 base score of 5.5.')}
</channel></rss>`;

let dir: string;
let db: Db;
let feeds: FeedServer;
let sink: SmtpSink;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-bundle-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  feeds = await startFeedServer({ '/eset': { body: FEED, contentType: 'application/rss+xml' } });
  sink = await startSmtpSink();
});
afterEach(async () => {
  await sink.close();
  await feeds.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one mail per contact per relay pass', () => {
  it('a poll with 3 critical advisories gives each contact exactly one mail listing the 3', async () => {
    const clock = fixedClock(NOW);
    const notifier = createNotifier({
      config: parseNotifyConfig({ smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never' }, from: { address: 'cas@xpears.com.ar', name: 'Xpears CAS' } }),
      db, clock, logger: silentLogger(),
    });
    const service = new AdvisoryService({
      db, clock, registry, queue: notifier.outbox, logger: silentLogger(),
      config: parseAdvisoriesConfig({ sources: [{ id: 'eset', vendor: 'eset', kind: 'rss', url: feeds.url('/eset'), schedule: '*/5 * * * *' }] }),
    });
    try {
      const report = await service.poll();
      expect(report.advisories.map((a) => a.risk).sort()).toEqual(['critical', 'critical', 'critical', 'medium']);
      expect(await notifier.dispatcher.tick()).toMatchObject({ sent: 3, dead: 0 });
      // Acme's two contacts and Initech's one; never Globex (Symantec only) nor OldCo (maintenance expired).
      expect(sink.envelopes.map((e) => e[0]).sort()).toEqual(['ale@example.test', 'ana@example.test', 'eve@example.test']);
      const mailTo = (email: string) => sink.messages.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === email)!;
      const ana = mailTo('ana@example.test');
      expect(ana.subject).toBe('[Avisos de fabricantes] 3 avisos nuevos · riesgo máximo CRÍTICO');
      const refs = (text: string) => [...text.matchAll(/Referencia: (adv-[0-9a-f]{10})/g)].map((m) => m[1]);
      const critical = report.advisories.filter((a) => a.risk === 'critical');
      expect(refs(ana.text ?? '').sort()).toEqual(critical.map((a) => a.id).sort());
      // Most severe first: the CVSS 10.0 one (published last) leads; all three in full.
      expect(ana.text).toMatch(/^1\. \[CRÍTICO\] ESET: ESET Inspect: CVE-2026-1003 fixed$/m);
      expect(ana.text).not.toContain('CVE-2026-1004');
      // Initech takes every level at once: four in its one mail, in English, the medium one last.
      const eve = mailTo('eve@example.test');
      expect(eve.subject).toBe('[Vendor advisories] 4 new advisories · highest risk CRITICAL');
      expect(eve.text).toMatch(/^4\. \[MEDIUM\] ESET: ESET Server Security: CVE-2026-1004 fixed$/m);

      // The same feed again: nothing new, nothing sent.
      await service.poll({ now: new Date('2026-11-20T14:00:00Z') });
      expect(await notifier.dispatcher.tick()).toMatchObject({ sent: 0 });
      expect(sink.messages).toHaveLength(3);
    } finally {
      await service.stop();
      await notifier.close();
    }
  });
});
