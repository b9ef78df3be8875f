// `xpears ticket list|show|ack|escalate|resolve|close`: plain functions the CLI calls with the service it built.
// Each returns the data (for --json) and the text a person reads; none exits or prints.
import { XpearsError } from '../../lib/errors.js';
import { flatLine, quoteConsole } from '../../lib/console-text.js';
import { LEVELS, TICKET_STATES, type Level, type TicketState } from './migrations.js';
import type { Ticket } from './repository.js';
import type { TicketDetail, TicketService } from './service.js';

/** What a command returns: the data, and the text to print. */
export interface CommandResult<T> {
  data: T;
  text: string;
}

/** Options of `xpears ticket list`. */
export interface TicketListOptions {
  /** One state, "open" meaning open and acknowledged (the default), or "all". */
  state?: string;
  customer?: string;
  level?: string;
  limit?: number;
}

/** Who does a change, why, and when (default: the service's clock). */
export interface TicketActionOptions {
  by: string;
  note?: string;
  now?: Date;
}

type CommandService = Pick<TicketService, 'list' | 'show' | 'acknowledge' | 'escalate' | 'resolve' | 'close' | 'clock'>;

function statesOf(state: string | undefined): TicketState[] | undefined {
  if (state === undefined || state === 'open') return ['open', 'acknowledged'];
  if (state === 'all') return undefined;
  if (!(TICKET_STATES as readonly string[]).includes(state)) {
    throw new XpearsError('INVALID_ARGUMENT', `--state must be one of ${TICKET_STATES.join(', ')}, or all`);
  }
  return [state as TicketState];
}

function levelOf(level: string | undefined): Level | undefined {
  if (level === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(level)) throw new XpearsError('INVALID_ARGUMENT', `--level must be one of ${LEVELS.join(', ')}`);
  return level as Level;
}

/** One line per ticket: number, state, level, case, due, count, title. */
export function formatTicketLine(t: Ticket): string {
  const met = t.responseMet === null ? '' : t.responseMet ? ' met' : ' MISSED';
  return `${t.number}  ${t.state.padEnd(12)} ${t.level}  ${t.caseKind.padEnd(15)} due ${t.responseDueAt}${met}  ×${t.count}  ${oneLineTitle(t.title)}`;
}

// Titles are clean since issue 13; one stored before may still hold a console's raw text of any length.
const oneLineTitle = (title: string): string => (title.length > 400 ? `${flatLine(title.slice(0, 399))}…` : flatLine(title));

/** `xpears ticket list`: open tickets by default, newest first. */
export function ticketList(service: CommandService, opts: TicketListOptions = {}): CommandResult<Ticket[]> {
  const state = statesOf(opts.state);
  const tickets = service.list({ ...(state ? { state } : {}), customerId: opts.customer, level: levelOf(opts.level), limit: opts.limit ?? 50 });
  return { data: tickets, text: tickets.length ? tickets.map(formatTicketLine).join('\n') : 'no tickets' };
}

/** `xpears ticket show ID`: the ticket (by id or number), its description, computers, events and history. */
export function ticketShow(service: CommandService, id: string): CommandResult<TicketDetail> {
  const d = service.show(id);
  const t = d.ticket;
  const lines = [
    formatTicketLine(t),
    `customer ${t.customerId}  rule ${t.rule}  assignee ${t.assignee ?? '-'}  opened ${t.openedAt}`,
    `first response ${t.firstResponseAt ?? '-'}  seen ${t.firstSeenAt} … ${t.lastSeenAt}  key ${quoteConsole(t.dedupKey, 'en', 160)}`,
    '', t.description.trimEnd(), '',
    // Names as the console reported them: each quoted, one line, capped (the CLI guards control characters too).
    `computers (${d.computers.length}): ${d.computers.slice(0, 20).map((c) => quoteConsole(c.name, 'en', 100)).join(', ')}${d.computers.length > 20 ? ', …' : ''}${d.computers.length === 0 ? '-' : ''}`,
    `events (${d.eventIds.length}): ${d.eventIds.slice(0, 10).join(', ')}${d.eventIds.length > 10 ? ', …' : ''}`,
    'history:',
    ...d.history.map((h) => {
      const move = h.fromState !== h.toState ? ` ${h.fromState ?? '-'} → ${h.toState ?? '-'}` : '';
      const level = h.fromLevel !== h.toLevel ? ` ${h.fromLevel ?? '-'} → ${h.toLevel ?? '-'}` : '';
      return `  ${h.at}  ${h.actor}  ${h.action}${move}${level}${h.note ? `  (${h.note})` : ''}`;
    }),
  ];
  return { data: d, text: lines.join('\n') };
}

function action(verb: string, run: () => Ticket): CommandResult<Ticket> {
  const t = run();
  return { data: t, text: `${t.number} ${verb}: ${t.state}, ${t.level}` };
}

function who(opts: TicketActionOptions): string {
  if (!opts.by || !opts.by.trim()) throw new XpearsError('INVALID_ARGUMENT', '--by must name who makes the change');
  return opts.by.trim();
}

/** `xpears ticket ack ID --by NAME`: the first response. */
export function ticketAck(service: CommandService, id: string, opts: TicketActionOptions): CommandResult<Ticket> {
  return action('acknowledged', () => service.acknowledge(id, who(opts), opts.now ?? service.clock(), opts.note));
}

/** `xpears ticket escalate ID --by NAME --note WHY`: one level up. */
export function ticketEscalate(service: CommandService, id: string, opts: TicketActionOptions): CommandResult<Ticket> {
  return action('escalated', () => service.escalate(id, who(opts), opts.note ?? null, opts.now ?? service.clock()));
}

/** `xpears ticket resolve ID --by NAME [--note]`. */
export function ticketResolve(service: CommandService, id: string, opts: TicketActionOptions): CommandResult<Ticket> {
  return action('resolved', () => service.resolve(id, who(opts), opts.note ?? null, opts.now ?? service.clock()));
}

/** `xpears ticket close ID --by NAME [--note]`. */
export function ticketClose(service: CommandService, id: string, opts: TicketActionOptions): CommandResult<Ticket> {
  return action('closed', () => service.close(id, who(opts), opts.note ?? null, opts.now ?? service.clock()));
}
