// The collector's database at start-up: opened and brought to the current schema once, by the one ordered list of
// every module's migrations (collector/migrations.ts).
import type { Db, Migration } from '../../collector/store/db.js';
import type { CollectorConfig } from '../../collector/config.js';
import { COLLECTOR_MIGRATIONS, openCollectorDb } from '../../collector/migrations.js';
import { collectorPaths } from './paths.js';

/** The collector's migrations, in the order they are applied. */
export function collectorMigrations(): Migration[] {
  return [...COLLECTOR_MIGRATIONS];
}

/** Opens the collector's database with every module's tables. */
export function openCollectorDatabase(config: Pick<CollectorConfig, 'dataDir' | 'adminTokenFile'>): Db {
  return openCollectorDb(collectorPaths(config).database);
}
