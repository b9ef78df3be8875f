// The tables of customers' cases (issue 16): what a ticket gains when a person opens it (origin, requester, product
// and platform, the priority the requester chose), its public and internal comments, attachments, every mail of the
// case (threading), mail that opened nothing (triage), and the IMAP messages already read (UIDVALIDITY + UID).
import type { Migration } from '../store/db.js';

/** Where a case came from: an alert of a console, a mail to the CAS mailbox, the portal, or an engineer on the phone. */
export const CASE_ORIGINS = ['alert', 'email', 'portal', 'phone'] as const;
export type CaseOrigin = (typeof CASE_ORIGINS)[number];

// What a ticket gains when a person opens it as a case: origin, requester, product and platform, requested priority.
const TICKET_CASE_COLUMNS = `
  ALTER TABLE tickets ADD COLUMN origin TEXT NOT NULL DEFAULT 'alert' CHECK (origin IN ('alert','email','portal','phone'));
  ALTER TABLE tickets ADD COLUMN requester_email TEXT;
  ALTER TABLE tickets ADD COLUMN requester_name TEXT;
  ALTER TABLE tickets ADD COLUMN product_version TEXT;
  ALTER TABLE tickets ADD COLUMN os TEXT;
  ALTER TABLE tickets ADD COLUMN os_version TEXT;
  ALTER TABLE tickets ADD COLUMN requested_priority INTEGER CHECK (requested_priority BETWEEN 1 AND 4);
  ALTER TABLE tickets ADD COLUMN severity_confirmed_by TEXT;
  ALTER TABLE tickets ADD COLUMN severity_confirmed_at TEXT;
  CREATE INDEX tickets_requester ON tickets (requester_email) WHERE requester_email IS NOT NULL;
`;

// A case's conversation: public and internal comments, attachments, and every mail of the case (threading).
const CASE_THREAD_TABLES = `
  CREATE TABLE case_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('contact','engineer','system')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public','internal')),
    via TEXT NOT NULL CHECK (via IN ('email','portal','console','phone')),
    body TEXT NOT NULL
  );
  CREATE INDEX case_comments_ticket ON case_comments (ticket_id, id);

  CREATE TABLE case_attachments (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    comment_id INTEGER,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX case_attachments_ticket ON case_attachments (ticket_id);

  -- Every mail of a case, in and out: threading by Message-ID, and the same inbound message read once.
  CREATE TABLE case_messages (
    message_id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('in','out')),
    address TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX case_messages_ticket ON case_messages (ticket_id, at);
`;

// The CAS mailbox: every inbound mail and its outcome, and the IMAP messages already read.
const MAIL_IN_TABLES = `
  -- Every inbound mail and what became of it: case, comment, triage (unknown sender), auto (never answered),
  -- throttled, refused. The Message-ID is unique: the same message never acts twice, whatever brought it.
  CREATE TABLE mail_in (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL,
    sender TEXT NOT NULL,
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('case','comment','triage','auto','throttled','refused')),
    reason TEXT,
    ticket_id TEXT,
    customer_id TEXT,
    body TEXT,
    resolved_at TEXT
  );
  CREATE INDEX mail_in_sender ON mail_in (sender, received_at);
  CREATE INDEX mail_in_outcome ON mail_in (outcome, received_at);

  -- The IMAP messages read, per mailbox and UIDVALIDITY; written in the transaction that acts on the message.
  CREATE TABLE imap_seen (
    mailbox TEXT NOT NULL,
    uidvalidity TEXT NOT NULL,
    uid INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (mailbox, uidvalidity, uid)
  ) WITHOUT ROWID;
`;

/** The cases' migrations, applied after the tickets' own (collector/migrations.ts). */
export const caseMigrations: Migration[] = [
  {
    id: 'cases/001-cases',
    up(db) {
      db.exec(TICKET_CASE_COLUMNS + CASE_THREAD_TABLES + MAIL_IN_TABLES);
    },
  },
];
