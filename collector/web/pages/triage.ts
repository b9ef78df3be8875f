// The console's way out of the CAS mailbox's triage list: an engineer turns a mail from an unknown sender into a case
// (picking the customer and the requester, or adding the sender as the customer's contact when the plan allows and
// her role may edit customers), or discards it with a reason. Both need `ticket.act`, happen once, and are audited.
// Also the cases' attachments for engineers: listed on the ticket page, downloaded under /console/attachments/<id>.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { XpearsError } from '../../../lib/errors.js';
import type { Language } from '../../../lib/people.js';
import { can } from '../../accounts/index.js';
import { TriageDesk, type TriageAttachment, type TriageEntry } from '../../cases/triage.js';
import { REFUSAL_REASONS, type RefusalReason } from '../../cases/attachments.js';
import type { Customer } from '../../registry/types.js';
import { html, type SafeHtml } from '../html.js';
import { BASE, csrfField } from '../layout.js';
import { requirePermission, seeOther, type ConsoleDeps, type Viewer } from '../context.js';

const ADD = '+sender';

/** What the triage list shows in an entry's last cell: who handled it, or the forms to handle it. */
export function triageCell(viewer: Viewer, m: TriageEntry, customers: Customer[], lang: Language, files: TriageAttachment[] = []): SafeHtml {
  const en = lang === 'en';
  if (m.outcome !== 'triage') return html``;
  // What the mail carried, so the engineer knows what the case would get (refused files are named with their reason).
  const carried = files.length ? html`<ul class="mail-files">${files.map((f) => html`<li>${f.name}${f.refused ? ` (${en ? 'refused' : 'rechazado'}: ${REFUSAL_REASONS[f.refused as RefusalReason][lang]})` : ` (${f.size} bytes)`}</li>`)}</ul>` : '';
  if (m.resolvedAt) {
    return m.resolution === 'case'
      ? html`${carried}<span class="handled">${en ? 'Case' : 'Caso'} <a href="${BASE}/tickets/${m.resolutionNote ?? ''}">${m.resolutionNote}</a> (${m.resolvedBy})</span>`
      : html`${carried}<span class="handled">${en ? 'Discarded by' : 'Descartado por'} ${m.resolvedBy}: ${m.resolutionNote}</span>`;
  }
  if (!can(viewer.user.role, 'ticket.act')) return html`${carried}`;
  const mayAdd = can(viewer.user.role, 'customer.edit');
  const requesters = customers.map((c) => html`<optgroup label="${c.name}">${c.contacts.map((k) => html`<option value="${c.id}|${k.email}">${k.name} &lt;${k.email}&gt;</option>`)}
${mayAdd ? html`<option value="${c.id}|${ADD}">${en ? `Add ${m.sender} as a contact of ${c.name}` : `Agregar ${m.sender} como contacto de ${c.name}`}</option>` : ''}</optgroup>`);
  return html`${carried}<details><summary>${en ? 'Open a case' : 'Abrir un caso'}</summary>
<form method="post" action="${BASE}/mail/${m.id}/case" class="block triage-case">${csrfField(viewer)}
<label>${en ? 'Customer and requester' : 'Cliente y solicitante'} <select name="requester" required>${requesters}</select></label>
${mayAdd ? html`<label>${en ? 'Name (when adding the sender)' : 'Nombre (si se agrega el remitente)'} <input name="name" maxlength="120"></label>` : ''}
<label>${en ? 'Priority' : 'Prioridad'} <select name="priority"><option value="1">Nivel 1</option><option value="2">Nivel 2</option><option value="3" selected>Nivel 3</option><option value="4">Nivel 4</option></select></label>
<button type="submit">${en ? 'Open the case' : 'Abrir el caso'}</button></form></details>
<details><summary>${en ? 'Discard' : 'Descartar'}</summary><form method="post" action="${BASE}/mail/${m.id}/discard" class="block triage-discard">${csrfField(viewer)}
<label>${en ? 'Reason' : 'Motivo'} <input name="reason" required maxlength="500"></label><button type="submit">${en ? 'Discard' : 'Descartar'}</button></form></details>`;
}

/** The attachments of a case on the ticket page (name, type, size, SHA-256), each downloadable by engineers. */
export function caseAttachments(deps: ConsoleDeps, ticketId: string, lang: Language): SafeHtml {
  const files = deps.cases?.store.attachments(ticketId) ?? [];
  if (files.length === 0) return html``;
  return html`<section aria-labelledby="h-files"><h2 id="h-files">${lang === 'en' ? 'Attachments' : 'Adjuntos'}</h2><ul id="attachments">${files.map((f) =>
    html`<li><a href="${BASE}/attachments/${f.id}">${f.name}</a> (${f.contentType}, ${f.size} bytes, SHA-256 ${f.sha256})</li>`)}</ul></section>`;
}

type Form = Record<string, string | undefined>;

/** Registers POST /console/mail/:id/case, POST /console/mail/:id/discard and GET /console/attachments/:id. */
export function registerTriagePages(app: FastifyInstance, deps: ConsoleDeps): void {
  const desk = (): TriageDesk => {
    if (!deps.cases) throw new XpearsError('NOT_FOUND', 'cases are not enabled');
    return new TriageDesk(deps.cases);
  };
  const entryId = (req: FastifyRequest<{ Params: { id: string } }>): number => Number.parseInt(req.params.id, 10);
  app.post<{ Params: { id: string } }>(`${BASE}/mail/:id/case`, async (req, reply) => {
    const viewer = requirePermission(req, 'ticket.act');
    const triage = desk();
    const entry = triage.entry(entryId(req));
    if (!entry) throw new XpearsError('NOT_FOUND', 'no such triage entry');
    if (entry.resolvedAt) throw new XpearsError('STATE_CONFLICT', `handled already by ${entry.resolvedBy}`);
    const b = (req.body ?? {}) as Form;
    const [customerId = '', chosen = ''] = String(b.requester ?? '').split('|');
    let email = chosen.toLowerCase();
    if (chosen === ADD) {
      // Adding a designated contact is a customer edit: the customers page's permission, the plan's limit.
      requirePermission(req, 'customer.edit');
      if (!deps.registryEditor) throw new XpearsError('NOT_FOUND', 'the registry cannot be edited here');
      const name = (b.name ?? '').trim() || entry.sender.split('@')[0]!;
      const contact = await deps.registryEditor.addContact(customerId, { name, email: entry.sender, language: 'es', products: [] });
      deps.accounts.audit(viewer.user.login, 'contact.add', customerId, `${contact.email} (from the CAS mailbox)`);
      email = contact.email.toLowerCase();
    }
    const priority = Number(b.priority);
    const t = triage.openCase(entry.id, { customerId, requesterEmail: email, by: viewer.user.login,
      priority: ([1, 2, 3, 4].includes(priority) ? priority : 3) as 1 | 2 | 3 | 4 }, deps.clock());
    deps.accounts.audit(viewer.user.login, 'mail.case', `mail:${entry.id}`, `${t.number} for ${customerId}, requester ${email}, from ${entry.sender}`);
    return seeOther(reply, `${BASE}/tickets/${t.number}`);
  });
  app.post<{ Params: { id: string } }>(`${BASE}/mail/:id/discard`, async (req, reply) => {
    const viewer = requirePermission(req, 'ticket.act');
    const reason = String(((req.body ?? {}) as Form).reason ?? '');
    const triage = desk();
    triage.discard(entryId(req), reason, viewer.user.login, deps.clock());
    const entry = triage.entry(entryId(req))!;
    deps.accounts.audit(viewer.user.login, 'mail.discard', `mail:${entry.id}`, `from ${entry.sender}: ${entry.resolutionNote}`);
    return seeOther(reply, `${BASE}/mail`);
  });
  app.get<{ Params: { id: string } }>(`${BASE}/attachments/:id`, async (req, reply) => {
    requirePermission(req, 'view');
    const a = deps.cases?.store.attachment(req.params.id);
    if (!a || !existsSync(a.path)) throw new XpearsError('NOT_FOUND', 'no such attachment');
    return reply.type(a.contentType).header('content-disposition', `attachment; filename="${a.name.replace(/[^\w.-]/g, '_')}"`).send(createReadStream(a.path));
  });
}
