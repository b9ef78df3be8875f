// Migration 003 on a file written by the per-contact relay (001/002): the old records become passes and deliveries,
// what was sent is not sent again, and what was left halfway (a 'routing' record, a digest not yet mailed to every
// contact) is finished by the new relay and digest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { Customer, RegistryReader } from '../registry/types.js';
import { migrate, openDatabase, type Db } from '../store/db.js';
import { parseAdvisoriesConfig } from './config.js';
import { migrations } from './schema.js';
import { migrations as outboxMigrations } from '../notify/outbox-schema.js';
import { AdvisoryService } from './service.js';

const NOW = '2026-11-22T12:00:00Z'; // 09:00 in Buenos Aires: the digests of the 21st and the 22nd are due
const contact = (id: string) => ({ id, name: id, email: `${id}@example.test`, language: 'es' as const, products: [] });
const holding = (vendor: 'eset' | 'symantec') => [{ vendor, product: vendor === 'eset' ? 'ESET PROTECT' : 'SEP', maintenanceExpires: '2027-12-31' }];
const customer = (id: string, vendor: 'eset' | 'symantec', contacts: string[], delivery: 'digest' | 'immediate' = 'digest'): Customer => ({
  id, name: id, plan: 'basic', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: delivery, language: 'es',
  createdAt: '2026-01-01T00:00:00Z', products: holding(vendor), contacts: contacts.map(contact),
});
const CUSTOMERS = [customer('acme', 'eset', ['ana', 'ale']), customer('globex', 'symantec', ['carla', 'gus']), customer('zeta', 'eset', ['zoe'])];
const registry: RegistryReader = {
  getCustomer: (id) => CUSTOMERS.find((c) => c.id === id), listCustomers: () => CUSTOMERS, getAgent: () => undefined, listAgents: () => [],
};

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-adv-schema-'));
  db = openDatabase(join(dir, 'collector.db'));
  migrate(db, outboxMigrations); // the outbox's table, as the collector's migrations put it before the advisories'
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function seedOldRelay(outbox: NotificationOutbox): void {
  migrate(db, migrations.slice(0, 2));
  const adv = db.prepare(`INSERT INTO advisories (id, source, identity, title_key, vendor, kind, risk, risk_source, title, summary,
    products, state, first_seen, relayed_at) VALUES (?, 's', ?, ?, ?, 'vulnerability', ?, 'default', ?, 'x', '[]', 'relayed', ?, ?)`);
  const at = '2026-11-20T13:00:00.000Z';
  for (const [id, vendor, risk] of [['adv-a', 'eset', 'critical'], ['adv-b', 'symantec', 'critical'], ['adv-c', 'eset', 'low'],
    ['adv-d', 'eset', 'info'], ['adv-e', 'eset', 'medium']] as const) adv.run(id, id, id, vendor, risk, `Aviso ${id}`, at, at);
  const mail = (key: string) => outbox.enqueue({ channel: 'email', to: ['x@example.test'], message: { subject: key, text: key }, dedupKey: key });
  const rec = db.prepare(`INSERT INTO advisory_relays (advisory_id, customer_id, contact_id, email, language, mode, digest_date, state,
    message_id, created_at, sent_at) VALUES (?, ?, ?, ?, 'es', ?, ?, ?, ?, ?, ?)`);
  const sent21 = '2026-11-21T11:00:00.000Z';
  // adv-a at once to Acme's two contacts, queued; adv-b to Globex: gus queued, carla still 'routing' (cut short).
  rec.run('adv-a', 'acme', 'ana', 'ana@example.test', 'immediate', null, 'queued', mail('advisory:adv-a:acme:ana'), at, null);
  rec.run('adv-a', 'acme', 'ale', 'ale@example.test', 'immediate', null, 'queued', mail('advisory:adv-a:acme:ale'), at, null);
  rec.run('adv-a', 'zeta', 'zoe', 'zoe@example.test', 'immediate', null, 'queued', mail('advisory:adv-a:zeta:zoe'), at, null);
  rec.run('adv-b', 'globex', 'gus', 'gus@example.test', 'immediate', null, 'queued', mail('advisory:adv-b:globex:gus'), at, null);
  rec.run('adv-b', 'globex', 'carla', 'carla@example.test', 'immediate', null, 'routing', null, at, null);
  // The digest of the 21st (adv-c, adv-e): mailed to ana and zoe, not yet to ale; adv-d waits for the 22nd's.
  const digest21 = { ana: mail('advisory-digest:2026-11-21:acme:ana'), zoe: mail('advisory-digest:2026-11-21:zeta:zoe') };
  for (const id of ['adv-c', 'adv-e']) {
    rec.run(id, 'acme', 'ana', 'ana@example.test', 'digest', '2026-11-21', 'sent', digest21.ana, at, sent21);
    rec.run(id, 'acme', 'ale', 'ale@example.test', 'digest', '2026-11-21', 'pending', null, at, null);
    rec.run(id, 'zeta', 'zoe', 'zoe@example.test', 'digest', '2026-11-21', 'sent', digest21.zoe, at, sent21);
  }
  for (const [c, k] of [['acme', 'ana'], ['acme', 'ale'], ['zeta', 'zoe']]) rec.run('adv-d', c, k, `${k}@example.test`, 'digest', '2026-11-22', 'pending', null, at, null);
}

describe('advisories/003-passes-and-deliveries', () => {
  it('carries the relay records over and finishes what they left halfway, sending nothing twice', async () => {
    const clock = fixedClock(NOW);
    const outbox = new NotificationOutbox({ db, clock, logger: silentLogger() });
    seedOldRelay(outbox);
    expect(migrate(db, migrations)).toEqual(['advisories/003-passes-and-deliveries', 'advisories/004-identity-products-publisher']);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'advisory_relays'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT id, digest_date, pass_id FROM advisories ORDER BY id').raw().all()).toEqual([
      ['adv-a', null, 'legacy:adv-a'], ['adv-b', null, 'legacy:adv-b'], ['adv-c', '2026-11-21', 'legacy:adv-c'],
      ['adv-d', '2026-11-22', 'legacy:adv-d'], ['adv-e', '2026-11-21', 'legacy:adv-e'],
    ]);
    const rows = db.prepare('SELECT kind, batch, customer_id, advisory_ids FROM advisory_deliveries ORDER BY kind, batch, customer_id').raw().all();
    // Globex's adv-b delivery is not there (carla's record was 'routing'), nor Acme's digest of the 21st (ale's pending).
    expect(rows).toEqual([
      ['digest', '2026-11-21', 'zeta', '["adv-c","adv-e"]'],
      ['pass', 'legacy:adv-a', 'acme', '["adv-a"]'],
      ['pass', 'legacy:adv-a', 'zeta', '["adv-a"]'],
    ]);
    expect(db.prepare('SELECT id FROM advisory_passes WHERE done_at IS NULL').pluck().all()).toEqual(['legacy:adv-b']);
    expect(db.prepare('SELECT COUNT(*) FROM advisory_digest_runs').pluck().get()).toBe(0);

    const before = db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get() as number;
    const service = new AdvisoryService({ db, clock, registry, queue: outbox, logger: silentLogger(), config: parseAdvisoriesConfig({ sources: [] }) });
    try {
      await service.poll();
      const digests = await service.sendDigests();
      // New mails: carla's adv-b (gus had it), ale's digest of the 21st (ana and zoe had theirs), the 22nd's.
      const fresh = db.prepare('SELECT dedup_key FROM notify_outbox ORDER BY created_at, id').pluck().all().slice(before);
      expect(fresh).toEqual(['advisory:adv-b:globex:carla', 'advisory-digest:2026-11-21:acme:ale', 'advisory-digest:2026-11-22:acme:ana',
        'advisory-digest:2026-11-22:acme:ale', 'advisory-digest:2026-11-22:zeta:zoe']);
      expect(digests.messages.map((m) => `${m.date}:${m.contactId}:${m.items}`)).toEqual(
        ['2026-11-21:ana:2', '2026-11-21:ale:2', '2026-11-22:ana:1', '2026-11-22:ale:1', '2026-11-22:zoe:1']);
      expect(db.prepare('SELECT digest_date FROM advisory_digest_runs ORDER BY 1').pluck().all()).toEqual(['2026-11-21', '2026-11-22']);
      await service.poll();
      expect((await service.sendDigests()).messages).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get()).toBe(before + 5);
    } finally {
      await service.stop();
    }
  });
});
