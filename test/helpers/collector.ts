// Builds a collector app on real files in a temp folder, with two customers enrolled: for tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, type Db } from '../../collector/store/db.js';
import { SqliteEventRepository, eventStoreMigrations } from '../../collector/store/store.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { buildCollectorApp, type CollectorAppDeps } from '../../collector/server.js';
import { createCollectorMetrics } from '../../collector/metrics.js';
import { silentLogger } from '../../lib/logger.js';
import type { FastifyInstance } from 'fastify';
import type { Prepare } from '../../collector/ingest/prepare.js';

export interface TestCollector {
  dir: string;
  db: Db;
  repo: SqliteEventRepository;
  registry: Registry;
  app: FastifyInstance;
  tokenA: string;
  tokenB: string;
  agentA: string;
  adminToken: string;
  close(): Promise<void>;
}

/** A collector app with customers "acme" (token A) and "globex" (token B). */
export async function testCollector(opts: { prepare?: Prepare } & Partial<Pick<CollectorAppDeps, 'connections' | 'logger'>> = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-collector-'));
  const db = openDatabase(join(dir, 'collector.db'));
  migrate(db, eventStoreMigrations);
  const repo = new SqliteEventRepository(db);
  const registry = await Registry.open(join(dir, 'registry.json'), resolvePlans());
  await registry.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed' });
  await registry.addCustomer({ id: 'globex', name: 'Globex SRL', plan: 'basic' });
  const a = await registry.enrollAgent('acme');
  const b = await registry.enrollAgent('globex');
  const adminToken = 'admin-test-token-0123456789';
  const app = buildCollectorApp({ repo, registry, metrics: createCollectorMetrics(), now: () => new Date(), adminToken, ...opts, logger: opts.logger ?? silentLogger() });
  await app.ready();
  return {
    dir, db, repo, registry, app, tokenA: a.token, tokenB: b.token, agentA: a.agent.id, adminToken,
    async close() { await app.close(); db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
