// Noise gauges read the database at each scrape.
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { storedEvent, ticketKit } from '../tickets/testkit.js';
import { registerNoiseMetrics } from './metrics.js';
import { NoiseStore } from './store.js';

describe('noise metrics', () => {
  it('count suppressed events by kind, outbreak incidents and their computers', async () => {
    const k = ticketKit();
    try {
      const registry = new Registry();
      registerNoiseMetrics(registry, k.db);
      new NoiseStore(k.db).addSilence({ matchers: { computer: 'PC-01' }, endsAt: '2026-03-21T00:00:00Z', comment: 'c', author: 'a' }, k.clock(), 168);
      k.pipeline.processEvent(storedEvent(), k.clock());
      for (const c of ['PC-02', 'PC-03', 'PC-04']) k.pipeline.processEvent(storedEvent({ computer: { name: c } }), k.clock());
      const text = await registry.metrics();
      expect(text).toContain('xpears_collector_suppressed_events{kind="silence"} 1');
      expect(text).toContain('xpears_collector_suppressed_events{kind="maintenance"} 0');
      expect(text).toContain('xpears_collector_outbreak_incidents 1');
      expect(text).toContain('xpears_collector_outbreak_computers 3');
    } finally {
      k.db.close();
    }
  });
});
