// The collector's database: every migration, in order (the store, then each stage's tables), and its opener.
import { openDatabase, migrate, type Db, type Migration } from '../../collector/store/db.js';
import type { CollectorConfig } from '../../collector/config.js';
import { collectorPaths } from './paths.js';
import { eventStoreMigrations } from '../../collector/store/store.js';
import { migrations as ticketMigrations } from '../../collector/tickets/index.js';
import { advisoryMigrations } from '../../collector/advisories/index.js';

/** The collector's migrations. */
export function collectorMigrations(): Migration[] {
  return [...eventStoreMigrations, ...ticketMigrations, ...advisoryMigrations];
}

/** Opens the collector's database with every module's tables. */
export function openCollectorDatabase(config: Pick<CollectorConfig, 'dataDir' | 'adminTokenFile'>): Db {
  const db = openDatabase(collectorPaths(config).database);
  migrate(db, collectorMigrations());
  return db;
}
