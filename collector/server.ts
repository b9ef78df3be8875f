// The collector's HTTP app, built by a function and listened to elsewhere (tests use app.inject()).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { StoredEvent } from '../protocol/event.js';
import { ENVELOPES_PATH } from '../protocol/paths.js';
import { XpearsError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { EventRepository } from './store/store.js';
import type { RegistryReader } from './registry/types.js';
import type { CollectorMetrics } from './metrics.js';
import { authenticateAdmin } from './ingest/auth.js';
import type { Prepare } from './ingest/prepare.js';
import { registerIngestRoutes } from './ingest/routes.js';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, fastifyTimeoutOptions, httpServerOptions, type ConnectionLimits } from './ingest/guard.js';
import { parseListLimit } from '../lib/query-limit.js';
import { setOperator } from './accounts/operator.js';
import type { Role } from './accounts/types.js';

/** What the app is built from. */
export interface CollectorAppDeps {
  repo: EventRepository;
  registry: RegistryReader & { refreshIfChanged?(now?: boolean): Promise<void> };
  logger: Logger;
  metrics: CollectorMetrics;
  now: () => Date;
  /** The operator token for the read and ticket endpoints; without it they answer 403. */
  adminToken?: string;
  /** Engineers' personal API tokens (`xpu_…`, collector/accounts), accepted there besides the admin token: the live
   *  token's owner, who the request's changes are recorded as (collector/accounts/operator.ts). */
  operatorToken?: (token: string) => { login: string; role: Role } | undefined;
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
  /** Timeouts and connection caps (collector/ingest/guard.ts); the defaults without it. */
  connections?: ConnectionLimits;
}

/** Answers what a handler threw: an XpearsError with its status and code, anything else as 4xx/5xx; counted. */
function errorHandler(metrics: CollectorMetrics, log: Logger, bodyLimit: number) {
  return (err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof XpearsError) {
      if (err.status === 401) metrics.authFailures.inc({ reason: (err.details as { reason?: string } | undefined)?.reason ?? 'missing' });
      metrics.requestErrors.inc({ code: err.code });
      if (err.status >= 400 && err.status < 500) log.warn({ code: err.code, url: req.url, ip: req.ip }, 'request refused');
      return reply.code(err.status).send({ error: err.code, message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const code = status === 413 ? 'BODY_TOO_LARGE' : status < 500 ? 'BODY_INVALID' : 'INTERNAL';
    metrics.requestErrors.inc({ code });
    if (status >= 500) log.error({ err, url: req.url }, 'request failed'); else log.warn({ code, url: req.url, reason: err.message }, 'request refused');
    return reply.code(status).send({ error: code, message: status === 413 ? `the body is larger than ${bodyLimit} bytes` : err.message });
  };
}

// A person's live `xpu_` token, or else the admin token (the service account); the request remembers which.
function authenticateOperator(req: FastifyRequest, deps: Pick<CollectorAppDeps, 'adminToken' | 'operatorToken'>): void {
  const presented = /^Bearer\s+(xpu_\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const user = presented ? deps.operatorToken?.(presented) : undefined;
  if (user) {
    setOperator(req, { kind: 'user', login: user.login, role: user.role });
    return;
  }
  authenticateAdmin(req, deps.adminToken);
  setOperator(req, { kind: 'service' });
}

/** Builds the collector's fastify app. */
export function buildCollectorApp(deps: CollectorAppDeps): FastifyInstance {
  const log = deps.logger.child({ component: 'collector.http' });
  const bodyLimit = deps.bodyLimit ?? 8 * 1024 * 1024;
  const limits = deps.connections ?? DEFAULT_CONNECTION_LIMITS;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger, bodyLimit, return503OnClosing: true,
    // Per-request lines would flood the log at ingest rates; refusals and failures are logged by the handlers.
    logController: new LogController({ disableRequestLogging: true }),
    ...fastifyTimeoutOptions(limits),
    ...(deps.https ? { https: { ...deps.https, ...httpServerOptions(limits) } } : { http: httpServerOptions(limits) }),
  }) as unknown as FastifyInstance;
  const connectionGuard = new ConnectionGuard(limits, log, deps.now);
  connectionGuard.attach(app.server);

  // Agents send gzip; the limit applies to the decompressed bytes, so a small bomb cannot grow past it. A batch of
  // envelopes is inflated where it is read (prepareBody, in the ingest worker when there is one), not here.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.headers['content-encoding'] !== 'gzip' || req.routeOptions.url === ENVELOPES_PATH) return payload;
    delete req.headers['content-length'];
    delete req.headers['content-encoding'];
    const gunzip = createGunzip();
    gunzip.on('error', (err) => (gunzip as Readable).destroy(new XpearsError('BODY_INVALID', `gzip: ${err.message}`)));
    return payload.pipe(gunzip);
  });

  app.setErrorHandler(errorHandler(deps.metrics, log, bodyLimit));

  // The agents' routes (collector/ingest/routes.ts); the operator's are below, behind the admin token.
  registerIngestRoutes(app, { ...deps, bodyLimit, log, connectionGuard });

  app.get('/healthz', async () => ({ status: 'ok', envelopes: deps.repo.countEnvelopes() }));

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.register(async (admin) => {
    admin.addHook('onRequest', async (req) => authenticateOperator(req, deps));
    admin.get('/v1/events', async (req) => {
      const q = req.query as { customer?: string; since?: string; limit?: string };
      return deps.repo.listEvents({ customerId: q.customer, since: q.since, limit: parseListLimit(q.limit, 100) });
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
