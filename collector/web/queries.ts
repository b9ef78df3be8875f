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

/** The console's schema steps: an index that serves the default queue (open states, soonest due first) in order. */
export const consoleMigrations: Migration[] = [{
  id: 'console/001-queue-index',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (response_due_at, number) WHERE state IN ('open','acknowledged')`);
  },
}];

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

/** The tickets of the queue: open states unless a state is chosen, soonest response due first (the fields the queue
 *  shows; description and the rest are not read). */
export function queueTickets(db: Db, f: QueueFilter, limit = 200): Ticket[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.state === 'all') { /* every state */ } else if (f.state) { where.push('state = ?'); args.push(f.state); } else where.push("state IN ('open','acknowledged')");
  const eq: [keyof QueueFilter, string][] = [['customer', 'customer_id'], ['caseKind', 'case_kind'], ['level', 'level'], ['assignee', 'assignee'], ['vendor', 'vendor'], ['mine', 'assignee']];
  for (const [key, column] of eq) {
    const v = f[key];
    if (v) { where.push(`${column} = ?`); args.push(v); }
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(number LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR id IN (SELECT ticket_id FROM ticket_computers WHERE name LIKE ? ESCAPE '\\'))`);
    args.push(like, like, like);
  }
  // The open states' own index walks the tickets in due order and stops at the limit; without it SQLite sorts them all.
  const from = f.state ? 'tickets' : 'tickets INDEXED BY tickets_queue';
  const text = `SELECT ${QUEUE_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY response_due_at, number LIMIT ?`;
  const rows = sql(db, text).all(...args, limit) as Record<string, unknown>[];
  return rows.map(toTicket);
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

/** The events of a ticket, newest first (at most `limit`). */
export function ticketEvents(db: Db, ticketId: string, limit = 50): TicketEventView[] {
  const rows = sql(db, `SELECT ev.id, ev.occurred_at, ev.event_type, ev.severity, ev.computer_name, ev.threat_name, ev.action, ev.summary,
      ev.detail, en.payload FROM ticket_events te JOIN events ev ON ev.id = te.event_id
      JOIN envelopes en ON en.customer_id = ev.customer_id AND en.id = ev.envelope_id
      WHERE te.ticket_id = ? ORDER BY ev.occurred_at DESC LIMIT ?`).all(ticketId, limit) as Record<string, string | null>[];
  return rows.map((r) => {
    const detail = JSON.parse(r.detail ?? '{}') as { raw?: string };
    return {
      id: r.id!, occurredAt: r.occurred_at!, eventType: r.event_type!, severity: r.severity!, computer: r.computer_name ?? null,
      threat: r.threat_name ?? null, action: r.action ?? null, summary: r.summary ?? '',
      raw: detail.raw ?? rawText(JSON.parse(r.payload ?? '{}') as Envelope),
    };
  });
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
