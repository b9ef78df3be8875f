// The queue: open tickets, soonest response due first, each with its business-time countdown (amber past the
// warning fraction, red when missed), filters and search; the client script re-asks /console/api/queue every 5 s.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CASE_KINDS } from '../../../config/plans.js';
import { LEVELS, TICKET_STATES, type Ticket } from '../../tickets/index.js';
import { slaCalendar } from '../../tickets/sla.js';
import type { BusinessCalendar } from '../../../config/calendar.js';
import type { Language } from '../../notify/types.js';
import { html, type SafeHtml } from '../html.js';
import { countdown, t, type MessageKey } from '../i18n.js';
import { BASE, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, viewerOf, type ConsoleDeps } from '../context.js';
import { queueTickets, type QueueFilter } from '../queries.js';

type Query = Record<string, string | undefined>;

function filterOf(q: Query, login: string): QueueFilter {
  const pick = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? q[k]!.slice(0, 200) : undefined);
  return { customer: pick('customer'), caseKind: pick('case'), level: pick('level'), state: pick('state'), assignee: pick('assignee'),
    vendor: pick('vendor'), mine: q.mine ? login : undefined, q: pick('q') };
}

// Business minutes between two instants never change: each span is counted once and kept (bounded).
const targets = new Map<string, number>();
function targetMinutes(cal: BusinessCalendar, key: string, opened: Date, due: Date): number {
  let m = targets.get(key);
  if (m === undefined) {
    if (targets.size > 50_000) targets.clear();
    m = cal.businessTimeBetween(opened, due);
    targets.set(key, m);
  }
  return m;
}

/** Where a ticket's response target stands (as tickets/sla.ts responseStatus), with one business-time count per
 *  call instead of three: used time is the target less what remains. */
export function ticketSla(deps: ConsoleDeps, ticket: Ticket, now: Date): { met: boolean | null; remainingMinutes: number; fractionUsed: number; allHours: boolean } {
  const plan = deps.tickets.planOf(deps.registry.getCustomer(ticket.customerId));
  const cal = slaCalendar(plan, deps.calendar);
  const opened = new Date(ticket.openedAt); const due = new Date(ticket.responseDueAt);
  const answered = ticket.firstResponseAt ? new Date(ticket.firstResponseAt) : null;
  // Counted to the minute, and shared by every engineer polling within it (an answered ticket's figure is fixed).
  const until = answered ?? new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const remainingMinutes = targetMinutes(cal, `r|${plan.allHours ? 1 : 0}|${until.toISOString()}|${ticket.responseDueAt}`, until, due);
  const target = targetMinutes(cal, `${plan.allHours ? 1 : 0}|${ticket.openedAt}|${ticket.responseDueAt}`, opened, due);
  const fractionUsed = target > 0 ? Math.max(0, target - remainingMinutes) / target : until.getTime() >= due.getTime() ? 1 : 0;
  const met = answered ? answered.getTime() <= due.getTime() : now.getTime() > due.getTime() ? false : null;
  return { met, remainingMinutes, fractionUsed, allHours: plan.allHours };
}

/** The SLA cell of a ticket: text and colour class. */
export function slaCell(deps: ConsoleDeps, ticket: Ticket, lang: Language, now: Date): { text: string; cls: string } {
  const status = ticketSla(deps, ticket, now);
  const plan = { allHours: status.allHours };
  const answered = ticket.firstResponseAt !== null;
  const cls = answered ? (status.met ? 'sla-done' : 'sla-missed') : status.met === false ? 'sla-missed'
    : status.fractionUsed >= (deps.warnAtFraction ?? 0.75) ? 'sla-warn' : 'sla-ok';
  return { text: countdown(lang, status, answered, plan.allHours), cls };
}

/** The rows of the queue (also what the live update swaps in). */
export function queueRows(deps: ConsoleDeps, tickets: Ticket[], lang: Language, now: Date): SafeHtml {
  if (tickets.length === 0) return html`<tr><td colspan="9">${t(lang, 'queue.empty')}</td></tr>`;
  return html`${tickets.map((tk) => {
    const sla = slaCell(deps, tk, lang, now);
    const customer = deps.registry.getCustomer(tk.customerId)?.name ?? tk.customerId;
    return html`<tr data-ticket="${tk.number}"><td><a href="${BASE}/tickets/${tk.number}">${tk.number}</a></td>
      <td class="${sla.cls}"><span class="dot" aria-hidden="true"></span>${sla.text}</td><td>${customer}</td>
      <td>${t(lang, `case.${tk.caseKind}` as MessageKey)}</td><td>${tk.level}</td><td>${t(lang, `state.${tk.state}` as MessageKey)}</td>
      <td>${tk.assignee ?? '—'}</td><td>${tk.vendor ?? '—'}</td><td>${tk.titles[lang] ?? tk.title} <span class="count">×${tk.count}</span></td></tr>`;
  })}`;
}

function select(name: string, label: string, options: readonly { value: string; text: string }[], current: string | undefined, any: string): SafeHtml {
  return html`<label>${label} <select name="${name}"><option value="">${any}</option>${options.map((o) =>
    html`<option value="${o.value}"${o.value === current ? html` selected` : ''}>${o.text}</option>`)}</select></label>`;
}

function filters(deps: ConsoleDeps, q: Query, lang: Language): SafeHtml {
  const customers = deps.registry.listCustomers().map((c) => ({ value: c.id, text: c.name }));
  const any = t(lang, 'filter.any');
  const states = [...TICKET_STATES.map((s) => ({ value: s, text: t(lang, `state.${s}` as MessageKey) })), { value: 'all', text: t(lang, 'filter.all') }];
  return html`<form method="get" action="${BASE}/queue" class="filters" role="search">
    ${select('customer', t(lang, 'filter.customer'), customers, q.customer, any)}
    ${select('case', t(lang, 'filter.case'), CASE_KINDS.map((c) => ({ value: c, text: t(lang, `case.${c}` as MessageKey) })), q.case, any)}
    ${select('level', t(lang, 'filter.level'), LEVELS.map((l) => ({ value: l, text: l })), q.level, any)}
    ${select('state', t(lang, 'filter.state'), states, q.state, t(lang, 'filter.open'))}
    ${select('assignee', t(lang, 'filter.assignee'), deps.accounts.list().map((u) => ({ value: u.login, text: u.name })), q.assignee, any)}
    ${select('vendor', t(lang, 'filter.vendor'), [{ value: 'eset', text: 'ESET' }, { value: 'symantec', text: 'Symantec' }], q.vendor, any)}
    <label><input type="checkbox" name="mine" value="1"${q.mine ? html` checked` : ''}> ${t(lang, 'filter.mine')}</label>
    <label>${t(lang, 'filter.search')} <input type="search" name="q" value="${q.q ?? ''}"></label>
    <button type="submit">${t(lang, 'filter.apply')}</button></form>`;
}

function rowsFor(deps: ConsoleDeps, req: FastifyRequest): { rows: SafeHtml; count: number } {
  const viewer = requirePermission(req, 'view');
  const lang = langOf(req);
  const tickets = queueTickets(deps.db, filterOf(req.query as Query, viewer.user.login));
  return { rows: queueRows(deps, tickets, lang, deps.clock()), count: tickets.length };
}

/** GET /console/queue and GET /console/api/queue (the rows as HTML the server escaped, for the live update). */
export function registerQueue(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/queue`, async (req, reply) => {
    const viewer = viewerOf(req);
    const lang = langOf(req);
    const { rows, count } = rowsFor(deps, req);
    const cols: MessageKey[] = ['col.number', 'col.due', 'col.customer', 'col.case', 'col.level', 'col.state', 'col.assignee', 'col.vendor', 'col.title'];
    const body = html`${filters(deps, req.query as Query, lang)}
      <p class="live" data-poll="${BASE}/api/queue" data-count="${count}">${t(lang, 'queue.live')} <span id="updated"></span></p>
      <table class="queue"><thead><tr>${cols.map((c) => html`<th scope="col">${t(lang, c)}</th>`)}</tr></thead>
      <tbody id="queue-rows">${rows}</tbody></table>`;
    return sendHtml(reply, page(viewer, t(lang, 'queue.title'), body, { current: '/queue' }));
  });
  app.get(`${BASE}/api/queue`, async (req) => {
    const { rows, count } = rowsFor(deps, req);
    return { count, rows: rows.value, at: deps.clock().toISOString() };
  });
}
