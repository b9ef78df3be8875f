// `xpears collector status` names what a person must act on: dead notifications, a refusing or silent agent,
// a ticket past its response target, no SMTP configured.
import { describe, it, expect } from 'vitest';
import { openCollectorServices } from '../../bin/runtime/services.js';
import { collectorStatus } from '../../bin/commands/status.js';
import { collectorConfigFor, tempDir } from '../e2e/harness.js';
import { silentLogger } from '../../lib/logger.js';
import { fixedClock } from '../../lib/clock.js';
import { DeliveryError } from '../../lib/errors.js';
import { PROTOCOL_VERSION, type Heartbeat } from '../../protocol/envelope.js';
import type { StoredEvent } from '../../protocol/event.js';
import { NoiseStore } from '../../collector/noise/store.js';

const heartbeat = (refusing: boolean): Heartbeat => ({
  protocol: PROTOCOL_VERSION, agentVersion: '0.1.0', sentAt: '2026-03-20T18:00:00Z', hostname: 'srv',
  outbox: { depth: 3, oldestAgeSeconds: 10, deadLettered: 0, refusing }, receivers: [],
});

describe('collector status', () => {
  it('is quiet when all is well, then lists each problem in plain words', async () => {
    const dir = tempDir('xpears-status-');
    const clock = fixedClock('2026-03-20T18:00:00Z');
    const notify = { smtp: { host: '127.0.0.1', port: 2 }, from: { address: 'cas@xpears.local' }, webhooks: {} };
    const s = await openCollectorServices(collectorConfigFor(dir.path, 0, { notify }), { logger: silentLogger(), clock });
    try {
      await s.registry.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT', maintenanceExpires: '2030-01-01' }] });
      const a = (await s.registry.enrollAgent('acme')).agent;
      const b = (await s.registry.enrollAgent('acme')).agent;
      s.repo.recordHeartbeat(a.id, 'acme', heartbeat(false), clock().toISOString());
      s.repo.recordHeartbeat(b.id, 'acme', heartbeat(false), clock().toISOString());
      expect(collectorStatus(s, clock()).problems).toEqual([]);

      // A refusing agent, a silent one, a dead mail, an unanswered threat incident.
      s.repo.recordHeartbeat(a.id, 'acme', heartbeat(true), clock().toISOString());
      const id = s.outbox.enqueue({ channel: 'email', to: ['x@acme.example'], message: { subject: 's', text: 't' } });
      s.outbox.markFailed(id, new DeliveryError('550 no such user', 'client', false), clock());
      const event: StoredEvent = {
        id: 'e1.0', envelopeId: 'e1', customerId: 'acme', agentId: a.id, raw: 'r', receivedAt: clock().toISOString(),
        vendor: 'eset', eventType: 'ransomware', severity: 'critical', occurredAt: clock().toISOString(), summary: 'r', format: 't',
        computer: { name: 'PC-01' }, threat: { name: 'Win32/Filecoder.X' }, handled: false,
      };
      s.pipeline.processEvent(event, clock());
      clock.advance(3 * 24 * 3_600_000);

      const st = collectorStatus(s, clock());
      const text = st.problems.join('\n');
      expect(text).toMatch(new RegExp(`agent ${a.id} .*outbox refusing`));
      expect(text).toMatch(new RegExp(`agent ${b.id} .*silent since`));
      expect(text).toMatch(/1 notifications failed for good/);
      expect(text).toMatch(/1 tickets passed their response target unanswered \(first: XR-2026-/);
      expect(st.openTickets).toBe(1);

      // The same silence inside a maintenance window of that agent is planned: listed as maintenance, not a problem.
      const w = new NoiseStore(s.db).addWindow({ customerId: 'acme', agentId: b.id, computer: null, reason: 'upgrade', author: 'ana',
        schedule: { kind: 'once', from: new Date(clock().getTime() - 3_600_000).toISOString(), to: new Date(clock().getTime() + 3_600_000).toISOString() } }, clock());
      const planned = collectorStatus(s, clock());
      expect(planned.problems.join('\n')).not.toMatch(new RegExp(`agent ${b.id} .*silent since`));
      expect(planned.problems.join('\n')).toMatch(new RegExp(`agent ${a.id} .*outbox refusing`));
      expect(planned.maintenance.map((m) => m.id)).toEqual([w.id]);
    } finally {
      s.close();
      dir.cleanup();
    }
  });

  it('says when notifications are queued but never sent', async () => {
    const dir = tempDir('xpears-status-');
    const s = await openCollectorServices(collectorConfigFor(dir.path), { logger: silentLogger(), clock: fixedClock('2026-03-20T18:00:00Z') });
    try {
      expect(collectorStatus(s, new Date('2026-03-20T18:00:00Z')).problems[0]).toMatch(/queued but never sent/);
    } finally {
      s.close();
      dir.cleanup();
    }
  });
});
