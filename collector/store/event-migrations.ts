// The store's migrations in order: its own tables (migrations.ts), heartbeats, the triage mark, and envelope
// identity per customer (tenancy-migration.ts), the lookups (lookup-migrations.ts). Re-exported by store.ts, where the rest of the collector finds it.
import type { Migration } from './db.js';
import { storeMigrations } from './migrations.js';
import { tenancyMigration } from './tenancy-migration.js';
import { lookupMigrations } from './lookup-migrations.js';

/** Migrations of the store, heartbeats included. */
export const eventStoreMigrations: Migration[] = [
  ...storeMigrations,
  {
    id: 'store/002-heartbeats',
    up(db) {
      db.exec(`
        CREATE TABLE heartbeats (
          agent_id TEXT NOT NULL,
          customer_id TEXT NOT NULL,
          received_at TEXT NOT NULL,
          body TEXT NOT NULL
        );
        CREATE INDEX heartbeats_agent_time ON heartbeats (agent_id, received_at);
        CREATE INDEX heartbeats_customer_time ON heartbeats (customer_id, received_at);
      `);
    },
  },
  {
    // Events already stored before this migration count as triaged; new ones start at 0.
    id: 'store/003-events-triaged',
    up(db) {
      db.exec(`
        ALTER TABLE events ADD COLUMN triaged INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX events_untriaged ON events (received_at) WHERE triaged = 0;
      `);
    },
  },
  tenancyMigration,
  ...lookupMigrations,
];
