// The console's advisories page marks an advisory whose products match no known family ("Producto no reconocido"),
// with the product text, both while it is held for review and once relayed: a real collector, a local feed server
// serving a synthetic Broadcom list, an engineer signed in over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AccountStore } from '../../collector/accounts/index.js';
import { systemClock } from '../../lib/clock.js';
import { startFeedServer } from '../fixtures/feeds/feed-server.js';
import { collectorConfigFor, enrollAcme, runCollector, tempDir } from '../e2e/harness.js';
import { Client, PASSWORD } from './harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

// Synthetic, in Broadcom's list format (test/fixtures/feeds/README.md); the product is invented.
const entry = (id: number, title: string, severity: string) => ({
  notificationId: id, title, severity, supportProducts: 'Symantec Quantum <Appliance>', published: new Date().toUTCString().slice(5, 16),
});

describe('the console advisories page', () => {
  it('says "Producto no reconocido" with the product text, held and relayed', async () => {
    const dir = tempDir('xpears-console-adv-');
    cleanups.push(dir.cleanup);
    const feeds = await startFeedServer({ '/broadcom': { contentType: 'application/json',
      body: JSON.stringify({ data: { list: [entry(92001, 'Symantec Quantum held flaw', 'CRITICAL'), entry(92002, 'Symantec Quantum relayed flaw', 'MEDIUM')] } }) } });
    cleanups.push(() => feeds.close());
    const dataDir = join(dir.path, 'collector');
    await enrollAcme(dataDir);
    const collector = await runCollector(collectorConfigFor(dataDir, 0, { advisories: { enabled: false, holdForReview: ['critical'], timeoutMs: 5000,
      sources: [{ id: 'broadcom', vendor: 'symantec', kind: 'broadcom-json', url: feeds.url('/broadcom'), body: '{}', schedule: '*/5 * * * *' }] } }));
    cleanups.push(() => collector.stop());
    await new AccountStore(collector.db, systemClock).addUser({ login: 'ana', name: 'Ana Líder', email: 'ana@cas.example', role: 'lead', password: PASSWORD }, 'test');
    const report = await collector.advisories.poll();
    expect(report.advisories.map((a) => a.state).sort()).toEqual(['held', 'relayed']);

    const client = new Client(collector.url);
    expect(await client.login('ana')).toBe(303);
    const page = (await client.req('GET', '/console/advisories')).text;
    const notes = page.match(/<div class="note">[^<]*<\/div>/g) ?? [];
    expect(notes).toEqual(Array(2).fill('<div class="note">Producto no reconocido: se envía a todos los clientes del fabricante (Symantec Quantum &lt;Appliance&gt;)</div>'));
  });
});
