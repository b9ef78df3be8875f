// `xpears collector status` lists active silences, recently ended ones (so a forgotten silence is seen), open
// maintenance windows and how many events each kind suppressed.
import { describe, expect, it } from 'vitest';
import { openCollectorServices } from '../../bin/runtime/services.js';
import { collectorStatus } from '../../bin/commands/status.js';
import { collectorConfigFor, tempDir } from '../e2e/harness.js';
import { silentLogger } from '../../lib/logger.js';
import { fixedClock } from '../../lib/clock.js';
import { NoiseStore } from '../../collector/noise/store.js';
import type { StoredEvent } from '../../protocol/event.js';

describe('collector status and noise control', () => {
  it('lists a silence while active and for listAfterEndHours after, open windows, and suppression counts', async () => {
    const dir = tempDir('xpears-noise-status-');
    const clock = fixedClock('2026-03-20T18:00:00Z');
    const s = await openCollectorServices(collectorConfigFor(dir.path, 0, { noise: { silences: { listAfterEndHours: 2 } } }), { logger: silentLogger(), clock });
    try {
      await s.registry.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT', maintenanceExpires: '2030-01-01' }] });
      const noise = new NoiseStore(s.db);
      const silence = noise.addSilence({ matchers: { threat: 'EICAR' }, endsAt: '2026-03-20T19:00:00Z', comment: 'prueba', author: 'ana' }, clock(), 168);
      const w = noise.addWindow({ customerId: 'acme', agentId: null, computer: 'PC-01', reason: 'reinstalación', author: 'ana',
        schedule: { kind: 'once', from: '2026-03-20T17:00:00Z', to: '2026-03-20T20:00:00Z' } }, clock());
      const event: StoredEvent = {
        id: 'e1.0', envelopeId: 'e1', customerId: 'acme', agentId: 'a', raw: 'r', receivedAt: clock().toISOString(),
        vendor: 'eset', eventType: 'ransomware', severity: 'critical', occurredAt: clock().toISOString(), summary: 'r', format: 't',
        computer: { name: 'PC-01' }, threat: { name: 'Win32/Filecoder.X' }, handled: false,
      };
      expect(s.pipeline.processEvent(event, clock()).ticket).toBeNull();
      let st = collectorStatus(s, clock());
      expect(st.silences).toMatchObject([{ id: silence.id, active: true, matchers: 'threat=EICAR', author: 'ana' }]);
      expect(st.maintenance).toEqual([{ id: w.id, customerId: 'acme', scope: 'PC-01', reason: 'reinstalación' }]);
      expect(st.suppressed).toEqual({ maintenance: 1, silence: 0 });
      clock.set('2026-03-20T20:30:00Z');
      st = collectorStatus(s, clock());
      expect(st.silences).toMatchObject([{ id: silence.id, active: false }]);
      expect(st.maintenance).toEqual([]);
      clock.set('2026-03-20T21:00:01Z');
      expect(collectorStatus(s, clock()).silences).toEqual([]);
    } finally {
      s.db.close();
      dir.cleanup();
    }
  });
});
