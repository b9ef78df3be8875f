// Envelope identity per customer (issue 13): an envelope is (customer, id), so one customer's ids can neither hide
// another's envelopes (taken as duplicates) nor reveal that they exist. SQLite cannot change a primary key in place:
// both tables are rebuilt, their rows copied as they are (event ids of stored events do not change).
import type { Migration } from './db.js';

const ENVELOPES = `
  CREATE TABLE envelopes_by_customer (
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    transport TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    source_address TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (customer_id, id)
  );
  INSERT INTO envelopes_by_customer (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload)
    SELECT id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload FROM envelopes;`;

// Event ids stay globally unique (tickets link events by id); an event's envelope is (customer_id, envelope_id).
const EVENTS = `
  CREATE TABLE events_by_customer (
    id TEXT PRIMARY KEY,
    envelope_id TEXT NOT NULL,
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
    triaged INTEGER NOT NULL DEFAULT 1,
    UNIQUE (customer_id, envelope_id, seq),
    FOREIGN KEY (customer_id, envelope_id) REFERENCES envelopes_by_customer (customer_id, id) ON DELETE CASCADE
  );
  INSERT INTO events_by_customer SELECT id, envelope_id, seq, customer_id, agent_id, vendor, product, event_type, severity,
    vendor_severity, occurred_at, received_at, computer_name, computer_ip, computer_user, threat_name, threat_type,
    threat_object, threat_hash, action, handled, count, computers_affected, summary, format, detail, triaged FROM events;`;

// Renaming a table rewrites the foreign keys that name it (SQLite 3.26+), so events end up referencing envelopes.
const SWAP = `
  DROP TABLE events;
  DROP TABLE envelopes;
  ALTER TABLE envelopes_by_customer RENAME TO envelopes;
  ALTER TABLE events_by_customer RENAME TO events;
  CREATE INDEX envelopes_customer_time ON envelopes (customer_id, captured_at);
  CREATE INDEX envelopes_received ON envelopes (received_at);
  CREATE INDEX events_customer_time ON events (customer_id, occurred_at);
  CREATE INDEX events_customer_type ON events (customer_id, event_type, occurred_at);
  CREATE INDEX events_untriaged ON events (received_at) WHERE triaged = 0;`;

/** Makes an envelope's identity (customer, id); runs after store/003 (the `triaged` column). */
export const tenancyMigration: Migration = {
  id: 'store/004-envelope-per-customer',
  up(db) {
    db.exec(ENVELOPES + EVENTS + SWAP);
  },
};
