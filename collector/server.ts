// The collector's HTTP app, built by a function and listened to elsewhere (tests use app.inject()).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { heartbeatSchema } from '../protocol/envelope.js';
import type { StoredEvent } from '../protocol/event.js';
import { XpearsError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { EventRepository } from './store/store.js';
import type { RegistryReader } from './registry/types.js';
import type { CollectorMetrics } from './metrics.js';
import { authenticateAdmin, authenticateAgent } from './ingest/auth.js';
import { GroupCommit } from './ingest/ingest.js';
import { prepareBody, type Prepare } from './ingest/prepare.js';

/** What the app is built from. */
export interface CollectorAppDeps {
  repo: EventRepository;
  registry: RegistryReader & { refreshIfChanged?(now?: boolean): Promise<void> };
  logger: Logger;
  metrics: CollectorMetrics;
  now: () => Date;
  /** The operator token for the read and ticket endpoints; without it they answer 403. */
  adminToken?: string;
  /** Largest request body, after decompression, in bytes. */
  bodyLimit?: number;
  /** Called with the events stored by each batch (triage, tickets…), inside the batch's transaction, so both commit
   *  together. Its failures never fail the batch: its work is undone and the events are left untriaged. */
  onEventsStored?: (events: StoredEvent[]) => void;
  /** Validates and parses batches elsewhere (the prepare pool's worker threads); without it, in this thread. */
  prepare?: Prepare;
  /** Extra operator routes (tickets, advisories, notifications), registered behind the admin token. */
  adminRoutes?: ((app: FastifyInstance) => void)[];
  /** Called after each commit of envelopes (the WAL checkpointer's catch-up, collector/store/checkpointer.ts). */
  afterCommit?: () => void;
  /** TLS certificate and key: the app then serves HTTPS. */
  https?: { cert: Buffer; key: Buffer };
}

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

const ENVELOPES_ROUTE = '/v1/envelopes';

/** Builds the collector's fastify app. */
export function buildCollectorApp(deps: CollectorAppDeps): FastifyInstance {
  const log = deps.logger.child({ component: 'collector.http' });
  const bodyLimit = deps.bodyLimit ?? 8 * 1024 * 1024;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger, bodyLimit, return503OnClosing: true,
    // Per-request lines would flood the log at ingest rates; refusals and failures are logged by the handlers.
    logController: new LogController({ disableRequestLogging: true }),
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;

  // Agents send gzip; the limit applies to the decompressed bytes, so a small bomb cannot grow past it. A batch of
  // envelopes is inflated where it is read (prepareBody, in the ingest worker when there is one), not here.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.headers['content-encoding'] !== 'gzip' || req.routeOptions.url === ENVELOPES_ROUTE) return payload;
    delete req.headers['content-length'];
    delete req.headers['content-encoding'];
    const gunzip = createGunzip();
    gunzip.on('error', (err) => (gunzip as Readable).destroy(new XpearsError('BODY_INVALID', `gzip: ${err.message}`)));
    return payload.pipe(gunzip);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof XpearsError) {
      if (err.status === 401) deps.metrics.authFailures.inc({ reason: (err.details as { reason?: string } | undefined)?.reason ?? 'missing' });
      deps.metrics.requestErrors.inc({ code: err.code });
      if (err.status >= 400 && err.status < 500) log.warn({ code: err.code, url: req.url, ip: req.ip }, 'request refused');
      return reply.code(err.status).send({ error: err.code, message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const code = status === 413 ? 'BODY_TOO_LARGE' : status < 500 ? 'BODY_INVALID' : 'INTERNAL';
    deps.metrics.requestErrors.inc({ code });
    if (status >= 500) log.error({ err, url: req.url }, 'request failed'); else log.warn({ code, url: req.url, reason: err.message }, 'request refused');
    return reply.code(status).send({ error: code, message: status === 413 ? `the body is larger than ${bodyLimit} bytes` : err.message });
  });

  const agentOf = async (req: FastifyRequest) => {
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

  // Batches ready at the same time commit together (collector/ingest/ingest.ts).
  const commits = new GroupCommit({ repo: deps.repo, now: deps.now, ...(deps.onEventsStored ? { stage: deps.onEventsStored } : {}) },
    undefined, (batches) => {
      deps.metrics.commitBatches.observe(batches);
      try {
        deps.afterCommit?.();
      } catch (err) {
        log.error({ err }, 'the work after a commit failed; the batches are stored');
      }
    });

  // The batch's body reaches the handler as bytes: it is read as JSON where it is parsed and validated (a worker
  // thread of the prepare pool, or here), so the main thread neither parses it nor copies its objects to the worker.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(ENVELOPES_ROUTE, async (req) => {
      const who = await agentOf(req);
      const hint = who.agent.vendorHint;
      const body = req.body as Buffer;
      const encoding = { gzip: req.headers['content-encoding'] === 'gzip', limit: bodyLimit };
      const prepared = deps.prepare ? await deps.prepare(body, hint, encoding) : prepareBody(body, hint, true, encoding);
      if ('refused' in prepared) throw new XpearsError(prepared.tooLarge ? 'BODY_TOO_LARGE' : 'BODY_INVALID', prepared.refused);
      const { result, stored, stageError } = await commits.store(prepared, who);
      deps.metrics.envelopes.inc({ result: 'accepted' }, result.accepted.length);
      deps.metrics.envelopes.inc({ result: 'duplicate' }, result.duplicates.length);
      deps.metrics.envelopes.inc({ result: 'rejected' }, result.rejected.length);
      countEvents(deps.metrics, stored);
      if (result.rejected.length > 0) log.warn({ agent: who.agent.id, rejected: result.rejected.slice(0, 5) }, 'envelopes rejected');
      if (stageError !== undefined) {
        deps.metrics.stageErrors.inc({ stage: 'after-store' });
        log.error({ err: stageError, events: stored.length }, 'a stage after storage failed; the events are stored and left for the leftovers pass');
      }
      return result;
    });
  });

  app.post('/v1/heartbeats', async (req) => {
    const who = await agentOf(req);
    const hb = heartbeatSchema.safeParse(req.body);
    if (!hb.success) throw new XpearsError('BODY_INVALID', `the heartbeat is not valid: ${hb.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    deps.repo.recordHeartbeat(who.agent.id, who.customerId, hb.data, deps.now().toISOString());
    deps.metrics.heartbeats.inc();
    if (hb.data.outbox.refusing) log.error({ agent: who.agent.id, customer: who.customerId }, 'agent reports its outbox refusing captures');
    return { ok: true };
  });

  app.get('/healthz', async () => ({ status: 'ok', envelopes: deps.repo.countEnvelopes() }));

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.register(async (admin) => {
    admin.addHook('onRequest', async (req) => authenticateAdmin(req, deps.adminToken));
    admin.get('/v1/events', async (req) => {
      const q = req.query as { customer?: string; since?: string; limit?: string };
      return deps.repo.listEvents({ customerId: q.customer, since: q.since, limit: q.limit ? Math.min(Number(q.limit), 10_000) : 100 });
    });
    admin.get('/v1/customers', async () => deps.registry.listCustomers());
    admin.get('/v1/agents', async () => {
      const beats = deps.repo.lastHeartbeats();
      return deps.registry.listAgents().map(({ tokenHash: _t, ...a }) => ({ ...a, lastHeartbeat: beats.get(a.id) ?? null }));
    });
    for (const routes of deps.adminRoutes ?? []) routes(admin);
  });

  return app;
}
