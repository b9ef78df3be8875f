// Prometheus counters of the advisory pipeline, registered on the registry the collector gives (none: no-ops).
// A metric already registered under the same name is reused, so a second service on one registry does not throw.
import { Counter, Gauge, type Registry } from 'prom-client';

/** The advisory pipeline's metrics. */
export interface AdvisoryMetrics {
  fetched(source: string, outcome: 'ok' | 'not-modified' | 'error'): void;
  failures(source: string, consecutive: number): void;
  stored(source: string, risk: string): void;
  /** Advisories delivered to contacts (an advisory × a contact), at once or in a digest. */
  routed(mode: 'immediate' | 'digest', count?: number): void;
  digests(count: number): void;
}

/** Builds the metrics on a registry, or no-ops without one. */
export function createAdvisoryMetrics(registry?: Registry): AdvisoryMetrics {
  if (!registry) return { fetched() {}, failures() {}, stored() {}, routed() {}, digests() {} };
  const counter = (name: string, help: string, labelNames: string[]): Counter<string> =>
    (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
  const fetches = counter('xpears_advisory_fetches_total', 'Advisory source fetches, by source and outcome', ['source', 'outcome']);
  const stored = counter('xpears_advisory_new_total', 'New advisories stored, by source and risk level', ['source', 'risk']);
  const routed = counter('xpears_advisory_routed_total', 'Advisories delivered to contacts (advisory × contact), at once or in a digest', ['mode']);
  const digests = counter('xpears_advisory_digests_total', 'Daily digest messages queued', []);
  const failName = 'xpears_advisory_source_consecutive_failures';
  const failures = (registry.getSingleMetric(failName) as Gauge<string> | undefined)
    ?? new Gauge({ name: failName, help: 'Consecutive failed polls of an advisory source', labelNames: ['source'], registers: [registry] });
  return {
    fetched: (source, outcome) => fetches.inc({ source, outcome }),
    failures: (source, consecutive) => failures.set({ source }, consecutive),
    stored: (source, risk) => stored.inc({ source, risk }),
    routed: (mode, count = 1) => routed.inc({ mode }, count),
    digests: (count) => digests.inc(count),
  };
}
