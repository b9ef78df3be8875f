// Events stored but not triaged (the collector died in between) are triaged on the next start; never twice.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCollectorServices } from '../../bin/runtime/services.js';
import { triageLeftovers, triageStored } from '../../collector/pipeline/leftovers.js';
import { reparse } from '../../collector/pipeline/reparse.js';
import { parseEnvelope, rawText } from '../../collector/parse/index.js';
import { ROOT, collectorConfigFor, tempDir } from '../e2e/harness.js';
import { silentLogger } from '../../lib/logger.js';
import { fixedClock } from '../../lib/clock.js';
import type { Envelope } from '../../protocol/envelope.js';

const ransomware = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as { envelope: Envelope };

describe('the triage stage', () => {
  it('picks up events a crash left untriaged, once, and re-parsing does not triage again', async () => {
    const dir = tempDir('xpears-triage-');
    const clock = fixedClock('2026-03-20T18:00:00Z');
    const s = await openCollectorServices(collectorConfigFor(dir.path), { logger: silentLogger(), clock });
    try {
      await s.registry.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT', maintenanceExpires: '2030-01-01' }] });
      const e = ransomware.envelope;
      // Stored, then the process "dies" before the ticket stage runs.
      s.repo.storeBatch('acme', 'acme-a1', [{ envelope: e, events: parseEnvelope(e), raw: rawText(e) }], clock().toISOString());
      const countTickets = () => s.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() as number;
      expect(countTickets()).toBe(0);
      expect(s.repo.untriagedEvents(10)).toHaveLength(1);

      // Too recent: another process may be triaging it right now.
      expect(triageLeftovers(s, clock(), silentLogger())).toBe(0);
      clock.advance(2 * 60_000);
      expect(triageLeftovers(s, clock(), silentLogger())).toBe(1);
      expect(countTickets()).toBe(1);
      expect(s.repo.untriagedEvents(10)).toHaveLength(0);
      expect(triageLeftovers(s, clock(), silentLogger())).toBe(0);

      // Re-parsing rebuilds the events without opening or folding tickets.
      const before = s.db.prepare('SELECT count FROM tickets').pluck().get();
      reparse(s.repo, s.registry, {});
      expect(s.repo.untriagedEvents(10)).toHaveLength(0);
      expect(s.db.prepare('SELECT count FROM tickets').pluck().get()).toBe(before);

      // The normal path marks what it triaged.
      const second = { ...e, id: '0193a5e0-0000-7000-8000-0000000000ff' };
      const { accepted } = s.repo.storeBatch('acme', 'acme-a1', [{ envelope: second, events: parseEnvelope(second), raw: rawText(second) }], clock().toISOString());
      triageStored(s, accepted.flat(), clock());
      expect(s.repo.untriagedEvents(10)).toHaveLength(0);
      expect(s.db.prepare('SELECT count FROM tickets').pluck().get()).toBe(2);
    } finally {
      s.close();
      dir.cleanup();
    }
  });

  it('runs the stage inside the batch transaction; a failing stage leaves the batch stored and its events untriaged', async () => {
    const dir = tempDir('xpears-triage-');
    const clock = fixedClock('2026-03-20T18:00:00Z');
    const s = await openCollectorServices(collectorConfigFor(dir.path), { logger: silentLogger(), clock });
    try {
      await s.registry.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT', maintenanceExpires: '2030-01-01' }] });
      const countTickets = () => s.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() as number;
      const item = (id: string) => { const e = { ...ransomware.envelope, id }; return { envelope: e, events: parseEnvelope(e), raw: rawText(e) }; };

      // The stage sees the events while the batch's transaction is open, and what it writes commits with them.
      let inTransaction: boolean | undefined;
      const ok = s.repo.storeBatch('acme', 'acme-a1', [item('0193a5e0-0000-7000-8000-000000000101')], clock().toISOString(), (events) => {
        inTransaction = s.db.inTransaction;
        s.pipeline.processStored(events, clock());
      });
      expect(inTransaction).toBe(true);
      expect(ok.stageError).toBeUndefined();
      expect(countTickets()).toBe(1);
      expect(s.repo.untriagedEvents(10)).toHaveLength(0);

      // A stage that fails after writing: its writes are undone, the envelope and events stay, marked untriaged.
      const failed = s.repo.storeBatch('acme', 'acme-a1', [item('0193a5e0-0000-7000-8000-000000000102')], clock().toISOString(), (events) => {
        s.pipeline.processStored(events, clock());
        s.db.prepare("UPDATE tickets SET title = 'half-written'").run();
        throw new Error('stage broke');
      });
      expect((failed.stageError as Error).message).toBe('stage broke');
      expect(failed.acceptedIds).toEqual(['0193a5e0-0000-7000-8000-000000000102']);
      expect(s.repo.countEnvelopes()).toBe(2);
      expect(s.db.prepare("SELECT COUNT(*) FROM tickets WHERE title = 'half-written'").pluck().get()).toBe(0);
      expect(s.db.prepare('SELECT count FROM tickets').pluck().get()).toBe(1);
      expect(s.repo.untriagedEvents(10).map((e) => e.envelopeId)).toEqual(['0193a5e0-0000-7000-8000-000000000102']);

      // The leftovers pass folds it later, once.
      clock.advance(2 * 60_000);
      expect(triageLeftovers(s, clock(), silentLogger())).toBe(1);
      expect(s.db.prepare('SELECT count FROM tickets').pluck().get()).toBe(2);
    } finally {
      s.close();
      dir.cleanup();
    }
  });

  it('keeps the raw text once, in the envelope, and gives it back with every event read', async () => {
    const dir = tempDir('xpears-triage-');
    const clock = fixedClock('2026-03-20T18:00:00Z');
    const s = await openCollectorServices(collectorConfigFor(dir.path), { logger: silentLogger(), clock });
    try {
      const e = ransomware.envelope;
      s.repo.storeBatch('acme', 'acme-a1', [{ envelope: e, events: parseEnvelope(e), raw: rawText(e) }], clock().toISOString());
      const detail = s.db.prepare('SELECT detail FROM events').pluck().get() as string;
      expect(JSON.parse(detail)).not.toHaveProperty('raw');
      expect(s.repo.listEvents({ customerId: 'acme' }).map((ev) => ev.raw)).toEqual([rawText(e)]);
      expect(s.repo.listEventsOfEnvelope(e.id)[0]!.raw).toBe(rawText(e));

      // A row written before the raw text left `detail` still reads its own copy.
      s.db.prepare('UPDATE events SET detail = json_set(detail, \'$.raw\', \'the old copy\')').run();
      expect(s.repo.listEvents({})[0]!.raw).toBe('the old copy');
    } finally {
      s.close();
      dir.cleanup();
    }
  });
});
