// The tickets' tables. Invariant: at most one ticket per dedup key is in an open state (open, acknowledged), enforced
// by SQLite itself with a partial unique index, so two collector processes on one file can never open it twice.
import type { Migration } from '../store/db.js';

/** The ticket states; open and acknowledged are the "open states" a dedup key is unique among. */
export const TICKET_STATES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** The states in which repeats fold into the ticket. */
export const OPEN_STATES: readonly TicketState[] = ['open', 'acknowledged'];

/** Support levels: L1 front line, L2 product specialists, L3 vendor backline. */
export const LEVELS = ['L1', 'L2', 'L3'] as const;
export type Level = (typeof LEVELS)[number];

// The tickets table and its indexes; the partial unique index is the one-open-ticket-per-key invariant.
const TICKETS_SQL = `
  CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    agent_id TEXT,
    case_kind TEXT NOT NULL CHECK (case_kind IN ('threat-incident','severity-1','severity-2','severity-3','severity-4')),
    rule TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    window_minutes INTEGER NOT NULL,
    vendor TEXT,
    product TEXT,
    event_type TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The title in every language, JSON {"es": …, "en": …}: each reader's mail names the case in their language.
    titles TEXT NOT NULL DEFAULT '{}',
    language TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','acknowledged','resolved','closed')),
    level TEXT NOT NULL DEFAULT 'L1' CHECK (level IN ('L1','L2','L3')),
    assignee TEXT,
    opened_at TEXT NOT NULL,
    response_due_at TEXT NOT NULL,
    first_response_at TEXT,
    response_met INTEGER,
    warned_at TEXT,
    escalated_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    computers INTEGER NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX tickets_open_dedup ON tickets (dedup_key) WHERE state IN ('open','acknowledged');
  CREATE INDEX tickets_state_due ON tickets (state, response_due_at);
  CREATE INDEX tickets_customer ON tickets (customer_id, opened_at);
`;

// What a ticket links to: its events, its computers, its history, and the yearly number sequence.
const TICKET_PARTS_SQL = `
  CREATE TABLE ticket_events (
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
  ) WITHOUT ROWID;

  CREATE TABLE ticket_computers (
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    ip TEXT,
    usr TEXT,
    PRIMARY KEY (ticket_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE ticket_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    from_level TEXT,
    to_level TEXT,
    note TEXT
  );
  CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);

  -- One human sequence per year: XR-2026-000123.
  CREATE TABLE ticket_sequence (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
  );
`;

/** Migrations of the ticket store (apply after the store's own). */
export const migrations: Migration[] = [
  {
    id: 'tickets/001-tickets',
    up(db) {
      db.exec(TICKETS_SQL);
      db.exec(TICKET_PARTS_SQL);
    },
  },
];
