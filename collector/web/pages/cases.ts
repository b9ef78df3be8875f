// The console's mailbox page (/console/mail): mail that opened no case (unknown senders, floods, automatic mail) for an
// engineer to look at, each unknown sender's mail with the forms to turn it into a case or discard it (triage.ts),
// and the form to open a case for a customer who called (origin phone). Texts es/en inline.
import type { FastifyInstance } from 'fastify';
import { XpearsError } from '../../../lib/errors.js';
import { html } from '../html.js';
import { BASE, csrfField, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps } from '../context.js';
import { TriageDesk, type TriageEntry } from '../../cases/triage.js';
import { registerTriagePages, triageCell } from './triage.js';

/** Registers /console/mail and POST /console/cases (a phone case). */
export function registerCasePages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/mail`, async (req, reply) => {
    const viewer = requirePermission(req, 'view');
    const en = langOf(req) === 'en';
    const cases = deps.cases;
    const mails = (cases ? cases.store.mailsByOutcome(['triage', 'throttled', 'auto', 'refused'], 200) : []) as TriageEntry[];
    const customers = deps.registry.listCustomers();
    const desk = cases ? new TriageDesk(cases) : undefined;
    const filesOf = (m: TriageEntry) => (desk && m.outcome === 'triage' ? desk.attachments(m.messageId) : []);
    const body = html`<h2>${en ? 'Mail that opened no case' : 'Correo que no abrió casos'}</h2>
<table id="mail-triage"><thead><tr><th>${en ? 'Received' : 'Recibido'}</th><th>${en ? 'From' : 'De'}</th><th>${en ? 'Subject' : 'Asunto'}</th><th>${en ? 'Outcome' : 'Resultado'}</th><th>${en ? 'Reason' : 'Motivo'}</th><th>${en ? 'Handling' : 'Tratamiento'}</th></tr></thead>
<tbody>${mails.map((m) => html`<tr data-outcome="${m.outcome}" id="mail-${m.id}"><td>${m.receivedAt.slice(0, 16).replace('T', ' ')} UTC</td><td>${m.sender}</td><td>${m.subject}</td><td>${m.outcome}</td><td>${m.reason ?? ''}</td><td>${triageCell(viewer, m, customers, en ? 'en' : 'es', filesOf(m))}</td></tr>`)}</tbody></table>
<h2>${en ? 'Open a case for a customer (phone)' : 'Abrir un caso para un cliente (teléfono)'}</h2>
<form method="post" action="${BASE}/cases" class="block">${csrfField(viewer)}
<label>${en ? 'Customer' : 'Cliente'} <select name="customerId">${customers.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></label>
<label>${en ? 'Contact e-mail' : 'Correo del contacto'} <input type="email" name="email" required></label>
<label>${en ? 'Subject' : 'Asunto'} <input name="title" required maxlength="200"></label>
<label>${en ? 'Description' : 'Descripción'} <textarea name="description" required maxlength="20000"></textarea></label>
<label>${en ? 'Priority' : 'Prioridad'} <select name="priority"><option value="1">Nivel 1</option><option value="2">Nivel 2</option><option value="3" selected>Nivel 3</option><option value="4">Nivel 4</option></select></label>
<button type="submit">${en ? 'Open the case' : 'Abrir el caso'}</button></form>`;
    return sendHtml(reply, page(viewer, en ? 'CAS mailbox' : 'Buzón del CAS', body, { current: '/mail' }));
  });
  app.post(`${BASE}/cases`, async (req, reply) => {
    const viewer = requirePermission(req, 'ticket.act');
    if (!deps.cases) throw new XpearsError('NOT_FOUND', 'cases are not enabled');
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const customerId = b.customerId ?? '';
    const email = (b.email ?? '').trim().toLowerCase();
    const contact = deps.cases.contactOf(customerId, email);
    if (!contact) throw new XpearsError('INVALID_ARGUMENT', `${email} is not a contact of ${customerId}`);
    const priority = Number(b.priority);
    const t = deps.cases.open({ customerId, origin: 'phone', by: viewer.user.login,
      requester: { name: contact.name, email: contact.email, language: contact.language },
      title: b.title ?? '', description: b.description ?? '', priority: ([1, 2, 3, 4].includes(priority) ? priority : 3) as 1 | 2 | 3 | 4 }, deps.clock());
    return seeOther(reply, `${BASE}/tickets/${t.number}`);
  });
  registerTriagePages(app, deps);
}
