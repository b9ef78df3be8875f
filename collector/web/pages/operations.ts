// The operations pages: failed notifications (retry), advisories held for review (approve, drop with a reason),
// agents (silent and refusing first) and status. Customers are in customers.ts.
import type { FastifyInstance } from 'fastify';
import type { Language } from '../../notify/types.js';
import { can } from '../../accounts/index.js';
import { unrecognizedProducts } from '../../advisories/products.js';
import type { Advisory } from '../../advisories/types.js';
import { XpearsError } from '../../../lib/errors.js';
import { html, type SafeHtml } from '../html.js';
import { duration, t, type MessageKey } from '../i18n.js';
import { BASE, actionForm, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps, type Viewer } from '../context.js';

const th = (lang: Language, keys: MessageKey[]) => html`<thead><tr>${keys.map((k) => html`<th scope="col">${t(lang, k)}</th>`)}<th></th></tr></thead>`;

function notifications(deps: ConsoleDeps, viewer: Viewer, lang: Language): SafeHtml {
  const dead = deps.outbox.list({ state: 'dead', limit: 200 });
  if (dead.length === 0) return html`<p>${t(lang, 'notif.empty')}</p>`;
  const retry = can(viewer.user.role, 'notification.retry');
  return html`<table>${th(lang, ['notif.to', 'notif.subject', 'notif.reason', 'notif.attempts'])}<tbody>${dead.map((n) => html`<tr>
    <td>${n.to.join(', ')}</td><td>${n.message.subject}</td><td>${n.lastReason ?? ''} ${n.lastError ?? ''}</td><td>${n.attempts}</td>
    <td>${retry ? actionForm(viewer, `${BASE}/notifications/${n.id}/retry`, t(lang, 'notif.retry')) : ''}</td></tr>`)}</tbody></table>`;
}

// An advisory whose products match no known family goes to every holder of its vendor: the page says so, with the names.
function unrecognized(a: Advisory, lang: Language): SafeHtml | string {
  const names = unrecognizedProducts(a);
  return names.length === 0 ? '' : html`<div class="note">${t(lang, 'adv.unrecognized')} (${names.join('; ')})</div>`;
}

// The last relayed advisories and to whom (customer: contacts), from the deliveries that carried them.
function relayed(deps: ConsoleDeps, lang: Language): SafeHtml {
  const list = deps.advisories?.list({ state: 'relayed', limit: 30 }) ?? [];
  const name = (id: string) => deps.registry.getCustomer(id)?.name ?? id;
  return html`<h2>${t(lang, 'adv.relayed')}</h2>${list.length === 0 ? html`<p>${t(lang, 'adv.noneRelayed')}</p>` : html`<table><thead><tr>
    <th scope="col">${t(lang, 'adv.level')}</th><th scope="col">${t(lang, 'col.title')}</th><th scope="col">${t(lang, 'adv.relayedAt')}</th><th scope="col">${t(lang, 'adv.to')}</th></tr></thead><tbody>
    ${list.map((a) => html`<tr><td>${a.risk}</td><td>${a.title}${unrecognized(a, lang)}</td><td>${a.relayedAt ?? ''}</td><td>${deps.advisories!.show(a.id).deliveries.map((d) =>
      html`<div>${name(d.customerId)}: ${d.recipients.map((r) => r.email).join(', ')}${d.kind === 'digest' ? ` (${t(lang, 'adv.digest')} ${d.batch})` : ''}</div>`)}</td></tr>`)}</tbody></table>`}`;
}

function advisories(deps: ConsoleDeps, viewer: Viewer, lang: Language): SafeHtml {
  const held = deps.advisories?.list({ state: 'held', limit: 200 }) ?? [];
  if (held.length === 0) return html`<p>${t(lang, 'adv.empty')}</p>${relayed(deps, lang)}`;
  const review = can(viewer.user.role, 'advisory.review');
  return html`<table>${th(lang, ['adv.level', 'adv.vendor', 'col.title', 'adv.source'])}<tbody>${held.map((a) => html`<tr>
    <td>${a.risk}</td><td>${a.vendor}</td><td>${a.link ? html`<a href="${a.link}" rel="noreferrer noopener">${a.title}</a>` : a.title}${unrecognized(a, lang)}</td><td>${a.source}</td>
    <td>${review ? html`${actionForm(viewer, `${BASE}/advisories/${a.id}/approve`, t(lang, 'adv.approve'))}
      ${actionForm(viewer, `${BASE}/advisories/${a.id}/drop`, t(lang, 'adv.drop'), html`<label>${t(lang, 'act.reason')} <input name="reason" required maxlength="500"></label>`)}` : ''}</td></tr>`)}
    </tbody></table>${relayed(deps, lang)}`;
}

function agents(deps: ConsoleDeps, lang: Language): SafeHtml {
  const now = deps.clock().getTime();
  const silence = (deps.silenceMinutes ?? 5) * 60_000;
  const beats = deps.lastHeartbeats();
  const rows = deps.registry.listAgents().filter((a) => !a.revokedAt).map((a) => {
    const b = beats.get(a.id);
    const refusing = b?.heartbeat.outbox.refusing ?? false;
    const silent = !b || now - Date.parse(b.receivedAt) > silence;
    return { a, b, refusing, silent, rank: refusing ? 0 : silent ? 1 : 2 };
  }).sort((x, y) => x.rank - y.rank || x.a.customerId.localeCompare(y.a.customerId));
  return html`<table>${th(lang, ['col.customer', 'agents.name', 'agents.health', 'agents.lastHeartbeat', 'agents.version', 'agents.outbox', 'agents.receivers'])}<tbody>
    ${rows.map(({ a, b, refusing, silent }) => html`<tr><td>${deps.registry.getCustomer(a.customerId)?.name ?? a.customerId}</td><td>${a.name} (${a.id})</td>
      <td class="${refusing || silent ? 'sla-missed' : 'sla-ok'}"><span class="dot" aria-hidden="true"></span>${t(lang, refusing ? 'agents.refusing' : silent ? 'agents.silent' : 'agents.ok')}</td>
      <td>${b?.receivedAt ?? t(lang, 'agents.never')}</td><td>${b?.heartbeat.agentVersion ?? '—'}</td>
      <td>${b ? `${b.heartbeat.outbox.depth}${b.heartbeat.outbox.oldestAgeSeconds ? ` · ${duration(b.heartbeat.outbox.oldestAgeSeconds / 60)}` : ''}` : '—'}</td>
      <td>${(b?.heartbeat.receivers ?? []).map((r) => `${r.name}: ${r.healthy ? 'ok' : '!'}`).join(', ')}</td><td></td></tr>`)}</tbody></table>`;
}

function status(deps: ConsoleDeps, lang: Language): SafeHtml {
  const problems = deps.problems?.() ?? [];
  const open = deps.db.prepare("SELECT COUNT(*) FROM tickets WHERE state IN ('open','acknowledged')").pluck().get() as number;
  const missed = deps.db.prepare("SELECT COUNT(*) FROM tickets WHERE state = 'open' AND first_response_at IS NULL AND response_due_at < ?").pluck().get(deps.clock().toISOString()) as number;
  const stats = deps.outbox.stats();
  const held = deps.advisories?.list({ state: 'held', limit: 1000 }).length ?? 0;
  return html`<dl class="facts"><dt>${t(lang, 'status.open')}</dt><dd>${open}</dd><dt>${t(lang, 'status.missed')}</dt><dd class="${missed ? 'sla-missed' : ''}">${missed}</dd>
    <dt>${t(lang, 'status.dead')}</dt><dd>${stats.dead}</dd><dt>${t(lang, 'status.held')}</dt><dd>${held}</dd></dl>
    <ul class="problems">${problems.map((p) => html`<li>${p}</li>`)}</ul>`;
}

/** GET pages of operations and their POST actions. */
export function registerOperationPages(app: FastifyInstance, deps: ConsoleDeps): void {
  const pages: [string, MessageKey, (v: Viewer, l: Language) => SafeHtml][] = [
    ['/notifications', 'notif.title', (v, l) => notifications(deps, v, l)], ['/advisories', 'adv.title', (v, l) => advisories(deps, v, l)],
    ['/agents', 'agents.title', (_v, l) => agents(deps, l)],
    ['/status', 'status.title', (_v, l) => status(deps, l)],
  ];
  for (const [path, title, body] of pages) {
    app.get(`${BASE}${path}`, async (req, reply) => {
      const viewer = requirePermission(req, 'view');
      const lang = langOf(req);
      return sendHtml(reply, page(viewer, t(lang, title), body(viewer, lang), { current: path }));
    });
  }
  app.post<{ Params: { id: string } }>(`${BASE}/notifications/:id/retry`, async (req, reply) => {
    const viewer = requirePermission(req, 'notification.retry');
    deps.outbox.retry(req.params.id);
    deps.accounts.audit(viewer.user.login, 'notification.retry', req.params.id);
    return seeOther(reply, `${BASE}/notifications`);
  });
  app.post<{ Params: { id: string; op: string } }>(`${BASE}/advisories/:id/:op`, async (req, reply) => {
    const viewer = requirePermission(req, 'advisory.review');
    if (!deps.advisories) throw new XpearsError('NOT_FOUND');
    const reason = String((req.body as Record<string, unknown> | undefined)?.reason ?? '').trim();
    if (req.params.op === 'approve') await deps.advisories.approve(req.params.id, viewer.user.login);
    else if (req.params.op === 'drop') {
      if (!reason) throw new XpearsError('INVALID_ARGUMENT', 'a reason is required to drop an advisory');
      deps.advisories.drop(req.params.id, viewer.user.login, reason);
    } else throw new XpearsError('NOT_FOUND');
    deps.accounts.audit(viewer.user.login, `advisory.${req.params.op}`, req.params.id, reason || null);
    return seeOther(reply, `${BASE}/advisories`);
  });
}
