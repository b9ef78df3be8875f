// Customers: plan, products (maintenance ending within 60 days marked), designated contacts within the plan's limits
// per title, agents. A lead adds or removes contacts and enrols an agent (its token shown once); the registry's
// edits re-read the file under a lock, so the console and the CLI editing at once both land.
import type { FastifyInstance } from 'fastify';
import { can } from '../../accounts/index.js';
import type { Language } from '../../notify/types.js';
import { XpearsError } from '../../../lib/errors.js';
import { html, type SafeHtml } from '../html.js';
import { t, type MessageKey } from '../i18n.js';
import { BASE, actionForm, csrfField, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps, type Viewer } from '../context.js';

function customersBody(deps: ConsoleDeps, viewer: Viewer, lang: Language): SafeHtml {
  const soon = deps.clock().getTime() + 60 * 86_400_000;
  const edit = can(viewer.user.role, 'customer.edit') && deps.registryEditor !== undefined;
  const cols: MessageKey[] = ['col.customer', 'ticket.plan', 'customers.products', 'customers.contacts', 'customers.agents'];
  return html`<table><thead><tr>${cols.map((k) => html`<th scope="col">${t(lang, k)}</th>`)}</tr></thead><tbody>
    ${deps.registry.listCustomers().map((c) => html`<tr><td>${c.name} (${c.id})</td><td>${deps.tickets.planOf(c).name}
        (${t(lang, 'customers.limit', { n: deps.tickets.planOf(c).contactsPerProduct })})</td>
      <td><ul>${c.products.map((p) => html`<li>${p.product} — ${p.maintenanceExpires}${Date.parse(`${p.maintenanceExpires}T23:59:59Z`) < soon ? html` <strong class="sla-warn">${t(lang, 'customers.expiring')}</strong>` : ''}</li>`)}</ul></td>
      <td><ul>${c.contacts.map((p) => html`<li>${p.name} — ${p.email}${p.phone ? ` — ${p.phone}` : ''} <span class="count">(${p.products.join(', ')})</span>
        ${edit ? actionForm(viewer, `${BASE}/customers/${c.id}/contacts/${p.id}/remove`, t(lang, 'customers.remove')) : ''}</li>`)}</ul>
        ${edit ? html`<form method="post" action="${BASE}/customers/${c.id}/contacts" class="block">${csrfField(viewer)}
          <label>${t(lang, 'users.name')} <input name="name" required></label><label>${t(lang, 'users.email')} <input name="email" type="email" required></label>
          <label>${t(lang, 'ticket.phone')} <input name="phone"></label>
          <label>${t(lang, 'users.language')} <select name="language"><option value="es">es</option><option value="en">en</option></select></label>
          <button type="submit">${t(lang, 'customers.addContact')}</button></form>` : ''}</td>
      <td>${deps.registry.listAgents(c.id).filter((a) => !a.revokedAt).map((a) => html`<div>${a.name} (${a.id})</div>`)}
        ${edit ? actionForm(viewer, `${BASE}/customers/${c.id}/agents`, t(lang, 'customers.enrol')) : ''}</td></tr>`)}</tbody></table>`;
}

/** GET /console/customers; POST contacts (add, remove) and agents (enrol) for leads. */
export function registerCustomerPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/customers`, async (req, reply) => {
    const viewer = requirePermission(req, 'view');
    const lang = langOf(req);
    return sendHtml(reply, page(viewer, t(lang, 'customers.title'), customersBody(deps, viewer, lang), { current: '/customers' }));
  });
  const editor = () => {
    if (!deps.registryEditor) throw new XpearsError('NOT_FOUND');
    return deps.registryEditor;
  };
  app.post<{ Params: { id: string } }>(`${BASE}/customers/:id/contacts`, async (req, reply) => {
    const viewer = requirePermission(req, 'customer.edit');
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const contact = await editor().addContact(req.params.id, { name: (b.name ?? '').trim(), email: (b.email ?? '').trim(),
      ...(b.phone?.trim() ? { phone: b.phone.trim() } : {}), language: b.language === 'en' ? 'en' : 'es', products: [] });
    deps.accounts.audit(viewer.user.login, 'contact.add', req.params.id, contact.id);
    return seeOther(reply, `${BASE}/customers`);
  });
  app.post<{ Params: { id: string; contact: string } }>(`${BASE}/customers/:id/contacts/:contact/remove`, async (req, reply) => {
    const viewer = requirePermission(req, 'customer.edit');
    await editor().removeContact(req.params.contact);
    deps.accounts.audit(viewer.user.login, 'contact.remove', req.params.id, req.params.contact);
    return seeOther(reply, `${BASE}/customers`);
  });
  app.post<{ Params: { id: string } }>(`${BASE}/customers/:id/agents`, async (req, reply) => {
    const viewer = requirePermission(req, 'customer.edit');
    const lang = langOf(req);
    const { agent, token } = await editor().enrollAgent(req.params.id);
    deps.accounts.audit(viewer.user.login, 'agent.enrol', req.params.id, agent.id);
    const body = html`<p>${t(lang, 'customers.tokenOnce')}</p><pre class="token">${token}</pre><p><a href="${BASE}/customers">${t(lang, 'common.back')}</a></p>`;
    return sendHtml(reply, page(viewer, `${t(lang, 'customers.enrol')}: ${agent.id}`, body));
  });
}
