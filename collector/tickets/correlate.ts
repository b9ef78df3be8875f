// The correlation stage: an event that deserves a ticket either opens one or folds into the open ticket of its dedup
// key (count, last seen, computers, linked events). Decided under SQLite's write lock (BEGIN IMMEDIATE), and backed by
// the partial unique index on open tickets, so two collector processes racing on one file open one ticket, not two.
import { createHash } from 'node:crypto';
import type { ParsedEvent, StoredEvent } from '../../protocol/event.js';
import type { DedupField, TriageRule } from '../triage/rules.js';
import type { NewTicket, Ticket, TicketRepository } from './repository.js';

function fieldValue(event: ParsedEvent & { agentId?: string }, customerId: string, field: DedupField): string | undefined {
  switch (field) {
    case 'customer': return customerId;
    case 'agent': return event.agentId;
    case 'vendor': return event.vendor;
    case 'product': return event.product;
    case 'eventType': return event.eventType;
    case 'severity': return event.severity;
    case 'threat.name': return event.threat?.name;
    case 'threat.type': return event.threat?.type;
    case 'threat.hash': return event.threat?.hash;
    case 'threat.object': return event.threat?.object;
    case 'computer.name': return event.computer?.name;
    case 'computer.ip': return event.computer?.ip;
    case 'computer.user': return event.computer?.user;
    case 'computer.domain': return event.computer?.domain;
  }
}

/** Longest value kept as it is in a dedup key; a longer one (a console may send 100 KB) keeps its head and a hash. */
const MAX_KEY_VALUE = 200;

function boundedValue(value: string): string {
  if (value.length <= MAX_KEY_VALUE) return value;
  return `${value.slice(0, 64)}…#${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/**
 * The dedup key of an event under a rule: "rule|field=value|…"; values trimmed and lower-cased, absent ones "-",
 * a value over 200 characters cut to its head and a SHA-256 of the whole (so the key stays small and still exact).
 */
export function dedupKey(event: ParsedEvent & { agentId?: string }, customerId: string, rule: Pick<TriageRule, 'name' | 'dedup'>): string {
  const parts = rule.dedup.key.map((field) => {
    const raw = fieldValue(event, customerId, field)?.trim().toLowerCase();
    const value = raw === undefined ? undefined : boundedValue(raw);
    // "|" and "=" inside a value cannot forge another key's shape.
    return `${field}=${value ? value.replace(/[|=\\]/g, (c) => `\\${c}`) : '-'}`;
  });
  return [rule.name, ...parts].join('|');
}

/** What the correlation stage needs for one event. `draft` is called only when a ticket must be opened. */
export interface CorrelationInput {
  event: StoredEvent;
  dedupKey: string;
  windowMinutes: number;
  now: Date;
  draft: () => Omit<NewTicket, 'dedupKey' | 'windowMinutes' | 'count' | 'firstSeenAt' | 'lastSeenAt'>;
}

/** What correlation did: opened a ticket, folded into one, or saw an event it had linked already. */
export interface CorrelationResult {
  ticket: Ticket;
  created: boolean;
  /** The event came after a quiet gap longer than the window: the open ticket got it, history says so. */
  recurred: boolean;
  /** The event was linked to this ticket before (a retried delivery): nothing was counted. */
  duplicate: boolean;
}

const earlier = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);
const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

function computerOf(event: ParsedEvent): { name: string; ip: string | null; user: string | null } | undefined {
  const name = event.computer?.name?.trim();
  return name ? { name, ip: event.computer?.ip ?? null, user: event.computer?.user ?? null } : undefined;
}

function decide(repo: TicketRepository, input: CorrelationInput): CorrelationResult {
  const { event, now } = input;
  const at = now.toISOString();
  const seenAt = event.occurredAt || at;
  const computer = computerOf(event);
  const open = repo.findOpenByKey(input.dedupKey);
  if (open) {
    const folded = foldEvents(repo, open, [event], now);
    return { ticket: folded.ticket, created: false, recurred: folded.recurred, duplicate: folded.linked === 0 };
  }
  const draft = input.draft();
  const ticket = repo.insert({
    ...draft, dedupKey: input.dedupKey, windowMinutes: input.windowMinutes,
    count: event.count ?? 1, firstSeenAt: seenAt, lastSeenAt: seenAt,
  });
  repo.linkEvent(ticket.id, event.id, at);
  if (computer) repo.update(ticket.id, { computers: repo.addComputer(ticket.id, computer) }, at);
  repo.addHistory({ ticketId: ticket.id, at, actor: 'system', action: 'opened', fromState: null, toState: 'open',
    fromLevel: null, toLevel: ticket.level, note: `rule ${ticket.rule}` });
  return { ticket: repo.get(ticket.id) as Ticket, created: true, recurred: false, duplicate: false };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Opens or folds, atomically. A unique violation (a writer that skipped the lock) is retried once as a fold. */
export function correlate(repo: TicketRepository, input: CorrelationInput): CorrelationResult {
  try {
    return repo.inTransaction(() => decide(repo, input));
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return repo.inTransaction(() => decide(repo, input));
  }
}

// Links and counts events into an open ticket, one after the other (a retried event counts once; a repeat after a
// quiet window is noted in history), writing the ticket row once. Returns the ticket as written, how many events
// were linked, and whether any came after a quiet window.
function foldEvents(repo: TicketRepository, ticket: Ticket, events: readonly StoredEvent[], now: Date): { ticket: Ticket; linked: number; recurred: boolean } {
  const at = now.toISOString();
  let { count, firstSeenAt, lastSeenAt } = ticket;
  const computers = new Map<string, { name: string; ip: string | null; user: string | null }>();
  let linked = 0;
  let recurred = false;
  for (const event of events) {
    if (!repo.linkEvent(ticket.id, event.id, at)) continue;
    linked += 1;
    const seenAt = event.occurredAt || at;
    if (Date.parse(seenAt) - Date.parse(lastSeenAt) > ticket.windowMinutes * 60_000) {
      recurred = true;
      repo.addHistory({ ticketId: ticket.id, at, actor: 'system', action: 'recurred', fromState: ticket.state, toState: ticket.state,
        fromLevel: ticket.level, toLevel: ticket.level, note: `repeated after more than ${ticket.windowMinutes} minutes of quiet` });
    }
    count += event.count ?? 1;
    firstSeenAt = earlier(firstSeenAt, seenAt);
    lastSeenAt = later(lastSeenAt, seenAt);
    const computer = computerOf(event);
    if (computer && !computers.has(computer.name)) computers.set(computer.name, computer);
  }
  if (linked === 0) return { ticket, linked, recurred };
  const folded = { count, firstSeenAt, lastSeenAt, computers: computers.size > 0 ? repo.addComputers(ticket.id, [...computers.values()]) : ticket.computers };
  repo.update(ticket.id, folded, at);
  // The row as just written, without reading it back: folding is the hot path of a flood.
  return { ticket: { ...ticket, ...folded, updatedAt: at }, linked, recurred };
}

/**
 * Folds more events of one dedup key into a ticket the same batch just opened or folded into (`ticket` as it is
 * now): each event is linked and counted exactly as `correlate` would fold it, one after the other (a retried event
 * counts once; a repeat after a quiet window is noted in history), but the ticket row is written once for all of
 * them. Returns the ticket as written. Run it inside the transaction that produced `ticket`.
 */
export function foldMore(repo: TicketRepository, ticket: Ticket, events: readonly StoredEvent[], now: Date): Ticket {
  return foldEvents(repo, ticket, events, now).ticket;
}
