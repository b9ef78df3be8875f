// The queue: open tickets, soonest response due first, each with its business-time countdown (amber past the
// warning fraction, red when missed), filters and search; the client script re-asks /console/api/queue every 5 s.
import { createHash } from 'node:crypto';
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
import { queueCount, queueTickets, queueVersion, type QueueFilter } from '../queries.js';

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

/** Tickets per queue page: the rows rendered, the rest reached by the page links. */
export const QUEUE_PAGE_SIZE = 100;

/** One rendered queue answer, shared by every engineer asking the same filters in the same language. */
interface QueueAnswer { version: number; minute: number; rows: SafeHtml; count: number; etag: string }

// Rendered answers by filter, language and page. An answer stands while the queue's version (any ticket change, from
// any process) and the minute (the countdowns are to the minute) are those it was made at; a customer renamed in the
// registry shows from the next change or minute. Bounded: past 500 answers they are all dropped.
const answers = new WeakMap<ConsoleDeps, Map<string, QueueAnswer>>();

function pageOf(q: Query): number {
  const n = Number(q.page);
  return Number.isInteger(n) && n > 1 && n <= 100_000 ? n : 1;
}

// The links to the pages before and after this one, with the same filters; a row under the tickets, so the live
// update swaps it with them.
function pager(q: Query, lang: Language, pageNo: number, count: number): SafeHtml {
  if (count <= QUEUE_PAGE_SIZE && pageNo === 1) return html``;
  const link = (n: number) => `${BASE}/queue?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'page' && typeof v === 'string')), page: String(n) }).toString()}`;
  const from = (pageNo - 1) * QUEUE_PAGE_SIZE + 1;
  const to = Math.min(count, pageNo * QUEUE_PAGE_SIZE);
  const rest = count - to;
  return html`<tr class="pager"><td colspan="9">${t(lang, 'queue.range', { from: Math.min(from, count), to, count })}
    ${pageNo > 1 ? html` <a href="${link(pageNo - 1)}" rel="prev">${t(lang, 'queue.prev')}</a>` : ''}
    ${rest > 0 ? html` <a href="${link(pageNo + 1)}" rel="next">${t(lang, 'queue.next', { n: Math.min(rest, QUEUE_PAGE_SIZE) })}</a>` : ''}</td></tr>`;
}

function answerFor(deps: ConsoleDeps, req: FastifyRequest): QueueAnswer {
  const viewer = requirePermission(req, 'view');
  const lang = langOf(req);
  const q = req.query as Query;
  const filter = filterOf(q, viewer.user.login);
  const pageNo = pageOf(q);
  const now = deps.clock();
  const version = queueVersion(deps.db);
  const minute = Math.floor(now.getTime() / 60_000);
  const key = JSON.stringify([filter, lang, pageNo]);
  let byKey = answers.get(deps);
  if (!byKey) { byKey = new Map(); answers.set(deps, byKey); }
  const kept = byKey.get(key);
  if (kept && kept.version === version && kept.minute === minute) return kept;
  const count = queueCount(deps.db, filter);
  const tickets = queueTickets(deps.db, filter, QUEUE_PAGE_SIZE, (pageNo - 1) * QUEUE_PAGE_SIZE);
  const rows = html`${queueRows(deps, tickets, lang, now)}${pager(q, lang, pageNo, count)}`;
  const tag = createHash('sha256').update(key).update(String(count)).update(rows.value).digest('base64url').slice(0, 22);
  // The tag is the answer's content: a change that leaves the rows as they were still answers the poll with 304.
  const answer = { version, minute, rows, count, etag: `W/"${tag}"` };
  if (byKey.size >= 500) byKey.clear();
  byKey.set(key, answer);
  return answer;
}

/** GET /console/queue and GET /console/api/queue (the rows as HTML the server escaped, for the live update; 304 when
 *  the poll's If-None-Match names the answer it would get). */
export function registerQueue(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/queue`, async (req, reply) => {
    const viewer = viewerOf(req);
    const lang = langOf(req);
    const { rows, count } = answerFor(deps, req);
    const cols: MessageKey[] = ['col.number', 'col.due', 'col.customer', 'col.case', 'col.level', 'col.state', 'col.assignee', 'col.vendor', 'col.title'];
    const body = html`${filters(deps, req.query as Query, lang)}
      <p class="live" data-poll="${BASE}/api/queue" data-count="${count}">${t(lang, 'queue.live')} <span id="updated"></span></p>
      <table class="queue"><thead><tr>${cols.map((c) => html`<th scope="col">${t(lang, c)}</th>`)}</tr></thead>
      <tbody id="queue-rows">${rows}</tbody></table>`;
    return sendHtml(reply, page(viewer, t(lang, 'queue.title'), body, { current: '/queue' }));
  });
  app.get(`${BASE}/api/queue`, async (req, reply) => {
    const answer = answerFor(deps, req);
    reply.header('etag', answer.etag);
    if (req.headers['if-none-match'] === answer.etag) return reply.code(304).send();
    return { count: answer.count, rows: answer.rows.value, at: deps.clock().toISOString() };
  });
}
