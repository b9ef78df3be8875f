// The agents' routes: a batch of envelopes (POST /v1/envelopes) and a heartbeat (POST /v1/heartbeats), each behind
// the agent's token. The operator routes stay in server.ts; the app's error handler answers what these throw.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { heartbeatSchema } from '../../protocol/envelope.js';
import type { StoredEvent } from '../../protocol/event.js';
import { ENVELOPES_PATH, HEARTBEATS_PATH } from '../../protocol/paths.js';
import { XpearsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { CollectorMetrics } from '../metrics.js';
import type { CollectorAppDeps } from '../server.js';
import { authenticateAgent, type AuthenticatedAgent } from './auth.js';
import { guardAgentRoutes, type ConnectionGuard } from './guard.js';
import { GroupCommit } from './ingest.js';
import { prepareBody } from './prepare.js';

/** What the agents' routes need: the app's deps, its body limit and its logger. */
export type IngestRouteDeps = Pick<CollectorAppDeps, 'repo' | 'registry' | 'metrics' | 'now' | 'onEventsStored' | 'prepare' | 'afterCommit'>
  & { bodyLimit: number; log: Logger; connectionGuard?: ConnectionGuard };

/** Counts a batch's events by vendor and type: one metric update per kind, not per event. */
function countEvents(metrics: CollectorMetrics, events: readonly StoredEvent[]): void {
  const kinds = new Map<string, { vendor: string; event_type: string; n: number }>();
  for (const e of events) {
    const key = `${e.vendor}\0${e.eventType}`;
    const kind = kinds.get(key);
    if (kind) kind.n++; else kinds.set(key, { vendor: e.vendor, event_type: e.eventType, n: 1 });
  }
  for (const { vendor, event_type, n } of kinds.values()) metrics.events.inc({ vendor, event_type }, n);
}

/** The agent behind a request; a token the registry does not know makes it look at the registry file again once. */
function agentAuthenticator(deps: IngestRouteDeps): (req: FastifyRequest) => Promise<AuthenticatedAgent> {
  return async (req) => {
    await deps.registry.refreshIfChanged?.();
    try {
      return authenticateAgent(req, deps.registry);
    } catch (err) {
      // A token the registry does not know may be an agent enrolled since the last look (at most a second ago): look
      // at the file once more, now. A stat per refused request; the file is read again only if it changed.
      const unknown = err instanceof XpearsError && (err.details as { reason?: string } | undefined)?.reason === 'unknown';
      if (!unknown || !deps.registry.refreshIfChanged) throw err;
      await deps.registry.refreshIfChanged(true);
      return authenticateAgent(req, deps.registry);
    }
  };
}

/** Batches ready at the same time commit together (collector/ingest/ingest.ts). */
function groupCommit(deps: IngestRouteDeps): GroupCommit {
  return new GroupCommit({ repo: deps.repo, now: deps.now, ...(deps.onEventsStored ? { stage: deps.onEventsStored } : {}) },
    undefined, (batches) => {
      deps.metrics.commitBatches.observe(batches);
      try {
        deps.afterCommit?.();
      } catch (err) {
        deps.log.error({ err }, 'the work after a commit failed; the batches are stored');
      }
    });
}

/** POST /v1/envelopes: the batch's body reaches the handler as bytes and is parsed where it is validated. */
function registerEnvelopeRoute(app: FastifyInstance, deps: IngestRouteDeps, agentOf: ReturnType<typeof agentAuthenticator>): void {
  const commits = groupCommit(deps);
  const { log, metrics } = deps;
  // The body is read as JSON where it is parsed and validated (a worker thread of the prepare pool, or here), so the
  // main thread neither parses it nor copies its objects to the worker.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(ENVELOPES_PATH, async (req) => {
      const who = await agentOf(req);
      const hint = who.agent.vendorHint;
      const body = req.body as Buffer;
      const encoding = { gzip: req.headers['content-encoding'] === 'gzip', limit: deps.bodyLimit };
      const prepared = deps.prepare ? await deps.prepare(body, hint, encoding) : prepareBody(body, hint, true, encoding);
      if ('refused' in prepared) throw new XpearsError(prepared.tooLarge ? 'BODY_TOO_LARGE' : 'BODY_INVALID', prepared.refused);
      const { result, stored, stageError } = await commits.store(prepared, who);
      metrics.envelopes.inc({ result: 'accepted' }, result.accepted.length);
      metrics.envelopes.inc({ result: 'duplicate' }, result.duplicates.length);
      metrics.envelopes.inc({ result: 'rejected' }, result.rejected.length);
      countEvents(metrics, stored);
      if (result.rejected.length > 0) log.warn({ agent: who.agent.id, rejected: result.rejected.slice(0, 5) }, 'envelopes rejected');
      if (stageError !== undefined) {
        metrics.stageErrors.inc({ stage: 'after-store' });
        log.error({ err: stageError, events: stored.length }, 'a stage after storage failed; the events are stored and left for the leftovers pass');
      }
      return result;
    });
  });
}

/** Registers the agents' routes: envelopes and heartbeats. */
export function registerIngestRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  // The token is checked in onRequest, before the body is read (guard.ts); the handlers take the agent it proved.
  const agentOf = guardAgentRoutes(app, [ENVELOPES_PATH, HEARTBEATS_PATH], agentAuthenticator(deps), deps.connectionGuard);
  registerEnvelopeRoute(app, deps, agentOf);
  app.post(HEARTBEATS_PATH, async (req) => {
    const who = await agentOf(req);
    const hb = heartbeatSchema.safeParse(req.body);
    if (!hb.success) throw new XpearsError('BODY_INVALID', `the heartbeat is not valid: ${hb.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    deps.repo.recordHeartbeat(who.agent.id, who.customerId, hb.data, deps.now().toISOString());
    deps.metrics.heartbeats.inc();
    if (hb.data.outbox.refusing) deps.log.error({ agent: who.agent.id, customer: who.customerId }, 'agent reports its outbox refusing captures');
    return { ok: true };
  });
}
