// The portal's markup, in Spanish (es-AR): sign-in, the case list, a case's public timeline with the answer and close
// forms, and the new-case form of the manuals. Everything interpolated is escaped (collector/web/html.ts).
import { html, type SafeHtml } from '../html.js';
import type { CaseAttachment, CaseComment, CaseTicket } from '../../cases/store.js';

/** The portal's path. */
export const PORTAL = '/portal';

const STATES: Record<string, string> = { open: 'Abierto', acknowledged: 'En curso', resolved: 'Resuelto', closed: 'Cerrado' };

/** A whole page. */
export function portalPage(title: string, body: SafeHtml, signedIn = false): SafeHtml {
  return html`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>${title} — Portal CAS</title></head>
<body><header><strong>Xpears — Portal del CAS</strong>${signedIn ? html` · <a href="${PORTAL}/cases">Mis casos</a> · <a href="${PORTAL}/cases/new">Nuevo caso</a> · <a href="${PORTAL}/reports">Informes</a> · <a href="${PORTAL}/advisories">Avisos</a>` : ''}</header>
<main><h1>${title}</h1>${body}</main></body></html>`;
}

/** The sign-in form (an address; the link arrives by mail). */
export function signInPage(sent: boolean): SafeHtml {
  return portalPage('Ingresar', html`${sent ? html`<p role="status">Si la dirección corresponde a un contacto designado, le enviamos un enlace para ingresar. Vence en pocos minutos y sirve una sola vez.</p>` : ''}
<form method="post" action="${PORTAL}/login"><label>Correo electrónico <input type="email" name="email" required></label>
<button type="submit">Enviarme el enlace</button></form>`);
}

const csrfField = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** The contact's cases: open ones first, then the closed ones. */
export function casesPage(tickets: CaseTicket[]): SafeHtml {
  const row = (t: CaseTicket): SafeHtml => html`<tr><td><a href="${PORTAL}/cases/${t.number}">${t.number}</a></td><td>${t.title}</td>
<td>${STATES[t.state] ?? t.state}</td><td>${t.requestedPriority ? `Nivel ${t.requestedPriority}` : ''}</td><td>${t.openedAt.slice(0, 16).replace('T', ' ')} UTC</td></tr>`;
  const open = tickets.filter((t) => t.state === 'open' || t.state === 'acknowledged');
  const closed = tickets.filter((t) => t.state === 'resolved' || t.state === 'closed');
  const table = (list: CaseTicket[], id: string): SafeHtml => list.length
    ? html`<table id="${id}"><thead><tr><th>Caso</th><th>Asunto</th><th>Estado</th><th>Prioridad</th><th>Abierto</th></tr></thead><tbody>${list.map(row)}</tbody></table>`
    : html`<p>Ninguno.</p>`;
  return portalPage('Mis casos', html`<h2>Abiertos</h2>${table(open, 'open-cases')}<h2>Cerrados</h2>${table(closed, 'closed-cases')}`, true);
}

/** One case: its facts, the public timeline, and the answer, close and reopen forms. */
export function casePage(t: CaseTicket, comments: CaseComment[], csrf: string, canReopen: boolean, files: CaseAttachment[] = []): SafeHtml {
  const base = `${PORTAL}/cases/${t.number}`;
  const isOpen = t.state === 'open' || t.state === 'acknowledged';
  return portalPage(`${t.number}: ${t.title}`, html`<dl><dt>Estado</dt><dd id="state">${STATES[t.state] ?? t.state}</dd>
<dt>Producto</dt><dd>${[t.vendor, t.product, t.productVersion].filter(Boolean).join(' ')}</dd>
<dt>Sistema operativo</dt><dd>${[t.os, t.osVersion].filter(Boolean).join(' ')}</dd>
<dt>Primera respuesta antes de</dt><dd>${t.responseDueAt.slice(0, 16).replace('T', ' ')} UTC</dd></dl>
<h2>Descripción</h2><pre>${t.description}</pre>
${files.length ? html`<h2>Adjuntos</h2><ul id="attachments">${files.map((f) => html`<li><a href="${PORTAL}/attachments/${f.id}">${f.name}</a> (${f.size} bytes, SHA-256 ${f.sha256})</li>`)}</ul>` : ''}
<h2>Conversación</h2><ol id="timeline">${comments.map((c) => html`<li><p><strong>${c.authorKind === 'engineer' ? `CAS (${c.author})` : c.author}</strong> · ${c.at.slice(0, 16).replace('T', ' ')} UTC</p><pre>${c.body}</pre></li>`)}</ol>
${isOpen ? html`<form method="post" action="${base}/reply">${csrfField(csrf)}<label>Responder <textarea name="body" required maxlength="20000"></textarea></label><button type="submit">Enviar respuesta</button></form>
<form method="post" action="${base}/close">${csrfField(csrf)}<button type="submit" id="close">Cerrar el caso</button></form>` : ''}
${!isOpen && canReopen ? html`<form method="post" action="${base}/reopen">${csrfField(csrf)}<button type="submit">Reabrir el caso</button></form>` : ''}`, true);
}

/** The manuals' form for a new case. */
export function newCasePage(csrf: string): SafeHtml {
  return portalPage('Nuevo caso', html`<form method="post" action="${PORTAL}/cases">${csrfField(csrf)}
<label>Fabricante <select name="vendor"><option value="eset">ESET</option><option value="symantec">Symantec</option></select></label>
<label>Asunto <input name="title" required maxlength="200"></label>
<label>Descripción <textarea name="description" required maxlength="20000"></textarea></label>
<label>Producto <input name="product" maxlength="120"></label><label>Versión <input name="productVersion" maxlength="60"></label>
<label>Sistema operativo <input name="os" maxlength="120"></label><label>Versión del SO <input name="osVersion" maxlength="60"></label>
<label>Prioridad <select name="priority"><option value="1">Nivel 1 (crítica)</option><option value="2">Nivel 2</option><option value="3" selected>Nivel 3</option><option value="4">Nivel 4</option></select></label>
<button type="submit">Abrir el caso</button></form>`, true);
}
