// Every migration of the collector's database, in the one order they are applied: the event store (envelopes,
// events, heartbeats), then the tables of what comes after it (tickets, the notification outbox, advisories,
// engineers' accounts, the console's queue index). The collector runs them once at start-up (bin/runtime/migrations.ts); no constructor runs them.
import { migrate, openDatabase, type Db, type Migration } from './store/db.js';
import { eventStoreMigrations } from './store/store.js';
import { migrations as ticketMigrations } from './tickets/migrations.js';
import { migrations as outboxMigrations } from './notify/outbox-schema.js';
import { migrations as advisoryMigrations } from './advisories/store.js';
import { accountMigrations } from './accounts/migrations.js';
import { scheduleMigrations } from './schedule/ledger.js';
import { noiseMigrations } from './noise/store.js';
import { stormMigrations } from './noise/storm.js';
import { caseMigrations } from './cases/migrations.js';
import { portalMigrations, portalSessionMigrations } from './web/portal/sessions.js';
import { consoleMigrations } from './web/queries.js';
import { caseTriageMigrations } from './cases/triage.js';
import { portalPasswordMigrations } from './web/portal/passwords.js';
import { heartbeatRollupMigrations } from './store/heartbeat-rollup.js';
import { listingIndexMigrations } from './store/listing-indexes.js';

/** The collector's migrations, in order. */
export const COLLECTOR_MIGRATIONS: readonly Migration[] = Object.freeze([
  ...eventStoreMigrations, ...ticketMigrations, ...outboxMigrations, ...advisoryMigrations, ...accountMigrations,
  ...scheduleMigrations, ...noiseMigrations, ...stormMigrations, ...caseMigrations, ...portalMigrations,
  ...consoleMigrations, ...heartbeatRollupMigrations, ...caseTriageMigrations, ...portalSessionMigrations, ...portalPasswordMigrations,
  ...listingIndexMigrations,
]);

/** Applies the collector's migrations not applied yet; returns their ids. */
export function migrateCollectorDatabase(db: Db): string[] {
  return migrate(db, COLLECTOR_MIGRATIONS);
}

/** Opens a database file with every table of the collector (start-up, tools and tests). */
export function openCollectorDb(path: string): Db {
  const db = openDatabase(path);
  migrateCollectorDatabase(db);
  return db;
}
