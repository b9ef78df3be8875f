// The store's own tables: envelopes as received (raw capture kept for re-parsing) and the events parsed from them.
import type { Migration } from './db.js';

/** Migrations of the envelope and event store. */
export const storeMigrations: Migration[] = [
  {
    id: 'store/001-envelopes-events',
    up(db) {
      db.exec(`
        CREATE TABLE envelopes (
          id TEXT PRIMARY KEY,
          customer_id TEXT NOT NULL,
          agent_id TEXT NOT NULL,
          transport TEXT NOT NULL,
          captured_at TEXT NOT NULL,
          received_at TEXT NOT NULL,
          source_address TEXT NOT NULL,
          payload TEXT NOT NULL
        );
        CREATE INDEX envelopes_customer_time ON envelopes (customer_id, captured_at);
        CREATE INDEX envelopes_received ON envelopes (received_at);

        CREATE TABLE events (
          id TEXT PRIMARY KEY,
          envelope_id TEXT NOT NULL REFERENCES envelopes(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          customer_id TEXT NOT NULL,
          agent_id TEXT NOT NULL,
          vendor TEXT NOT NULL,
          product TEXT,
          event_type TEXT NOT NULL,
          severity TEXT NOT NULL,
          vendor_severity TEXT,
          occurred_at TEXT NOT NULL,
          received_at TEXT NOT NULL,
          computer_name TEXT,
          computer_ip TEXT,
          computer_user TEXT,
          threat_name TEXT,
          threat_type TEXT,
          threat_object TEXT,
          threat_hash TEXT,
          action TEXT,
          handled INTEGER,
          count INTEGER NOT NULL DEFAULT 1,
          computers_affected INTEGER,
          summary TEXT NOT NULL,
          format TEXT NOT NULL,
          detail TEXT NOT NULL,
          UNIQUE (envelope_id, seq)
        );
        CREATE INDEX events_customer_time ON events (customer_id, occurred_at);
        CREATE INDEX events_customer_type ON events (customer_id, event_type, occurred_at);
      `);
    },
  },
];
