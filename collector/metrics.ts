// The collector's Prometheus metrics: one registry per app, so tests and several apps in one process don't collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's counters and gauges. */
export interface CollectorMetrics {
  registry: Registry;
  envelopes: Counter<'result'>;
  events: Counter<'vendor' | 'event_type'>;
  authFailures: Counter<'reason'>;
  heartbeats: Counter;
  requestErrors: Counter<'code'>;
  stageErrors: Counter<'stage'>;
  agentsSilent: Gauge;
  commitBatches: Histogram;
}

/** Creates the metrics, with Node's default process metrics. */
export function createCollectorMetrics(): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xpears_collector_' });
  const mk = <T extends string>(name: string, help: string, labelNames: T[]) => new Counter<T>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    envelopes: mk('xpears_collector_envelopes_total', 'Envelopes received, by result (accepted, duplicate, rejected).', ['result']),
    events: mk('xpears_collector_events_total', 'Events parsed and stored, by vendor and type.', ['vendor', 'event_type']),
    authFailures: mk('xpears_collector_auth_failures_total', 'Requests refused for their token, by reason.', ['reason']),
    heartbeats: new Counter({ name: 'xpears_collector_heartbeats_total', help: 'Agent heartbeats received.', registers: [registry] }),
    requestErrors: mk('xpears_collector_request_errors_total', 'Requests answered with an error, by code.', ['code']),
    stageErrors: mk('xpears_collector_stage_errors_total', 'Failures of a pipeline stage after storage, by stage.', ['stage']),
    agentsSilent: new Gauge({ name: 'xpears_collector_agents_silent', help: 'Enrolled agents without a heartbeat within the silence limit.', registers: [registry] }),
    commitBatches: new Histogram({
      name: 'xpears_collector_store_commit_batches', help: 'Agent batches stored per database commit (group commit).',
      buckets: [1, 2, 3, 4, 6, 8], registers: [registry],
    }),
  };
}
