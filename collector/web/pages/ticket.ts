// The ticket page: title and description, customer and plan, designated contacts with phones, the events with their
// raw text, affected computers, the timeline (history and notifications with delivery state) and the actions the
// viewer's role allows, each a form POST with the session's CSRF token.
import type { FastifyInstance } from 'fastify';
import { CASE_KINDS } from '../../../config/plans.js';
import { can } from '../../accounts/index.js';
import { designatedContacts, formatInstant, type TicketDetail } from '../../tickets/index.js';
import type { Language } from '../../notify/types.js';
import { XpearsError } from '../../../lib/errors.js';
import { consoleText, quoteConsole, terminalSafe } from '../../../lib/console-text.js';
import { html, type SafeHtml } from '../html.js';
import { t, type MessageKey } from '../i18n.js';
import { BASE, actionForm, csrfField, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps, type Viewer } from '../context.js';
import { ticketEventCount, ticketEvents, ticketNotifications } from '../queries.js';
import { slaCell } from './queue.js';
import { TICKET_ACTIONS, runTicketAction, type TicketAction } from '../ticket-actions.js';
import { caseAttachments } from './triage.js';

/** What the page shows of a ticket: the ticket, its history and computers; its events are read apart, the newest
 *  EVENTS_SHOWN of them (TicketService.show would read every event id, 100,000 for an outbreak). */
type PageDetail = Omit<TicketDetail, 'eventIds'>;
const EVENTS_SHOWN = 50;

function detailOf(deps: ConsoleDeps, number: string): PageDetail {
  const ticket = deps.tickets.repo.get(number);
  if (!ticket) throw new XpearsError('NOT_FOUND', `no ticket ${number}`);
  return { ticket, history: deps.tickets.repo.history(ticket.id), computers: deps.tickets.repo.computers(ticket.id) };
}

const DONE: Record<string, MessageKey> = { take: 'act.take', ack: 'act.ack', note: 'act.note', reply: 'act.reply', severity: 'act.severity',
  escalate: 'act.escalate', resolve: 'act.resolve', close: 'act.close', reopen: 'act.reopen' };

function actions(viewer: Viewer, d: PageDetail, lang: Language): SafeHtml {
  const tk = d.ticket;
  if (!can(viewer.user.role, 'ticket.act')) return html``;
  const url = (a: string) => `${BASE}/tickets/${tk.number}/${a}`;
  const open = tk.state === 'open' || tk.state === 'acknowledged';
  const note = html`<label>${t(lang, 'ticket.note')} <input name="note" maxlength="4000"></label>`;
  return html`<section aria-labelledby="h-actions"><h2 id="h-actions">${t(lang, 'ticket.actions')}</h2><div class="actions">
    ${open ? actionForm(viewer, url('take'), t(lang, 'act.take')) : ''}
    ${tk.state === 'open' ? actionForm(viewer, url('ack'), t(lang, 'act.ack'), html``, 'inline primary') : ''}
    ${open && tk.level !== 'L3' ? actionForm(viewer, url('escalate'), t(lang, 'act.escalate'), note) : ''}
    ${open ? actionForm(viewer, url('resolve'), t(lang, 'act.resolve'), note) : ''}
    ${tk.state !== 'closed' ? actionForm(viewer, url('close'), t(lang, 'act.close'), note) : ''}
    ${!open && can(viewer.user.role, 'ticket.reopen') ? actionForm(viewer, url('reopen'), t(lang, 'act.reopen'), note) : ''}
    ${open ? actionForm(viewer, url('severity'), t(lang, 'act.severity'), html`<select name="caseKind" aria-label="${t(lang, 'col.case')}">${CASE_KINDS.map((c) =>
      html`<option value="${c}"${c === tk.caseKind ? html` selected` : ''}>${t(lang, `case.${c}` as MessageKey)}</option>`)}</select>`) : ''}
    </div>
    <form method="post" action="${url('note')}" class="block">${csrfField(viewer)}<label>${t(lang, 'act.note')}
      <textarea name="note" rows="2" required maxlength="4000"></textarea></label><button type="submit">${t(lang, 'act.note')}</button></form>
    <form method="post" action="${url('reply')}" class="block">${csrfField(viewer)}<fieldset><legend>${t(lang, 'act.reply')}</legend>
      <label>${t(lang, 'act.replySubject')} <input name="subject" required maxlength="200"></label>
      <label>${t(lang, 'act.replyText')} <textarea name="text" rows="4" required maxlength="8000"></textarea></label>
      <button type="submit">${t(lang, 'act.reply')}</button></fieldset></form></section>`;
}

// A history action's words; an action this console has no words for is shown as recorded.
const label = (lang: Language, action: string): string => {
  const key = `history.${action}`;
  const text = t(lang, key as MessageKey);
  return text === key ? action : text;
};

function timeline(deps: ConsoleDeps, d: PageDetail, lang: Language): SafeHtml {
  const zone = deps.calendar.zone;
  const names = new Map(deps.accounts.list().map((u) => [u.login, u.name]));
  const who = (actor: string) => (names.has(actor) ? `${names.get(actor)!} (${actor})` : actor);
  const notes = ticketNotifications(deps.db, d.ticket.id);
  return html`<section aria-labelledby="h-timeline"><h2 id="h-timeline">${t(lang, 'ticket.timeline')}</h2><ol class="timeline">
    ${d.history.map((h) => html`<li data-action="${h.action}"><time datetime="${h.at}">${formatInstant(h.at, lang, zone)}</time>
      <strong>${label(lang, h.action)}</strong> — <span class="actor">${who(h.actor)}</span>
      ${h.note ? html`<pre class="note">${h.note}</pre>` : ''}</li>`)}</ol>
    <h2>${t(lang, 'ticket.notifications')}</h2><table><thead><tr><th scope="col">${t(lang, 'notif.to')}</th><th scope="col">${t(lang, 'notif.subject')}</th>
    <th scope="col">${t(lang, 'notif.state')}</th><th scope="col">${t(lang, 'notif.attempts')}</th></tr></thead><tbody>
    ${notes.map((n) => html`<tr><td>${n.to}</td><td>${n.subject}</td><td class="n-${n.state}">${t(lang, `notif.state.${n.state}` as MessageKey)}${n.lastError ? html` — ${n.lastError}` : ''}</td><td>${n.attempts}</td></tr>`)}
    </tbody></table></section>`;
}

function ticketBody(deps: ConsoleDeps, viewer: Viewer, d: PageDetail, lang: Language): SafeHtml {
  const tk = d.ticket;
  const customer = deps.registry.getCustomer(tk.customerId);
  const plan = deps.tickets.planOf(customer);
  const sla = slaCell(deps, tk, lang, deps.clock());
  const contacts = designatedContacts(customer, tk.vendor);
  const phones = new Map((customer?.contacts ?? []).map((c) => [c.email.toLowerCase(), c.phone]));
  const events = ticketEvents(deps.db, tk.id, EVENTS_SHOWN);
  const linked = events.length < EVENTS_SHOWN ? events.length : ticketEventCount(deps.db, tk.id);
  const zone = deps.calendar.zone;
  return html`<dl class="facts"><dt>${t(lang, 'ticket.customer')}</dt><dd>${customer?.name ?? tk.customerId}</dd>
    <dt>${t(lang, 'ticket.plan')}</dt><dd>${plan.name}</dd><dt>${t(lang, 'col.case')}</dt><dd>${t(lang, `case.${tk.caseKind}` as MessageKey)}</dd>
    <dt>${t(lang, 'col.state')}</dt><dd>${t(lang, `state.${tk.state}` as MessageKey)} · ${tk.level}</dd>
    <dt>${t(lang, 'ticket.assignee')}</dt><dd>${tk.assignee ?? t(lang, 'ticket.unassigned')}</dd>
    <dt>${t(lang, 'ticket.opened')}</dt><dd>${formatInstant(tk.openedAt, lang, zone)}</dd>
    <dt>${t(lang, 'ticket.due')}</dt><dd class="${sla.cls}"><span class="dot" aria-hidden="true"></span>${formatInstant(tk.responseDueAt, lang, zone)} — ${sla.text}</dd></dl>
    <section aria-labelledby="h-desc"><h2 id="h-desc">${t(lang, 'ticket.description')}</h2><pre class="description">${tk.description}</pre></section>
    ${caseAttachments(deps, tk.id, lang)}
    <section aria-labelledby="h-contacts"><h2 id="h-contacts">${t(lang, 'ticket.contacts')}</h2>${contacts.length === 0 ? html`<p>${t(lang, 'ticket.noContacts')}</p>`
      : html`<ul>${contacts.map((c) => html`<li>${c.name} — <a href="mailto:${c.email}">${c.email}</a>${phones.get(c.email.toLowerCase()) ? html` — ${t(lang, 'ticket.phone')}: <a href="tel:${phones.get(c.email.toLowerCase())!}">${phones.get(c.email.toLowerCase())!}</a>` : ''}</li>`)}</ul>`}</section>
    ${actions(viewer, d, lang)}
    <section aria-labelledby="h-computers"><h2 id="h-computers">${t(lang, 'ticket.computers')}</h2><ul class="computers">${d.computers.map((c) =>
      // A console's words: quoted, one capped line, no bidi or zero-width character (lib/console-text).
      html`<li><span class="computer">${quoteConsole(c.name, lang)}</span>${c.ip ? ` (${consoleText(c.ip, 64)})` : ''}${c.user ? ` — ${quoteConsole(c.user, lang, 100)}` : ''}</li>`)}</ul></section>
    <section aria-labelledby="h-events"><h2 id="h-events">${t(lang, 'ticket.events')} (${tk.count})</h2>${events.length === 0 ? html`<p>${t(lang, 'ticket.noEvents')}</p>` : ''}
      ${linked > events.length ? html`<p class="shown">${t(lang, 'ticket.eventsShown', { shown: events.length, count: linked })}</p>` : ''}
      ${events.map((e) => html`<details class="event"><summary>${formatInstant(e.occurredAt, lang, zone)} · ${e.eventType} · ${e.computer ? quoteConsole(e.computer, lang) : '—'} · ${quoteConsole(e.threat ?? e.summary, lang, 300)}</summary>
      <p>${t(lang, 'ticket.raw')}:</p><pre class="raw">${terminalSafe(e.raw)}</pre></details>`)}</section>
    ${timeline(deps, d, lang)}`;
}

/** GET /console/tickets/:number and POST /console/tickets/:number/:action. */
export function registerTicketPage(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Params: { number: string }; Querystring: { done?: string; err?: string; msg?: string } }>(`${BASE}/tickets/:number`, async (req, reply) => {
    const viewer = requirePermission(req, 'view');
    const lang = langOf(req);
    const d = detailOf(deps, req.params.number);
    const ack = d.history.find((h) => h.action === 'acknowledged');
    const flash = req.query.done && DONE[req.query.done] ? { kind: 'ok' as const, text: t(lang, 'act.done', { what: t(lang, DONE[req.query.done]!) }) }
      : req.query.err === 'acked' ? { kind: 'error' as const, text: t(lang, 'act.ackedBy', { by: ack?.actor ?? '?' }) }
        : req.query.err ? { kind: 'error' as const, text: t(lang, 'act.conflict', { reason: (req.query.msg ?? '').slice(0, 300) }) } : undefined;
    return sendHtml(reply, page(viewer, `${d.ticket.number} — ${d.ticket.titles[lang] ?? d.ticket.title}`, ticketBody(deps, viewer, d, lang), flash ? { flash } : {}));
  });

  app.post<{ Params: { number: string; action: string } }>(`${BASE}/tickets/:number/:action`, async (req, reply) => {
    const action = req.params.action as TicketAction;
    if (!(TICKET_ACTIONS as readonly string[]).includes(action)) throw new XpearsError('NOT_FOUND');
    const viewer = requirePermission(req, action === 'reopen' ? 'ticket.reopen' : 'ticket.act');
    const back = `${BASE}/tickets/${encodeURIComponent(req.params.number)}`;
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const tk = runTicketAction(deps, action, req.params.number, viewer.user.login, body, deps.clock());
      deps.accounts.audit(viewer.user.login, `ticket.${action}`, tk.number);
      return viaToken(viewer) ? tk : seeOther(reply, `${back}?done=${action}`);
    } catch (err) {
      if (!(err instanceof XpearsError) || (err.code !== 'STATE_CONFLICT' && err.code !== 'INVALID_ARGUMENT')) throw err;
      if (viaToken(viewer)) throw err;
      const acked = action === 'ack' && err.code === 'STATE_CONFLICT';
      return seeOther(reply, `${back}?err=${acked ? 'acked' : 'conflict'}&msg=${encodeURIComponent(err.message)}`);
    }
  });
}

const viaToken = (v: Viewer) => v.via === 'token';
