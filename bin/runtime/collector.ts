// The collector's composition root: store, registry, HTTP app and every stage after storage, wired together.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { CollectorConfig } from '../../collector/config.js';
import { buildCollectorApp } from '../../collector/server.js';
import { createCollectorMetrics, type CollectorMetrics } from '../../collector/metrics.js';
import { createNotifier, registerNotifyMetrics, type Notifier } from '../../collector/notify/index.js';
import { EscalationScheduler } from '../../collector/escalation/index.js';
import { registerTicketRoutes } from '../../collector/tickets/index.js';
import { registerNoiseRoutes } from '../../collector/noise/routes.js';
import { NoiseStore } from '../../collector/noise/store.js';
import { registerNoiseMetrics } from '../../collector/noise/metrics.js';
import { openCollectorServices, type CollectorServices } from './services.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { stopInOrder } from '../../lib/shutdown.js';
import { collectorPaths } from './paths.js';
import { registerConsole } from './console.js';
import { startCases, type RunningCases } from '../../collector/cases/runtime.js';
import { portalPlugin } from '../../collector/web/portal/plugin.js';
import { PortalSessions } from '../../collector/web/portal/sessions.js';
import { AccountStore } from '../../collector/accounts/index.js';
import { startReportSchedule } from '../../reports/schedule.js';
import { ScheduleLedger } from '../../collector/schedule/ledger.js';
import { startRetention } from '../../collector/retention.js';
import { triageLeftovers } from '../../collector/pipeline/leftovers.js';
import { PreparePool, defaultPrepareWorkers } from '../../collector/ingest/prepare-pool.js';
import { startCheckpointer } from '../../collector/store/checkpointer.js';
import type { VendorHint } from '../../collector/parse/types.js';
import type { BodyEncoding } from '../../collector/ingest/prepare.js';

/** Reads the operator token, creating it (mode 600) on first start. */
export function ensureAdminToken(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const token = `xpa_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** A running collector. */
export interface RunningCollector extends CollectorServices {
  app: FastifyInstance;
  url: string;
  metrics: CollectorMetrics;
  notifier: Notifier | null;
  escalation: EscalationScheduler;
  /** Customers' cases: the service, the CAS mailbox's listener and poller (collector/cases/). */
  cases: RunningCases;
  stop(): Promise<void>;
}

/** Starts the collector: services, HTTP app, notification dispatcher, escalation and advisory schedules. */
export async function startCollector(config: CollectorConfig, deps: { logger: Logger; clock: Clock; schedules?: boolean }): Promise<RunningCollector> {
  const paths = collectorPaths(config);
  const services = await openCollectorServices(config, deps);
  const { db, repo, registry, tickets, advisories, outbox, calendar } = services;
  const log = deps.logger;
  const metrics = createCollectorMetrics();
  const adminToken = ensureAdminToken(paths.adminToken);
  const notifier = config.notify ? createNotifier({ config: config.notify, db, clock: deps.clock, logger: log, registry: metrics.registry }) : null;
  registerNoiseMetrics(metrics.registry, db);
  // A message queued by any service (a ticket, a report, an advisory) wakes the dispatcher: it leaves at once.
  if (notifier) outbox.onQueued(() => notifier.dispatcher.wake());
  if (!notifier) {
    registerNotifyMetrics(metrics.registry, outbox);
    log.warn('no notify section in the configuration: notifications are queued but not sent');
  }
  const escalation = new EscalationScheduler({
    service: tickets, registry, calendar, clock: deps.clock, logger: log, config: config.tickets.escalation,
    lastHeartbeats: () => repo.lastHeartbeats(),
  });
  const workers = config.ingest.workers === 'auto' ? defaultPrepareWorkers() : config.ingest.workers;
  const pool = workers > 0 ? new PreparePool(workers, log.child({ component: 'collector.ingest' })) : null;
  // With a core to spare, WAL checkpoints leave the main thread too.
  const checkpointer = workers > 0 && !db.memory ? startCheckpointer(db, log.child({ component: 'collector.store' })) : null;
  const https = config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined;
  const operatorAccounts = new AccountStore(db, deps.clock);
  const app = buildCollectorApp({
    repo, registry, logger: log, metrics, now: deps.clock, adminToken, bodyLimit: config.bodyLimitBytes, connections: config.connections,
    // Engineers' personal tokens work on the operator API too (the admin token stays, as the service account).
    operatorToken: (token: string) => {
      const user = operatorAccounts.userOfToken(token);
      return user ? { login: user.login, role: user.role } : undefined;
    },
    ...(https ? { https } : {}),
    ...(pool ? { prepare: (body: Uint8Array, hint: VendorHint, encoding: BodyEncoding) => pool.prepare(body, hint, encoding) } : {}),
    // Inside the batch's transaction: the events are stored triaged, their tickets commit with them.
    onEventsStored: (events) => { services.pipeline.processStored(events, deps.clock()); },
    ...(checkpointer ? { afterCommit: () => checkpointer.catchUp() } : {}),
    // Their changes go to the accounts' audit log, named by the token (a person, or `service` for the admin token).
    adminRoutes: [(admin) => registerTicketRoutes(admin, tickets, { audit: operatorAccounts }),
      (admin) => registerNoiseRoutes(admin, { store: new NoiseStore(db), clock: deps.clock, config: config.noise, audit: operatorAccounts })],
  });
  // The CAS console under /console (collector/web), on the same port.
  await registerConsole(app, services, { logger: log, clock: deps.clock, secure: Boolean(https) });
  triageLeftovers(services, deps.clock(), log);
  const cases = await startCases(config.cases, { tickets, dataDir: config.dataDir, clock: deps.clock, logger: log,
    mailDomain: config.notify?.from.address.split('@')[1] ?? 'xpears.invalid', schedules: deps.schedules ?? true });
  // The contacts' portal under /portal (collector/web/portal): its sign-in links name the collector's own address.
  let publicUrl = '';
  await app.register(portalPlugin, { cases: cases.service, sessions: new PortalSessions(db, deps.clock, config.cases.portal),
    baseUrl: () => config.cases.portal.publicUrl ?? publicUrl, reopenDays: config.cases.reopenDays, secure: Boolean(https),
    signIn: config.cases.portal.signIn, attachments: cases.intake.policy, logger: log.child({ component: 'portal' }) });
  await app.listen({ host: config.listen.address, port: config.listen.port });
  const port = (app.server.address() as AddressInfo).port;
  const url = `${https ? 'https' : 'http'}://${config.listen.address.includes(':') ? `[${config.listen.address}]` : config.listen.address}:${port}`;
  publicUrl = url;
  const schedules = deps.schedules ?? true;
  if (schedules) {
    notifier?.dispatcher.start();
    escalation.start();
    if (config.advisories.enabled) advisories.start();
  }
  const leftovers = schedules ? setInterval(() => {
    try { triageLeftovers(services, deps.clock(), log); } catch (err) { metrics.stageErrors.inc({ stage: 'triage' }); log.error({ err }, 'triage of leftover events failed'); }
  }, 60_000) : null;
  leftovers?.unref();
  const reportSchedule = schedules && config.reports.enabled
    ? startReportSchedule({ ...services.reports, calendar, hour: config.reports.hour, ledger: new ScheduleLedger(db) })
    : null;
  // Old data leaves daily, in small batches (collector/retention.ts); sent notifications through Notifier.prune.
  const retention = schedules ? startRetention({
    db, config: config.retention, clock: deps.clock, logger: log.child({ component: 'collector.retention' }), ledger: new ScheduleLedger(db),
    pruneNotifications: (now) => notifier?.prune(now) ?? outbox.pruneSent(new Date(now.getTime() - config.retention.notificationsDays * 86_400_000)),
  }) : null;
  log.info({ url, dataDir: config.dataDir, ingestWorkers: workers, notifications: notifier ? 'sending' : 'queued only', advisories: config.advisories.enabled, reports: Boolean(reportSchedule) }, 'collector listening');
  return {
    ...services, app, url, metrics, notifier, escalation, cases,
    // Stop accepting and answer what is in flight (app.close), then the schedules, the sends under way, the
    // checkpoint thread, and the database last; a part that fails does not keep the others open (lib/shutdown.ts).
    async stop() {
      await stopInOrder(log, [
        ['http', () => app.close()], ['cas mailbox', () => cases.stop()], ['ingest workers', () => pool?.close()],
        ['reports schedule', () => reportSchedule?.stop()], ['triage leftovers', () => { if (leftovers) clearInterval(leftovers); }],
        ['escalation', () => escalation.stop()], ['advisories', () => advisories.stop()], ['notifier', () => notifier?.close()],
        ['retention', () => retention?.stop()], ['checkpointer', () => checkpointer?.stop()], ['database', () => services.close()],
      ]);
      log.info('collector stopped');
    },
  };
}
