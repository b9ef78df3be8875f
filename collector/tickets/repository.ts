// The ticket repository over SQLite: rows in, typed tickets out. Callers group its writes in one IMMEDIATE
// transaction (correlate.ts, service.ts), so every read-decide-write sequence holds the file's write lock.
import type { Statement, Transaction } from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { Db } from '../store/db.js';
import type { CaseKind } from '../../config/plans.js';
import type { Language } from '../notify/types.js';
import type { Level, TicketState } from './migrations.js';

/** A ticket as the rest of the collector sees it. Instants are ISO 8601 UTC strings. */
export interface Ticket {
  id: string;
  number: string;
  customerId: string;
  agentId: string | null;
  caseKind: CaseKind;
  rule: string;
  dedupKey: string;
  windowMinutes: number;
  vendor: string | null;
  product: string | null;
  eventType: string | null;
  title: string;
  description: string;
  /** The title in each language rendered when the ticket opened. */
  titles: Partial<Record<Language, string>>;
  language: Language;
  state: TicketState;
  level: Level;
  assignee: string | null;
  openedAt: string;
  responseDueAt: string;
  firstResponseAt: string | null;
  responseMet: boolean | null;
  warnedAt: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  computers: number;
}

/** One line of a ticket's history: who changed what, when, and why. */
export interface TicketHistoryEntry {
  id: number;
  ticketId: string;
  at: string;
  actor: string;
  action: string;
  fromState: TicketState | null;
  toState: TicketState | null;
  fromLevel: Level | null;
  toLevel: Level | null;
  note: string | null;
}

/** A computer a ticket concerns. */
export interface TicketComputer {
  name: string;
  ip: string | null;
  user: string | null;
}

/** What listing accepts. */
export interface TicketFilter {
  state?: TicketState | TicketState[];
  customerId?: string;
  level?: Level;
  limit?: number;
}

/** The fields a new ticket is inserted with (number is allocated by the repository). */
export type NewTicket = Pick<Ticket, 'id' | 'customerId' | 'agentId' | 'caseKind' | 'rule' | 'dedupKey' | 'windowMinutes'
  | 'vendor' | 'product' | 'eventType' | 'title' | 'description' | 'titles' | 'language' | 'openedAt' | 'responseDueAt'
  | 'count' | 'firstSeenAt' | 'lastSeenAt'>;

type Row = Record<string, string | number | null>;
const camelNames = new Map<string, string>();
// Column names are few and fixed: each is converted once, not on every row read.
const camel = (s: string): string => {
  let name = camelNames.get(s);
  if (name === undefined) {
    name = s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    camelNames.set(s, name);
  }
  return name;
};
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function toTicket(row: Row): Ticket {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v;
  out.responseMet = row.response_met === null ? null : row.response_met === 1;
  out.titles = JSON.parse(String(row.titles ?? '{}')) as Ticket['titles'];
  return out as unknown as Ticket;
}

function toHistory(row: Row): TicketHistoryEntry {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v;
  return out as unknown as TicketHistoryEntry;
}

/** Ticket storage. Not thread-safe by itself: wrap multi-statement changes in `inTransaction`. */
export class TicketRepository {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  private readonly transaction: Transaction<(fn: () => unknown) => unknown>;

  constructor(readonly db: Db, readonly zone = 'America/Argentina/Buenos_Aires') {
    this.transaction = db.transaction((fn: () => unknown) => fn());
  }

  // Prepared once per text: correlation runs these thousands of times a second.
  private sql(text: string): Statement<unknown[]> {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /** Runs fn holding SQLite's write lock from the start (BEGIN IMMEDIATE): no other process decides in between. */
  inTransaction<T>(fn: () => T): T {
    // One wrapper for every call (better-sqlite3 passes fn through): building a new one per call cost more than
    // the savepoint it opens when nested.
    return this.transaction.immediate(fn) as T;
  }

  /** The open (open or acknowledged) ticket of a dedup key, if any. */
  findOpenByKey(dedupKey: string): Ticket | undefined {
    const row = this.sql(`SELECT * FROM tickets WHERE dedup_key = ? AND state IN ('open','acknowledged')`)
      .get(dedupKey) as Row | undefined;
    return row ? toTicket(row) : undefined;
  }

  /** A ticket by id or by number ("XR-2026-000123"). */
  get(idOrNumber: string): Ticket | undefined {
    const row = this.sql('SELECT * FROM tickets WHERE id = ? OR number = ?').get(idOrNumber, idOrNumber) as Row | undefined;
    return row ? toTicket(row) : undefined;
  }

  /** Tickets matching the filter, newest first. */
  list(filter: TicketFilter = {}): Ticket[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const states = filter.state === undefined ? [] : Array.isArray(filter.state) ? filter.state : [filter.state];
    if (states.length > 0) {
      where.push(`state IN (${states.map(() => '?').join(',')})`);
      args.push(...states);
    }
    if (filter.customerId) { where.push('customer_id = ?'); args.push(filter.customerId); }
    if (filter.level) { where.push('level = ?'); args.push(filter.level); }
    const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, number DESC LIMIT ?`;
    return (this.sql(sql).all(...args, filter.limit ?? 100) as Row[]).map(toTicket);
  }

  /** Inserts a new open ticket with the next number of its year (in the calendar's zone); returns it. */
  insert(t: NewTicket): Ticket {
    const year = DateTime.fromISO(t.openedAt, { zone: this.zone }).year;
    const seq = this.sql(`INSERT INTO ticket_sequence (year, last) VALUES (?, 1)
      ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`).pluck().get(year) as number;
    const number = `XR-${year}-${String(seq).padStart(6, '0')}`;
    const cols = Object.keys(t);
    this.sql(`INSERT INTO tickets (number, updated_at, ${cols.map(snake).join(', ')})
      VALUES (@number, @openedAt, ${cols.map((c) => `@${c}`).join(', ')})`).run({ ...t, titles: JSON.stringify(t.titles), number });
    return this.get(t.id) as Ticket;
  }

  /** Sets columns of one ticket (camelCase keys) and its updated_at. */
  update(id: string, fields: Partial<Omit<Ticket, 'id' | 'number'>>, at: string): void {
    const entries = Object.entries(fields).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v] as const);
    const sets = entries.map(([k]) => `${snake(k)} = @${k}`);
    this.sql(`UPDATE tickets SET ${[...sets, 'updated_at = @updatedAt'].join(', ')} WHERE id = @id`)
      .run({ ...Object.fromEntries(entries), updatedAt: at, id });
  }

  /** Links an event to a ticket; false when it was linked already (a retried event counts once). */
  linkEvent(ticketId: string, eventId: string, at: string): boolean {
    return this.sql('INSERT OR IGNORE INTO ticket_events (ticket_id, event_id, linked_at) VALUES (?, ?, ?)')
      .run(ticketId, eventId, at).changes === 1;
  }

  /** Adds a computer to the ticket's affected set; returns the size of the set. */
  addComputer(ticketId: string, c: TicketComputer): number {
    return this.addComputers(ticketId, [c]);
  }

  /** Adds computers to the ticket's affected set; returns the size of the set. */
  addComputers(ticketId: string, list: readonly TicketComputer[]): number {
    const insert = this.sql('INSERT OR IGNORE INTO ticket_computers (ticket_id, name, ip, usr) VALUES (?, ?, ?, ?)');
    for (const c of list) insert.run(ticketId, c.name, c.ip, c.user);
    return this.sql('SELECT COUNT(*) FROM ticket_computers WHERE ticket_id = ?').pluck().get(ticketId) as number;
  }

  /** Appends a history line; returns its id (used to make notification keys unique per change). */
  addHistory(e: Omit<TicketHistoryEntry, 'id'>): number {
    const info = this.sql(`INSERT INTO ticket_history (ticket_id, at, actor, action, from_state, to_state, from_level, to_level, note)
      VALUES (@ticketId, @at, @actor, @action, @fromState, @toState, @fromLevel, @toLevel, @note)`).run(e);
    return Number(info.lastInsertRowid);
  }

  /** The history of a ticket, oldest first. */
  history(ticketId: string): TicketHistoryEntry[] {
    return (this.sql('SELECT * FROM ticket_history WHERE ticket_id = ? ORDER BY id').all(ticketId) as Row[]).map(toHistory);
  }

  /** The ids of the events behind a ticket, in the order they were linked. */
  eventIds(ticketId: string): string[] {
    return this.sql('SELECT event_id FROM ticket_events WHERE ticket_id = ? ORDER BY linked_at, event_id').pluck().all(ticketId) as string[];
  }

  /** The computers a ticket concerns. */
  computers(ticketId: string): TicketComputer[] {
    return this.sql('SELECT name, ip, usr AS user FROM ticket_computers WHERE ticket_id = ? ORDER BY name').all(ticketId) as TicketComputer[];
  }

  /** Open tickets without a first response that the scheduler has not escalated yet, soonest due first. */
  awaitingResponse(): Ticket[] {
    return (this.sql(`SELECT * FROM tickets WHERE state = 'open' AND first_response_at IS NULL
      AND escalated_at IS NULL ORDER BY response_due_at`).all() as Row[]).map(toTicket);
  }
}
