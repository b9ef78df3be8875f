// An advisory whose products match no known product family goes to every holder of its vendor (better one mail too
// many than a missed one), and says so: one log line when it is stored (a few per source and poll, the rest counted),
// and "vendor-wide, unrecognized product: …" in `xpears advisory list` / `show` (the console shows it too).
// A real local feed server, a real SQLite file, the real outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { createLogger, silentLogger } from '../../lib/logger.js';
import { startFeedServer, type FeedServer } from '../../test/fixtures/feeds/feed-server.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { Customer, RegistryReader } from '../registry/types.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { listAdvisoriesCommand, showAdvisoryCommand } from './commands.js';
import { parseAdvisoriesConfig } from './config.js';
import { unrecognizedProducts } from './products.js';
import { AdvisoryService } from './service.js';

const NOW = '2026-11-20T13:00:00Z';
const entry = (id: number, title: string, products: string) => ({
  notificationId: id, title, severity: 'HIGH', supportProducts: products, published: '19 November 2026',
  workAround: 'Upgrade to the fixed release.',
});
// Synthetic, in Broadcom's list format (test/fixtures/feeds/README.md): ids and products invented.
const LIST = { data: { list: [
  entry(91001, 'Symantec Quantum Appliance privilege escalation', 'Symantec Quantum Appliance'),
  entry(91002, 'Symantec Endpoint Protection Manager information disclosure', 'Symantec Endpoint Protection Manager'),
  ...[1, 2, 3, 4].map((n) => entry(91010 + n, `Symantec Orbit Suite ${n} flaw`, `Symantec Orbit Suite ${n}`)),
] } };

const customer: Customer = {
  id: 'sepco', name: 'SEP Co', plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'immediate', language: 'es',
  createdAt: NOW, products: [{ vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2030-01-01' }],
  contacts: [{ id: 's1', name: 'S1', email: 's1@example.test', language: 'es', products: [] }],
};
const registry: RegistryReader = { getCustomer: (id) => (id === customer.id ? customer : undefined), listCustomers: () => [customer], getAgent: () => undefined, listAgents: () => [] };

let dir: string;
let db: Db;
let feeds: FeedServer;
let service: AdvisoryService | undefined;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-unrecognized-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  feeds = await startFeedServer({ '/broadcom': { body: JSON.stringify(LIST), contentType: 'application/json' } });
});
afterEach(async () => {
  await service?.stop();
  db.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an advisory whose products match no known family', () => {
  it('is relayed vendor-wide, logged once at a bounded rate, and listed as an unrecognized product', async () => {
    const lines: { msg: string; advisory?: string; products?: string[]; more?: number }[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (s: string) => { lines.push(JSON.parse(s) as (typeof lines)[number]); } } });
    const clock = fixedClock(NOW);
    const config = parseAdvisoriesConfig({ sources: [{ id: 'broadcom', vendor: 'symantec', kind: 'broadcom-json', url: feeds.url('/broadcom'), body: '{}',
      schedule: '*/5 * * * *' }], timeoutMs: 1500 });
    service = new AdvisoryService({ db, clock, registry, queue: new NotificationOutbox({ db, clock, logger: silentLogger() }), config, logger });
    const report = await service.poll();
    const quantum = report.advisories.find((a) => a.title.includes('Quantum'))!;
    const sepm = report.advisories.find((a) => a.title.includes('Endpoint Protection Manager'))!;
    // Vendor-wide: the SEP holder gets the unknown product's advisory as well as its own.
    expect(quantum.recipients.map((r) => r.contactId)).toEqual(['s1']);
    expect(unrecognizedProducts(service.show(sepm.id).advisory)).toEqual([]);
    expect(unrecognizedProducts(service.show(quantum.id).advisory)).toEqual(['Symantec Quantum Appliance']);

    const named = lines.filter((l) => l.msg.startsWith('advisory names no known product family'));
    expect(named).toHaveLength(3); // five such advisories in one poll: three named, the rest counted
    expect(named[0]).toMatchObject({ advisory: quantum.id, products: ['Symantec Quantum Appliance'] });
    expect(lines.filter((l) => l.msg.startsWith('more advisories name no known product family'))).toMatchObject([{ more: 2 }]);

    const rows = listAdvisoriesCommand(service, {});
    expect(rows.find((r) => r.id === quantum.id)?.routing).toBe('vendor-wide, unrecognized product: Symantec Quantum Appliance');
    expect(rows.find((r) => r.id === sepm.id)?.routing).toBe('products: sep');
    expect(showAdvisoryCommand(service, quantum.id).routing).toBe('vendor-wide, unrecognized product: Symantec Quantum Appliance');

    // Said when it is stored, not at every poll.
    const before = lines.length;
    await service.poll();
    expect(lines.slice(before).filter((l) => l.msg.includes('no known product family'))).toEqual([]);
  });
});
