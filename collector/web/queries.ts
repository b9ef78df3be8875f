// Read-only queries of the console over the collector's tables: the queue with its filters and search, a ticket's
// events with their raw text, and its notifications with their delivery state.
import type { Statement } from 'better-sqlite3';
import type { Db, Migration } from '../store/db.js';
import type { Ticket } from '../tickets/index.js';
import { rawText } from '../parse/input.js';
import type { Envelope } from '../../protocol/envelope.js';

/** The queue's filters, as the form sends them. */
export interface QueueFilter {
  customer?: string;
  caseKind?: string;
  level?: string;
  state?: string;
  assignee?: string;
  vendor?: string;
  /** The viewer's login when "mine" is ticked. */
  mine?: string;
  q?: string;
}

/** The console's schema steps: indexes that serve the queue in due order for every state choice and a ticket's newest
 *  events, and the queue's version (a counter every change to a ticket or its computers moves, by trigger, so
 *  changes made by the CLI or another process count too): the console's rendered queue is kept until it moves. */
export const consoleMigrations: Migration[] = [{
  id: 'console/001-queue-index',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (response_due_at, number) WHERE state IN ('open','acknowledged')`);
  },
}, {
  id: 'console/002-queue-scale',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS tickets_due ON tickets (response_due_at, number);
      CREATE INDEX IF NOT EXISTS ticket_events_recent ON ticket_events (ticket_id, linked_at);
      CREATE TABLE console_queue_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
      INSERT INTO console_queue_version (id, version) VALUES (1, 0);
      CREATE TRIGGER console_queue_ticket_insert AFTER INSERT ON tickets BEGIN UPDATE console_queue_version SET version = version + 1; END;
      CREATE TRIGGER console_queue_ticket_update AFTER UPDATE ON tickets BEGIN UPDATE console_queue_version SET version = version + 1; END;
      CREATE TRIGGER console_queue_ticket_delete AFTER DELETE ON tickets BEGIN UPDATE console_queue_version SET version = version + 1; END;
      CREATE TRIGGER console_queue_computer_insert AFTER INSERT ON ticket_computers BEGIN UPDATE console_queue_version SET version = version + 1; END;`);
  },
}, {
  id: 'console/003-queue-search-and-filters',
  up(db) {
    db.exec(SEARCH_SQL);
    // Each filter of the queue by its own index, so counting a filter's tickets of every state reads only those.
    for (const column of ['case_kind', 'level', 'assignee', 'vendor']) db.exec(`CREATE INDEX IF NOT EXISTS tickets_by_${column} ON tickets (${column}, response_due_at)`);
  },
}];

// The queue's search (ticket number, title with its threat and computer, affected computers) as a trigram full-text
// index, so a search reads the matching tickets, not all of them: console_search holds one row per ticket (number and
// title) and per affected computer, kept by triggers on tickets and ticket_computers; console_search_fts indexes it
// (external content, by console_search's own integer key, which a VACUUM keeps).
const SEARCH_SQL = `
  CREATE TABLE console_search (id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL, text TEXT NOT NULL);
  CREATE INDEX console_search_ticket ON console_search (ticket_id);
  CREATE VIRTUAL TABLE console_search_fts USING fts5(text, content = 'console_search', content_rowid = 'id', tokenize = 'trigram');
  CREATE TRIGGER console_search_added AFTER INSERT ON console_search BEGIN
    INSERT INTO console_search_fts (rowid, text) VALUES (NEW.id, NEW.text); END;
  CREATE TRIGGER console_search_removed AFTER DELETE ON console_search BEGIN
    INSERT INTO console_search_fts (console_search_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text); END;
  CREATE TRIGGER console_search_ticket_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO console_search (ticket_id, text) VALUES (NEW.id, NEW.number || ' ' || NEW.title); END;
  CREATE TRIGGER console_search_ticket_title AFTER UPDATE OF number, title ON tickets BEGIN
    DELETE FROM console_search WHERE ticket_id = OLD.id AND text = OLD.number || ' ' || OLD.title;
    INSERT INTO console_search (ticket_id, text) VALUES (NEW.id, NEW.number || ' ' || NEW.title); END;
  CREATE TRIGGER console_search_ticket_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM console_search WHERE ticket_id = OLD.id; END;
  CREATE TRIGGER console_search_computer_insert AFTER INSERT ON ticket_computers BEGIN
    INSERT INTO console_search (ticket_id, text) VALUES (NEW.ticket_id, NEW.name); END;
  INSERT INTO console_search (ticket_id, text) SELECT id, number || ' ' || title FROM tickets;
  INSERT INTO console_search (ticket_id, text) SELECT ticket_id, name FROM ticket_computers;`;

const statements = new WeakMap<Db, Map<string, Statement<unknown[]>>>();
// Prepared once per text and database: the queue is asked every 5 s by every engineer.
function sql(db: Db, text: string): Statement<unknown[]> {
  let byText = statements.get(db);
  if (!byText) { byText = new Map(); statements.set(db, byText); }
  let stmt = byText.get(text);
  if (!stmt) { stmt = db.prepare(text); byText.set(text, stmt); }
  return stmt;
}

// What the queue shows of a ticket (not its description).
const QUEUE_COLUMNS = 'id, number, customer_id, case_kind, level, state, assignee, vendor, title, titles, count, opened_at, response_due_at, first_response_at';

/** The queue's version: it moves with every change to a ticket or its computers (console/002-queue-scale). */
export function queueVersion(db: Db): number {
  return sql(db, 'SELECT version FROM console_queue_version WHERE id = 1').pluck().get() as number;
}

// The WHERE clause and its arguments of a filter, and the index that walks the result in due order: the open states'
// partial index by default, tickets_state_due for one state, tickets_due for every state (each stops at the page's
// end); a search of three characters or more starts from the trigram index (console/003-queue-search) instead.
function queueWhere(f: QueueFilter): { from: string; where: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  let from = 'tickets INDEXED BY tickets_queue';
  if (f.state === 'all') from = 'tickets INDEXED BY tickets_due';
  else if (f.state) { from = 'tickets INDEXED BY tickets_state_due'; where.push('state = ?'); args.push(f.state); } else where.push("state IN ('open','acknowledged')");
  const eq: [keyof QueueFilter, string][] = [['customer', 'customer_id'], ['caseKind', 'case_kind'], ['level', 'level'], ['assignee', 'assignee'], ['vendor', 'vendor'], ['mine', 'assignee']];
  for (const [key, column] of eq) {
    const v = f[key];
    if (v) { where.push(`${column} = ?`); args.push(v); }
  }
  if (f.q && [...f.q].length >= 3) {
    // Through the trigram index: the matching tickets by their key, then sorted (a phrase of trigrams is a substring,
    // case-insensitive, as LIKE '%…%' was).
    from = 'tickets';
    where.push(`id IN (SELECT s.ticket_id FROM console_search_fts f JOIN console_search s ON s.id = f.rowid WHERE console_search_fts MATCH ?)`);
    args.push(`"${f.q.replace(/"/g, '""')}"`);
  } else if (f.q) {
    // One or two characters make no trigram: those tickets of the chosen state are read in due order and matched.
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(number LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM ticket_computers c WHERE c.ticket_id = tickets.id AND c.name LIKE ? ESCAPE '\\'))`);
    args.push(like, like, like);
  }
  return { from, where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** The tickets of the queue: open states unless a state is chosen, soonest response due first, `limit` of them from
 *  `offset` (the fields the queue shows; description and the rest are not read). */
export function queueTickets(db: Db, f: QueueFilter, limit = 200, offset = 0): Ticket[] {
  const q = queueQueries(f);
  return (sql(db, q.page).all(...q.args, limit, offset) as Record<string, unknown>[]).map(toTicket);
}

/** How many tickets the filter matches (the queue's range and "next N"). */
export function queueCount(db: Db, f: QueueFilter): number {
  const q = queueQueries(f);
  return sql(db, q.count).pluck().get(...q.args) as number;
}

/** The queue's two statements for a filter (a page: the arguments, then LIMIT and OFFSET; the count), for
 *  queueTickets, queueCount and the test that reads their query plans. */
export function queueQueries(f: QueueFilter): { page: string; count: string; args: (string | number)[] } {
  const { from, where, args } = queueWhere(f);
  // The count is left to the planner: a customer's tickets of every state are fewer by tickets_customer than by due.
  return { page: `SELECT ${QUEUE_COLUMNS} FROM ${from} ${where} ORDER BY response_due_at, number LIMIT ? OFFSET ?`, count: `SELECT COUNT(*) FROM tickets ${where}`, args };
}

// The repository's row mapping (snake_case to camelCase, booleans, titles JSON), for the queue's own SELECT.
const camelNames = new Map<string, string>();
const camel = (s: string): string => {
  let name = camelNames.get(s);
  if (name === undefined) { name = s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()); camelNames.set(s, name); }
  return name;
};

function toTicket(row: Record<string, unknown>): Ticket {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v;
  out.responseMet = row.response_met === null ? null : row.response_met === 1;
  out.titles = JSON.parse(String(row.titles ?? '{}')) as unknown;
  return out as unknown as Ticket;
}

/** One event behind a ticket, with the text it came from. */
export interface TicketEventView {
  id: string; occurredAt: string; eventType: string; severity: string; computer: string | null; threat: string | null;
  action: string | null; summary: string; raw: string;
}

/** The events of a ticket last linked to it, at most `limit`, newest first: read through ticket_events_recent, so a
 *  ticket of 100,000 events costs what one of 50 does. */
export function ticketEvents(db: Db, ticketId: string, limit = 50): TicketEventView[] {
  const rows = sql(db, `SELECT ev.id, ev.occurred_at, ev.event_type, ev.severity, ev.computer_name, ev.threat_name, ev.action, ev.summary,
      ev.detail, en.payload FROM (SELECT event_id, linked_at FROM ticket_events INDEXED BY ticket_events_recent WHERE ticket_id = ? ORDER BY linked_at DESC, event_id DESC LIMIT ?) te
      JOIN events ev ON ev.id = te.event_id
      JOIN envelopes en ON en.customer_id = ev.customer_id AND en.id = ev.envelope_id
      ORDER BY ev.occurred_at DESC, te.linked_at DESC`).all(ticketId, limit) as Record<string, string | null>[];
  return rows.map((r) => {
    const detail = JSON.parse(r.detail ?? '{}') as { raw?: string };
    return {
      id: r.id!, occurredAt: r.occurred_at!, eventType: r.event_type!, severity: r.severity!, computer: r.computer_name ?? null,
      threat: r.threat_name ?? null, action: r.action ?? null, summary: r.summary ?? '',
      raw: detail.raw ?? rawText(JSON.parse(r.payload ?? '{}') as Envelope),
    };
  });
}

/** How many events are linked to a ticket (counted on ticket_events_recent's key). */
export function ticketEventCount(db: Db, ticketId: string): number {
  return sql(db, 'SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?').pluck().get(ticketId) as number;
}

/** A notification about a ticket, as the timeline shows it. */
export interface TicketNotificationView {
  id: string; to: string; subject: string; state: string; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null;
}

/** The notifications queued for a ticket, oldest first. */
export function ticketNotifications(db: Db, ticketId: string): TicketNotificationView[] {
  const rows = sql(db, `SELECT id, recipients, subject, state, attempts, last_error, created_at, sent_at FROM notify_outbox
    WHERE ref_kind = 'ticket' AND ref_id = ? ORDER BY created_at, id`).all(ticketId) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    id: String(r.id), to: (JSON.parse(String(r.recipients)) as string[]).join(', '), subject: String(r.subject), state: String(r.state),
    attempts: Number(r.attempts), lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: new Date(Number(r.created_at)).toISOString(), sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)).toISOString(),
  }));
}
