// What the "Mantenimiento y silencios" page shows: the windows and silences that are active or ended recently (who,
// why, scope or matchers, times in the customer's zone) and, for roles that may change them, the forms.
import { DateTime } from 'luxon';
import type { Language } from '../../notify/types.js';
import { can } from '../../accounts/index.js';
import { EVENT_TYPES, VENDORS } from '../../../protocol/event.js';
import { windowOpen } from '../../noise/match.js';
import { describeSchedule } from '../../noise/schedule.js';
import type { MaintenanceWindow, Silence } from '../../noise/store.js';
import type { NoiseContext } from '../../noise/context.js';
import { html, type SafeHtml } from '../html.js';
import { BASE, actionForm, csrfField } from '../layout.js';
import type { ConsoleDeps, Viewer } from '../context.js';
import { nt, type NoiseKey } from './noise-messages.js';

/** The zone used when no customer gives one (the CAS's own). */
export const DEFAULT_ZONE = 'America/Argentina/Buenos_Aires';

/** An instant as "2026-03-21 22:00 (-03)" in a zone. */
export function inZone(iso: string, zone: string): string {
  const d = DateTime.fromISO(iso, { zone });
  return d.isValid ? `${d.toFormat('yyyy-MM-dd HH:mm')} (${d.toFormat('ZZ')})` : iso;
}

const head = (lang: Language, keys: NoiseKey[]) => html`<thead><tr>${keys.map((k) => html`<th scope="col">${nt(lang, k)}</th>`)}<th></th></tr></thead>`;

// When a window stops being shown: ended by hand, or a one-off past its end, more than `hours` ago.
function shown(w: MaintenanceWindow, now: Date, hours: number): boolean {
  const end = w.endedAt ?? (w.schedule.kind === 'once' ? w.schedule.to : null);
  return end === null || Date.parse(end) > now.getTime() - hours * 3_600_000;
}

function windowState(deps: ConsoleDeps, w: MaintenanceWindow, now: Date, lang: Language, zone: string): string {
  if (w.endedAt) return nt(lang, 'ended', { at: inZone(w.endedAt, zone) });
  if (windowOpen(w, now, deps.registry.getCustomer(w.customerId))) return nt(lang, 'open');
  if (w.schedule.kind === 'once' && Date.parse(w.schedule.to) <= now.getTime()) return nt(lang, 'past');
  return nt(lang, 'waiting');
}

function windowWhen(w: MaintenanceWindow, zone: string, lang: Language): string {
  const s = w.schedule;
  if (s.kind === 'once') return `${inZone(s.from, zone)} → ${inZone(s.to, zone)}`;
  return `${nt(lang, s.kind === 'weekly' ? 'weekly' : 'monthly')}: ${describeSchedule(s).replace(/^(weekly|monthly) /, '')} (${zone})`;
}

function windowsTable(deps: ConsoleDeps, noise: NoiseContext, viewer: Viewer, lang: Language, now: Date): SafeHtml {
  const list = noise.store.windows({ all: true }).filter((w) => shown(w, now, noise.config.silences.listAfterEndHours)).reverse();
  if (list.length === 0) return html`<p>${nt(lang, 'noWindows')}</p>`;
  const manage = can(viewer.user.role, 'noise.manage');
  return html`<table id="windows">${head(lang, ['id', 'customer', 'scope', 'when', 'reason', 'author', 'state'])}<tbody>${list.map((w) => {
    const customer = deps.registry.getCustomer(w.customerId);
    const zone = customer?.timezone || DEFAULT_ZONE;
    const scope = w.computer ? `${nt(lang, 'computer')} ${w.computer}` : w.agentId ? `${nt(lang, 'agent')} ${w.agentId}` : nt(lang, 'whole');
    return html`<tr><td>${w.id}</td><td>${customer?.name ?? w.customerId}</td><td>${scope}</td><td>${windowWhen(w, zone, lang)}</td>
      <td>${w.reason}</td><td>${w.author}</td><td>${windowState(deps, w, now, lang, zone)}</td>
      <td>${manage && !w.endedAt ? actionForm(viewer, `${BASE}/maintenance/${w.id}/end`, nt(lang, 'end')) : ''}</td></tr>`;
  })}</tbody></table>`;
}

/** The matchers of a silence in one line: "customer=acme, threat=Win32/…". */
export function describeMatchers(s: Silence): string {
  return Object.entries(s.matchers).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

function silencesTable(deps: ConsoleDeps, noise: NoiseContext, viewer: Viewer, lang: Language, now: Date): SafeHtml {
  const list = noise.store.silences(now, noise.config.silences.listAfterEndHours).reverse();
  if (list.length === 0) return html`<p>${nt(lang, 'noSilences')}</p>`;
  const manage = can(viewer.user.role, 'noise.manage');
  return html`<table id="silences">${head(lang, ['id', 'matchers', 'ends', 'comment', 'author', 'state'])}<tbody>${list.map((s) => {
    const zone = (s.matchers.customer && deps.registry.getCustomer(s.matchers.customer)?.timezone) || DEFAULT_ZONE;
    const ended = s.expiredAt ?? (Date.parse(s.endsAt) <= now.getTime() ? s.endsAt : null);
    return html`<tr><td>${s.id}</td><td>${describeMatchers(s)}</td><td>${inZone(s.endsAt, zone)}</td><td>${s.comment}</td><td>${s.author}</td>
      <td>${ended ? nt(lang, 'expired', { at: inZone(ended, zone) }) : nt(lang, 'active')}</td>
      <td>${manage && !ended ? actionForm(viewer, `${BASE}/silences/${s.id}/expire`, nt(lang, 'expire')) : ''}</td></tr>`;
  })}</tbody></table>`;
}

const options = (values: readonly string[], blank: string) =>
  html`<option value="">${blank}</option>${values.map((v) => html`<option value="${v}">${v}</option>`)}`;

function forms(deps: ConsoleDeps, noise: NoiseContext, viewer: Viewer, lang: Language): SafeHtml {
  const customers = deps.registry.listCustomers();
  const custOptions = customers.map((c) => html`<option value="${c.id}">${c.name} (${c.id})</option>`);
  const label = (key: NoiseKey, field: SafeHtml, optional = false) => html`<label>${nt(lang, key)}${optional ? ` ${nt(lang, 'optional')}` : ''} ${field}</label>`;
  return html`<section><h2>${nt(lang, 'addWindow')}</h2><form method="post" action="${BASE}/maintenance" class="block">${csrfField(viewer)}
    ${label('customer', html`<select name="customer" required>${custOptions}</select>`)}
    ${label('agentField', html`<input name="agent" maxlength="200">`, true)} ${label('computerField', html`<input name="computer" maxlength="200">`, true)}
    ${label('from', html`<input type="datetime-local" name="from">`)} ${label('to', html`<input type="datetime-local" name="to">`)}
    ${label('recurring', html`<input name="recurring" maxlength="100" placeholder="weekly sat 22:00-02:00">`, true)}
    <p class="hint">${nt(lang, 'recurringHint')} ${nt(lang, 'zoneHint')}</p>${label('reason', html`<input name="reason" required maxlength="1000">`)}
    <button type="submit">${nt(lang, 'create')}</button></form></section>
    <section><h2>${nt(lang, 'addSilence')}</h2><form method="post" action="${BASE}/silences" class="block">${csrfField(viewer)}
    ${label('customer', html`<select name="customer"><option value="">${nt(lang, 'anyCustomer')}</option>${custOptions}</select>`)}
    ${label('vendor', html`<select name="vendor">${options(VENDORS, nt(lang, 'anyCustomer'))}</select>`)}
    ${label('eventType', html`<select name="eventType">${options(EVENT_TYPES, nt(lang, 'anyCustomer'))}</select>`)}
    ${label('computerField', html`<input name="computer" maxlength="200">`, true)} ${label('threat', html`<input name="threat" maxlength="200">`, true)}
    ${label('rule', html`<input name="rule" maxlength="200">`, true)}
    ${label('ends', html`<input type="datetime-local" name="endsAt" required>`)}
    <p class="hint">${nt(lang, 'silenceZoneHint', { zone: DEFAULT_ZONE, max: noise.config.silences.maxHours })}</p>
    ${label('comment', html`<input name="comment" required maxlength="1000">`)}<button type="submit">${nt(lang, 'create')}</button></form></section>`;
}

/** The page's body: both lists, then the forms (or a line saying the role may only view). */
export function noiseBody(deps: ConsoleDeps, noise: NoiseContext, viewer: Viewer, lang: Language): SafeHtml {
  const now = deps.clock();
  const manage = can(viewer.user.role, 'noise.manage');
  return html`<p>${nt(lang, 'intro')}</p><h2>${nt(lang, 'windows')}</h2>${windowsTable(deps, noise, viewer, lang, now)}
    <h2>${nt(lang, 'silences')}</h2>${silencesTable(deps, noise, viewer, lang, now)}
    ${manage ? forms(deps, noise, viewer, lang) : html`<p class="hint">${nt(lang, 'readOnly')}</p>`}`;
}
