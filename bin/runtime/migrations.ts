// Every migration of the collector's database, in order: the store, then each stage's tables.
import type { Migration } from '../../collector/store/db.js';
import { eventStoreMigrations } from '../../collector/store/store.js';
import { migrations as ticketMigrations } from '../../collector/tickets/index.js';
import { advisoryMigrations } from '../../collector/advisories/index.js';

/** The collector's migrations. */
export function collectorMigrations(): Migration[] {
  return [...eventStoreMigrations, ...ticketMigrations, ...advisoryMigrations];
}
