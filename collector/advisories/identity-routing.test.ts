// Issue 19 end to end: a local feed server serving synthetic KEV editions (one with a zero-width space in the CVE
// id), Broadcom's advisory list and ESET's advisories and product notices; a real SQLite file, the real outbox and
// dispatcher, a real SMTP sink. One vulnerability is one advisory; advisories go to the holders of the product.
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
import { showAdvisoryCommand } from './commands.js';
import { parseAdvisoriesConfig, type AdvisoriesConfigInput } from './config.js';
import { AdvisoryService } from './service.js';

const contact = (id: string, language: 'es' | 'en', products: string[] = []) => ({ id, name: id.toUpperCase(), email: `${id}@example.test`, language, products });
const customer = (id: string, vendor: 'eset' | 'symantec', product: string, contacts: Customer['contacts']): Customer => ({
  id, name: `${id} SA`, plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest', language: 'es',
  createdAt: '2021-01-01T00:00:00Z', products: [{ vendor, product, maintenanceExpires: '2030-12-31' }], contacts,
});
const CUSTOMERS: Customer[] = [
  customer('smgco', 'symantec', 'Symantec Messaging Gateway', [contact('m1', 'es', ['Symantec Messaging Gateway']), contact('m2', 'es', ['Otro'])]),
  customer('sepco', 'symantec', 'Symantec Endpoint Protection', [contact('s1', 'es')]),
  // Designated with other spacing and case: the contacts rule compares titles ignoring both.
  customer('protectco', 'eset', 'ESET PROTECT Complete', [contact('p1', 'es', ['eset  protect COMPLETE']), contact('p2', 'es', ['Otro'])]),
  customer('endpointco', 'eset', 'ESET Endpoint Security', [contact('e1', 'en')]),
];
const registry: RegistryReader = {
  getCustomer: (id) => CUSTOMERS.find((c) => c.id === id), listCustomers: () => CUSTOMERS, getAgent: () => undefined, listAgents: () => [],
};

let dir: string;
let db: Db;
let feeds: FeedServer;
let sink: SmtpSink;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-issue19-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  feeds = await startFeedServer({
    '/kev': { file: 'kev-2021-11-smg.json', contentType: 'application/json' },
    '/broadcom': { file: 'broadcom-smg.json', contentType: 'application/json' },
    '/eset-advisories': { file: 'eset-security-advisories.rss.xml' },
    '/eset-notices': { file: 'eset-product-notices.rss.xml' },
  });
  sink = await startSmtpSink();
});
afterEach(async () => {
  await sink.close();
  await feeds.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

type SourceInput = NonNullable<AdvisoriesConfigInput['sources']>[number];
const source = (id: string, vendor: SourceInput['vendor'], kind: SourceInput['kind'], extra: Partial<SourceInput> = {}): SourceInput =>
  ({ id, vendor, kind, url: feeds.url(`/${id}`), schedule: '*/5 * * * *', ...extra });

function start(now: string, sources: SourceInput[]) {
  let at = new Date(now);
  const clock = () => at;
  const notifier = createNotifier({
    config: parseNotifyConfig({ smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never' }, from: { address: 'cas@xpears.com.ar', name: 'Xpears CAS' } }),
    db, clock: fixedClock(now), logger: silentLogger(),
  });
  const service = new AdvisoryService({ db, clock, registry, queue: notifier.outbox, logger: silentLogger(),
    config: parseAdvisoriesConfig({ sources, maxAgeDays: 30 }) });
  return {
    service, notifier,
    setNow: (iso: string) => { at = new Date(iso); },
    close: async () => { await service.stop(); await notifier.close(); },
  };
}
const KEV_SOURCES = () => [source('kev', 'any', 'cisa-kev'), source('broadcom', 'symantec', 'broadcom-json', { productFilter: ['Symantec'], body: '{}' })];
const recipients = () => sink.envelopes.map((e) => e[0]!).sort();
const mailsTo = (email: string) => sink.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === email);

describe('one vulnerability, one advisory', () => {
  it('KEV twice (with and without a zero-width space) and the vendor advisory: one advisory, one mail per contact', async () => {
    const run = start('2021-11-10T13:00:00Z', KEV_SOURCES());
    try {
      await run.service.poll();
      expect(await run.notifier.dispatcher.tick()).toMatchObject({ sent: 1, dead: 0 });
      // The Messaging Gateway holder's designated contact only: not m2, never the Endpoint Protection holder.
      expect(recipients()).toEqual(['m1@example.test']);
      // CISA re-publishes the catalogue without the zero-width space; 30 days of maxAgeDays would let it through.
      feeds.routes.set('/kev', { file: 'kev-2021-11-republished-smg.json', contentType: 'application/json' });
      run.setNow('2021-11-20T13:00:00Z');
      const again = await run.service.poll();
      expect(again.advisories).toEqual([]);
      expect(await run.notifier.dispatcher.tick()).toMatchObject({ sent: 0 });
      const stored = run.service.list().filter((a) => a.title.includes('6327'));
      expect(stored).toHaveLength(1);
      expect(stored[0]!.sightings.map((s) => s.source).sort()).toEqual(['broadcom', 'kev']);
      expect(stored[0]!).toMatchObject({ vendorLink: expect.stringContaining('/SecurityAdvisories/0/90101'), fixedVersions: ['10.6.3-267'],
        families: ['symantec-messaging-gateway'] });
      expect(mailsTo('m1@example.test')).toHaveLength(1);
      const shown = showAdvisoryCommand(run.service, stored[0]!.id);
      expect(shown).toMatchObject({ sources: 'kev (cisa, 2021-11-03); broadcom (vendor, 2021-11-08)', publisher: 'cisa',
        recipients: ['m1@example.test (smgco/m1, es, immediate, queued)'] });
    } finally {
      await run.close();
    }
  });

  it('a new fixed version of a relayed advisory is one update mail per contact, naming the advisory it updates', async () => {
    const run = start('2021-11-10T13:00:00Z', KEV_SOURCES());
    try {
      await run.service.poll();
      await run.notifier.dispatcher.tick();
      const [original] = run.service.list().filter((a) => a.title.includes('6327'));
      feeds.routes.set('/broadcom', { file: 'broadcom-smg-updated.json', contentType: 'application/json' });
      run.setNow('2021-11-12T13:00:00Z');
      const report = await run.service.poll();
      expect(report.advisories).toHaveLength(1);
      expect(await run.notifier.dispatcher.tick()).toMatchObject({ sent: 1 });
      const update = mailsTo('m1@example.test')[1]!;
      expect(update.subject).toMatch(/^\[Actualización de aviso Symantec \(Broadcom\) · riesgo ALTO\]/);
      expect(update.text).toContain(`Actualización del aviso ${original!.id}: hay una nueva versión corregida.`);
      expect(update.text).toContain('Versiones corregidas: 10.6.3-267; 10.7.0');
      expect(recipients()).toEqual(['m1@example.test', 'm1@example.test']);
      // A third poll of the same content changes nothing.
      run.setNow('2021-11-13T13:00:00Z');
      expect((await run.service.poll()).advisories).toEqual([]);
    } finally {
      await run.close();
    }
  });

  it('the Spanish mail of a KEV entry names CISA, quotes its English text as such and leads with the vendor link', async () => {
    feeds.routes.set('/kev', { file: 'kev-2021-11-republished-smg.json', contentType: 'application/json' });
    const run = start('2021-11-10T13:00:00Z', [source('kev', 'any', 'cisa-kev')]);
    try {
      await run.service.poll();
      await run.notifier.dispatcher.tick();
      const [mail] = mailsTo('m1@example.test');
      const text = mail!.text ?? '';
      if (process.env.SHOW_MAIL) console.log(text);
      expect(text).toContain('CISA (catálogo de vulnerabilidades explotadas conocidas, KEV) publicó un aviso sobre productos de Symantec (Broadcom)');
      expect(text).toContain('Publicado por: CISA (catálogo de vulnerabilidades explotadas conocidas, KEV)');
      // The vendor's advisory is the first link; NVD's comes after, without the invisible character.
      const links = [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
      expect(links[0]).toBe('https://support.broadcom.com/web/ecx/support-content-notification/-/external/content/SecurityAdvisories/0/90101');
      expect(text).toMatch(/^Aviso del fabricante: https:\/\/support\.broadcom\.com\//m);
      expect(links).toContain('https://nvd.nist.gov/vuln/detail/CVE-2017-6327');
      expect(text).toContain('Resumen (texto original en inglés):\n“Symantec Messaging Gateway contains an unspecified vulnerability');
      expect(text).toContain('Indicación de la fuente (texto original en inglés): “Apply updates per vendor instructions.”');
      expect(text).toMatch(/Qué hacer:\nVerifique si las versiones instaladas están afectadas/);
      expect(text).toContain('Incluida en el catálogo KEV: 2021-11-03');
      expect(text).toContain('Versión que usa smgco SA: no consta en nuestro registro');
      expect(text).toContain('Productos afectados: Symantec Messaging Gateway\n');
      expect(text).not.toContain('Symantec Symantec');
      expect(text).not.toMatch(/[\u200b-\u200f\u2060\ufeff]/);
      expect(text).not.toMatch(/: None\b/);
      expect(text).not.toContain('Fecha del aviso del fabricante');
    } finally {
      await run.close();
    }
  });
});

describe("the vendors' own sources, routed by product", () => {
  it('an ESET PROTECT advisory reaches the ESET PROTECT holders’ designated contacts and no Symantec customer', async () => {
    const run = start('2026-11-20T13:00:00Z', [
      source('eset-advisories', 'eset', 'rss', { publisher: 'vendor' }), source('eset-notices', 'eset', 'rss', { publisher: 'vendor' })]);
    try {
      const report = await run.service.poll();
      const ca9101 = report.advisories.find((a) => a.title.includes('CA9101'))!;
      expect(ca9101).toMatchObject({ vendor: 'eset', risk: 'high', kind: 'vulnerability' });
      expect(ca9101.recipients.map((r) => r.contactId)).toEqual(['p1']);
      const ca9102 = report.advisories.find((a) => a.title.includes('CA9102'))!;
      expect(ca9102.recipients.map((r) => r.contactId).sort()).toEqual(['e1', 'p1']);
      expect(await run.notifier.dispatcher.tick()).toMatchObject({ sent: 1 });
      expect(recipients()).toEqual(['p1@example.test']);
      const text = mailsTo('p1@example.test')[0]!.text ?? '';
      expect(text).toMatch(/^Aviso del fabricante: https:\/\/support\.eset\.com\/en\/ca9101-local-privilege-escalation-vulnerability-in-eset-protect-on-prem-fixed$/m);
      expect(text).toContain('ESET publicó un aviso sobre sus productos');
      expect(text).toContain('Versiones afectadas: ESET PROTECT (on-prem) 12.0 and earlier; ESET Management Agent 12.0 and earlier');
      expect(text).toContain('Versiones corregidas: 12.0.1');
      expect(text).toContain('Fecha del aviso del fabricante: 2026-11-19');
      const stored = run.service.list().find((a) => a.title.includes('CA9101'))!;
      expect(stored).toMatchObject({ vendorId: 'CA9101', publisher: 'vendor', families: ['eset-protect'] });

      // The informational notices and the medium advisory go to the next morning's digest, by product too.
      const digest = await run.service.sendDigests(new Date('2026-11-21T11:00:00Z'));
      expect(digest.messages.map((m) => `${m.contactId}:${m.items}`).sort()).toEqual(['e1:2', 'p1:3']);
      await run.notifier.dispatcher.tick();
      expect(recipients().filter((r) => /^[ms]/.test(r))).toEqual([]);
      const p1 = mailsTo('p1@example.test')[1]!.text ?? '';
      expect(p1).toContain('ESET PROTECT 10.1 reaches end of life');
      expect(p1).toContain('Publicado por: ESET');
      const e1 = mailsTo('e1@example.test')[0]!.text ?? '';
      expect(e1).not.toContain('ESET PROTECT 10.1');
      expect(e1).toContain('ESET Endpoint Security for Windows 12.2 released');
    } finally {
      await run.close();
    }
  });
});
