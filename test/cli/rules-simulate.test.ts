// `xpears rules test FILE --pipeline --customer ID`: what events would become with the real windows and silences and
// storm control, on a throwaway copy (the real database gets no ticket).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCollectorServices } from '../../bin/runtime/services.js';
import { formatSimulation, simulatePipeline } from '../../bin/commands/rules-simulate.js';
import { NoiseStore } from '../../collector/noise/store.js';
import { collectorConfigFor, enrollAcme, tempDir } from '../e2e/harness.js';
import { silentLogger } from '../../lib/logger.js';
import { fixedClock } from '../../lib/clock.js';

const detection = (computer: string, threat: string) => ({ vendor: 'eset', eventType: 'threat-detected', severity: 'high',
  occurredAt: '2026-03-20T18:00:00Z', summary: `${threat} en ${computer}`, format: 'test', handled: false, action: 'left-alone',
  computer: { name: computer }, threat: { name: threat } });

describe('rules test --pipeline', () => {
  it('shows the storm incident, the silenced event and the mails, and leaves the real database alone', async () => {
    const dir = tempDir('xpears-simulate-');
    try {
      const config = collectorConfigFor(join(dir.path, 'collector'));
      await enrollAcme(config.dataDir);
      const now = new Date('2026-03-20T18:00:00Z');
      const real = await openCollectorServices(config, { logger: silentLogger(), clock: fixedClock(now) });
      new NoiseStore(real.db).addSilence({ matchers: { threat: 'EICAR' }, endsAt: '2026-03-21T00:00:00Z', comment: 'prueba', author: 'ana' }, now, 168);
      real.close();
      const file = join(dir.path, 'events.json');
      writeFileSync(file, JSON.stringify([...['PC-1', 'PC-2', 'PC-3', 'PC-4'].map((c) => detection(c, 'Win32/Worm.X')), detection('PC-9', 'EICAR')]));
      const r = await simulatePipeline(config, file, 'acme', now);
      expect(r.events.map((e) => e.became)).toEqual([
        'opens XR-2026-000001', 'opens XR-2026-000002 (outbreak incident)', 'folds into XR-2026-000002 (outbreak incident)',
        'folds into XR-2026-000002 (outbreak incident)', 'suppressed by silence S-1',
      ]);
      expect(r.tickets.find((t) => t.key.startsWith('storm|'))?.computers).toBe(4);
      expect(formatSimulation(r)).toContain('#4 threat-detected on PC-9 → ');
      const after = await openCollectorServices(config, { logger: silentLogger(), clock: fixedClock(now) });
      expect(after.tickets.repo.list({})).toEqual([]);
      after.close();
    } finally {
      dir.cleanup();
    }
  });
});
