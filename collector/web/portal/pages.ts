// The portal's markup in the reader's language (messages.ts): the layout, the case list, a case's public timeline with
// the answer and close forms, and the new-case form of the manuals. Everything interpolated is escaped (html.ts).
import type { Language } from '../../../lib/people.js';
import { html, type SafeHtml } from '../html.js';
import type { CaseAttachment, CaseComment, CaseTicket } from '../../cases/store.js';
import type { RefusedFile } from '../../cases/attachments.js';
import { REFUSAL_REASONS } from '../../cases/attachments.js';
import { pt, type PortalKey } from './messages.js';

/** The portal's path. */
export const PORTAL = '/portal';

/** What a page of a signed-in contact shows in its header: the session's token for the language and sign-out forms. */
export interface PortalChrome { lang: Language; csrf?: string }

const csrfField = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const state = (lang: Language, s: string): string => pt(lang, `state.${s}` as PortalKey);
const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** A whole page; with a session's token, the menu, the language switch and sign-out. */
export function portalPage(chrome: PortalChrome, title: string, body: SafeHtml): SafeHtml {
  const { lang, csrf } = chrome;
  const other = lang === 'es' ? 'en' : 'es';
  const nav = csrf ? html` · <a href="${PORTAL}/cases">${pt(lang, 'nav.cases')}</a> · <a href="${PORTAL}/cases/new">${pt(lang, 'nav.new')}</a> · <a href="${PORTAL}/reports">${pt(lang, 'nav.reports')}</a> · <a href="${PORTAL}/advisories">${pt(lang, 'nav.advisories')}</a>
<form method="post" action="${PORTAL}/language" class="inline">${csrfField(csrf)}<input type="hidden" name="language" value="${other}"><button type="submit" id="language">${pt(lang, 'switch')}</button></form>
<form method="post" action="${PORTAL}/logout" class="inline">${csrfField(csrf)}<button type="submit" id="logout">${pt(lang, 'nav.logout')}</button></form>`
    : html` · <a href="${PORTAL}/login?lang=${other}" id="language">${pt(lang, 'switch')}</a>`;
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title} — ${pt(lang, 'site')}</title></head>
<body><header><strong>${pt(lang, 'brand')}</strong>${nav}</header>
<main><h1>${title}</h1>${body}</main></body></html>`;
}

/** A short page with one message (not found, forbidden, an expired link). */
export function messagePage(chrome: PortalChrome, title: PortalKey, text: PortalKey, status: 'alert' | 'status' = 'alert'): SafeHtml {
  return portalPage(chrome, pt(chrome.lang, title), html`<p role="${status}">${pt(chrome.lang, text)}</p>`);
}

/** The contact's cases: open ones first, then the closed ones. */
export function casesPage(chrome: PortalChrome, tickets: CaseTicket[]): SafeHtml {
  const { lang } = chrome;
  const row = (t: CaseTicket): SafeHtml => html`<tr><td><a href="${PORTAL}/cases/${t.number}">${t.number}</a></td><td>${t.title}</td>
<td>${state(lang, t.state)}</td><td>${t.requestedPriority ? pt(lang, 'level', { n: t.requestedPriority }) : ''}</td><td>${utc(t.openedAt)}</td></tr>`;
  const open = tickets.filter((t) => t.state === 'open' || t.state === 'acknowledged');
  const closed = tickets.filter((t) => t.state === 'resolved' || t.state === 'closed');
  const table = (list: CaseTicket[], id: string): SafeHtml => list.length
    ? html`<table id="${id}"><thead><tr><th>${pt(lang, 'col.case')}</th><th>${pt(lang, 'col.subject')}</th><th>${pt(lang, 'col.state')}</th><th>${pt(lang, 'col.priority')}</th><th>${pt(lang, 'col.opened')}</th></tr></thead><tbody>${list.map(row)}</tbody></table>`
    : html`<p>${pt(lang, 'cases.none')}</p>`;
  return portalPage(chrome, pt(lang, 'cases.title'), html`<h2>${pt(lang, 'cases.open')}</h2>${table(open, 'open-cases')}<h2>${pt(lang, 'cases.closed')}</h2>${table(closed, 'closed-cases')}`);
}

/** Which files were refused and why, shown above a form that recorded nothing. */
export function refusedNotice(lang: Language, refused: readonly RefusedFile[]): SafeHtml {
  return refused.length ? html`<div role="alert" id="refused"><p>${pt(lang, 'refused.title')}</p>
<ul>${refused.map((r) => html`<li>${r.name}: ${REFUSAL_REASONS[r.why][lang]}</li>`)}</ul><p>${pt(lang, 'refused.hint')}</p></div>` : html``;
}

// The size limit as a person reads it: 10 MB, 512 KB.
const sizeText = (bytes: number): string => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024 * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`);
const fileField = (lang: Language, maxBytes: number | undefined): SafeHtml => maxBytes
  ? html`<label>${pt(lang, 'case.attach', { size: sizeText(maxBytes) })} <input type="file" name="files" multiple></label>` : html``;

/** One case: its facts, the public timeline, and the answer, close and reopen forms. */
export function casePage(chrome: PortalChrome & { csrf: string }, t: CaseTicket, view: { comments: CaseComment[]; canReopen: boolean; files: CaseAttachment[]; maxBytes?: number; refused?: RefusedFile[] }): SafeHtml {
  const { lang, csrf } = chrome;
  const base = `${PORTAL}/cases/${t.number}`;
  const isOpen = t.state === 'open' || t.state === 'acknowledged';
  const files = view.files;
  return portalPage(chrome, `${t.number}: ${t.title}`, html`${refusedNotice(lang, view.refused ?? [])}<dl><dt>${pt(lang, 'case.state')}</dt><dd id="state">${state(lang, t.state)}</dd>
<dt>${pt(lang, 'case.product')}</dt><dd>${[t.vendor, t.product, t.productVersion].filter(Boolean).join(' ')}</dd>
<dt>${pt(lang, 'case.os')}</dt><dd>${[t.os, t.osVersion].filter(Boolean).join(' ')}</dd>
<dt>${pt(lang, 'case.due')}</dt><dd>${utc(t.responseDueAt)}</dd></dl>
<h2>${pt(lang, 'case.description')}</h2><pre>${t.description}</pre>
${files.length ? html`<h2>${pt(lang, 'case.attachments')}</h2><ul id="attachments">${files.map((f) => html`<li><a href="${PORTAL}/attachments/${f.id}">${f.name}</a> (${pt(lang, 'case.fileFacts', { size: f.size, sha: f.sha256 })})</li>`)}</ul>` : ''}
<h2>${pt(lang, 'case.conversation')}</h2><ol id="timeline">${view.comments.map((c) => html`<li><p><strong>${c.authorKind === 'engineer' ? `CAS (${c.author})` : c.author}</strong> · ${utc(c.at)}</p><pre>${c.body}</pre></li>`)}</ol>
${isOpen ? html`<form method="post" action="${base}/reply" enctype="multipart/form-data">${csrfField(csrf)}<label>${pt(lang, 'case.answer')} <textarea name="body" required maxlength="20000"></textarea></label>${fileField(lang, view.maxBytes)}<button type="submit">${pt(lang, 'case.send')}</button></form>
<form method="post" action="${base}/close">${csrfField(csrf)}<button type="submit" id="close">${pt(lang, 'case.close')}</button></form>` : ''}
${!isOpen && view.canReopen ? html`<form method="post" action="${base}/reopen">${csrfField(csrf)}<button type="submit">${pt(lang, 'case.reopen')}</button></form>` : ''}`);
}

/** The manuals' form for a new case; after a refusal, the contact's words are kept and the refused files named. */
export function newCasePage(chrome: PortalChrome & { csrf: string }, maxBytes?: number, kept: Record<string, string> = {}, refused: RefusedFile[] = []): SafeHtml {
  const { lang, csrf } = chrome;
  const v = (k: string): string => kept[k] ?? '';
  const prio = v('priority') || '3';
  const option = (value: string, label: string): SafeHtml => html`<option value="${value}"${prio === value ? html` selected` : ''}>${label}</option>`;
  return portalPage(chrome, pt(lang, 'new.title'), html`${refusedNotice(lang, refused)}<form method="post" action="${PORTAL}/cases" enctype="multipart/form-data">${csrfField(csrf)}
<label>${pt(lang, 'new.vendor')} <select name="vendor"><option value="eset">ESET</option><option value="symantec"${v('vendor') === 'symantec' ? html` selected` : ''}>Symantec</option></select></label>
<label>${pt(lang, 'new.subject')} <input name="title" required maxlength="200" value="${v('title')}"></label>
<label>${pt(lang, 'new.description')} <textarea name="description" required maxlength="20000">${v('description')}</textarea></label>
<label>${pt(lang, 'new.product')} <input name="product" maxlength="120" value="${v('product')}"></label><label>${pt(lang, 'new.version')} <input name="productVersion" maxlength="60" value="${v('productVersion')}"></label>
<label>${pt(lang, 'new.os')} <input name="os" maxlength="120" value="${v('os')}"></label><label>${pt(lang, 'new.osVersion')} <input name="osVersion" maxlength="60" value="${v('osVersion')}"></label>
<label>${pt(lang, 'new.priority')} <select name="priority">${option('1', pt(lang, 'level.critical'))}${option('2', pt(lang, 'level', { n: 2 }))}${option('3', pt(lang, 'level', { n: 3 }))}${option('4', pt(lang, 'level', { n: 4 }))}</select></label>
${fileField(lang, maxBytes)}<button type="submit">${pt(lang, 'new.submit')}</button></form>`);
}
