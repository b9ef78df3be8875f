// The collector's composition root: store, registry, HTTP app and every stage after storage, wired together.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { CollectorConfig } from '../../collector/config.js';
import { openDatabase, migrate, type Db, type Migration } from '../../collector/store/db.js';
import { SqliteEventRepository, eventStoreMigrations } from '../../collector/store/store.js';
import { Registry } from '../../collector/registry/index.js';
import { buildCollectorApp } from '../../collector/server.js';
import { createCollectorMetrics, type CollectorMetrics } from '../../collector/metrics.js';
import { resolvePlans, type PlanOverrides } from '../../config/plans.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { collectorPaths } from './paths.js';

/** Every migration of the collector's database, in order. */
export function collectorMigrations(): Migration[] {
  return [...eventStoreMigrations];
}

/** Opens the collector's database with every module's tables. */
export function openCollectorDatabase(config: Pick<CollectorConfig, 'dataDir' | 'adminTokenFile'>): Db {
  const db = openDatabase(collectorPaths(config).database);
  migrate(db, collectorMigrations());
  return db;
}

/** Reads the operator token, creating it (mode 600) on first start. */
export function ensureAdminToken(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const token = `xpa_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** A running collector. */
export interface RunningCollector {
  app: FastifyInstance;
  url: string;
  db: Db;
  repo: SqliteEventRepository;
  registry: Registry;
  metrics: CollectorMetrics;
  stop(): Promise<void>;
}

/** Starts the collector and listens. */
export async function startCollector(config: CollectorConfig, deps: { logger: Logger; clock: Clock }): Promise<RunningCollector> {
  const paths = collectorPaths(config);
  const db = openCollectorDatabase(config);
  const repo = new SqliteEventRepository(db);
  const plans = resolvePlans(config.plans as PlanOverrides);
  const registry = await Registry.open(paths.registry, plans, deps.clock);
  const metrics = createCollectorMetrics();
  const adminToken = ensureAdminToken(paths.adminToken);
  const https = config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined;
  const app = buildCollectorApp({
    repo, registry, logger: deps.logger, metrics, now: deps.clock, adminToken, bodyLimit: config.bodyLimitBytes,
    ...(https ? { https } : {}),
  });
  await app.listen({ host: config.listen.address, port: config.listen.port });
  const port = (app.server.address() as AddressInfo).port;
  const url = `${https ? 'https' : 'http'}://${config.listen.address.includes(':') ? `[${config.listen.address}]` : config.listen.address}:${port}`;
  deps.logger.info({ url, dataDir: config.dataDir }, 'collector listening');
  return {
    app, url, db, repo, registry, metrics,
    async stop() {
      await app.close();
      db.close();
    },
  };
}
