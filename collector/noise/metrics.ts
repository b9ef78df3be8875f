// Noise control's Prometheus gauges, read from the database at each scrape (the counts survive restarts).
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../store/db.js';
import { noiseCounts } from './store.js';

/** Registers xpears_collector_suppressed_events{kind}, xpears_collector_outbreak_incidents and …_outbreak_computers. */
export function registerNoiseMetrics(registry: Registry, db: Db): void {
  new Gauge({ name: 'xpears_collector_suppressed_events', help: 'Events kept from a ticket, by what kept them (maintenance, silence).',
    labelNames: ['kind'], registers: [registry],
    collect() { const c = noiseCounts(db); this.set({ kind: 'maintenance' }, c.suppressed.maintenance); this.set({ kind: 'silence' }, c.suppressed.silence); } });
  new Gauge({ name: 'xpears_collector_outbreak_incidents', help: 'Outbreak incidents storm control opened.', registers: [registry],
    collect() { this.set(noiseCounts(db).incidents); } });
  new Gauge({ name: 'xpears_collector_outbreak_computers', help: 'Computers grouped into outbreak incidents.', registers: [registry],
    collect() { this.set(noiseCounts(db).grouped); } });
}
