// Envelope identity is per customer (issue 13, item 5): the same id sent by two customers is stored twice, and
// neither answer tells one customer anything about the other's envelopes.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCollector, type TestCollector } from '../helpers/collector.js';
import { uuidv7 } from '../../lib/ids.js';
import { openDatabase, migrate } from '../../collector/store/db.js';
import { SqliteEventRepository, eventStoreMigrations } from '../../collector/store/store.js';
import { parseEnvelope, rawText } from '../../collector/parse/index.js';
import type { Envelope } from '../../protocol/envelope.js';

function envelope(id: string, line: string): Envelope {
  return { id, capturedAt: '2026-03-20T15:00:01Z', transport: 'syslog', source: { address: '10.0.0.5', port: 514 }, syslog: { protocol: 'udp', line } };
}

describe('two customers sending the same envelope id', () => {
  let c: TestCollector;
  beforeEach(async () => { c = await testCollector(); });
  afterEach(async () => { await c.close(); });

  const post = (token: string, envelopes: Envelope[]) => c.app.inject({
    method: 'POST', url: '/v1/envelopes', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: JSON.stringify({ protocol: 1, envelopes }),
  });

  it('stores both, each under its own customer, and answers each as if the other did not exist', async () => {
    const id = uuidv7();
    const acme = envelope(id, '<134>Mar 20 15:00:01 era-acme ERAServer: acme line');
    const globex = envelope(id, '<134>Mar 20 15:00:01 era-globex ERAServer: globex line');
    const first = await post(c.tokenA, [acme]);
    const second = await post(c.tokenB, [globex]);
    expect(first.json()).toEqual({ accepted: [id], duplicates: [], rejected: [] });
    expect(second.json()).toEqual({ accepted: [id], duplicates: [], rejected: [] });
    // A repeat is a duplicate for its own customer only.
    expect((await post(c.tokenB, [globex])).json()).toEqual({ accepted: [], duplicates: [id], rejected: [] });
    expect(c.repo.countEnvelopes('acme')).toBe(1);
    expect(c.repo.countEnvelopes('globex')).toBe(1);

    const acmeEvents = c.repo.listEvents({ customerId: 'acme' });
    const globexEvents = c.repo.listEvents({ customerId: 'globex' });
    expect(acmeEvents.map((e) => e.raw)).toEqual([rawText(acme)]);
    expect(globexEvents.map((e) => e.raw)).toEqual([rawText(globex)]);
    expect(acmeEvents[0]!.id).not.toBe(globexEvents[0]!.id);
    expect(c.repo.listEventsOfEnvelope(id, 'globex').map((e) => e.customerId)).toEqual(['globex']);
    expect(c.repo.listEventsOfEnvelope(id).map((e) => e.customerId).sort()).toEqual(['acme', 'globex']);
  });

  it('re-parses each customer\'s envelope of the same id on its own', () => {
    const id = uuidv7();
    for (const customer of ['acme', 'globex']) {
      const e = envelope(id, `<134>Mar 20 15:00:01 era-${customer} ERAServer: ${customer}`);
      c.repo.storeBatch(customer, `agent-${customer}`, [{ envelope: e, events: parseEnvelope(e), raw: rawText(e) }], '2026-03-20T15:00:02Z');
    }
    const page = c.repo.envelopesForReparse({ limit: 1 });
    const next = c.repo.envelopesForReparse({ afterId: page[0]!.id, afterCustomer: page[0]!.customerId, limit: 10 });
    expect([...page, ...next].map((r) => r.customerId)).toEqual(['acme', 'globex']);
    const e = page[0]!.envelope;
    c.repo.replaceEvents(id, 'acme', 'agent-acme', parseEnvelope(e), rawText(e), '2026-03-20T15:00:02Z');
    expect(c.repo.listEventsOfEnvelope(id, 'globex')).toHaveLength(1); // the other customer's events stay
  });
});

describe('migration store/004 on a database made before it', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('keeps every envelope and event, then takes the same id from another customer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpears-tenancy-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'collector.db'));
    migrate(db, eventStoreMigrations.filter((m) => m.id !== 'store/004-envelope-per-customer'));
    const id = uuidv7();
    const old = envelope(id, '<134>Mar 20 15:00:01 era-acme ERAServer: before the migration');
    db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload)
      VALUES (?, 'acme', 'agent-acme', 'syslog', ?, ?, '10.0.0.5', ?)`).run(id, old.capturedAt, old.capturedAt, JSON.stringify(old));
    db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, event_type, severity, occurred_at, received_at,
      summary, format, detail, triaged) VALUES (?, ?, 0, 'acme', 'agent-acme', 'eset', 'unclassified', 'info', ?, ?, 's', 'syslog', ?, 0)`)
      .run(`${id}.0`, id, old.capturedAt, old.capturedAt, JSON.stringify({ vendor: 'eset', eventType: 'unclassified', summary: 's' }));

    expect(migrate(db, eventStoreMigrations)).toEqual(['store/004-envelope-per-customer']);
    const repo = new SqliteEventRepository(db);
    expect(repo.listEventsOfEnvelope(id, 'acme').map((e) => e.id)).toEqual([`${id}.0`]);
    expect(repo.untriagedEvents(10)).toHaveLength(1); // columns carried over as they were
    const same = envelope(id, '<134>Mar 20 15:00:01 era-globex ERAServer: after');
    const r = repo.storeBatch('globex', 'agent-globex', [{ envelope: same, events: parseEnvelope(same), raw: rawText(same) }], '2026-03-20T15:00:02Z');
    expect(r.acceptedIds).toEqual([id]);
    expect(r.accepted[0]![0]!.id).toBe(`${id}.0@globex`);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Events still belong to their envelope: deleting it takes them along.
    db.prepare("DELETE FROM envelopes WHERE customer_id = 'acme'").run();
    expect(repo.listEventsOfEnvelope(id).map((e) => e.customerId)).toEqual(['globex']);
    db.close();
  });
});
