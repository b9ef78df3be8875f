// Customers (docs/console.md): the list and one customer's page for everyone; a lead creates a customer, changes its
// details and plan, adds and removes products and changes their maintenance end, adds, edits and removes designated
// contacts within the plan's limit per title, enrols and revokes agents. Every edit goes through the registry's own
// editor (collector/registry: re-read under the lock file, the same rules as the CLI), is audited with the lead's
// login, and a refusal is shown on the page in the lead's language (never a 500).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { XpearsError } from '../../../lib/errors.js';
import type { Customer, PlanId, ProductVendor } from '../../registry/types.js';
import type { Language } from '../../notify/types.js';
import { refusalOf, refuse } from '../../registry/validate.js';
import { html } from '../html.js';
import { BASE, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps, type Viewer } from '../context.js';
import { customerBody, customersListBody, type Draft } from './customers-view.js';
import { ct, refusalText, type CustomersKey } from './customers-messages.js';

type Form = Record<string, unknown>;
type Flash = { kind: 'ok' | 'error'; text: string };
type Editor = NonNullable<ConsoleDeps['registryEditor']>;

const str = (b: Form, name: string): string => {
  const v = Array.isArray(b[name]) ? (b[name] as unknown[])[0] : b[name];
  return typeof v === 'string' ? v.trim() : '';
};
/** A field the form sent (trimmed), or undefined when it did not send it (the value is left as it is). */
const opt = (b: Form, name: string): string | undefined => (b[name] === undefined ? undefined : str(b, name));
const list = (b: Form, name: string): string[] => (Array.isArray(b[name]) ? (b[name] as unknown[]) : b[name] === undefined ? [] : [b[name]]).map(String);
const DONE = /^(customer|settings|product|maintenance|productRemoved|contact|contactUpdated|contactRemoved|revoked)$/;

async function fresh(deps: ConsoleDeps): Promise<void> {
  await deps.registryEditor?.refreshIfChanged(true);
}

async function showList(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, flash?: Flash, draft?: Draft, status = 200): Promise<FastifyReply> {
  const viewer = requirePermission(req, 'view');
  const lang = langOf(req);
  await fresh(deps);
  const body = customersListBody({ deps, viewer, lang, ...(draft ? { draft } : {}) });
  return sendHtml(reply, page(viewer, ct(lang, 'title'), body, { current: '/customers', ...(flash ? { flash } : {}) }), status);
}

async function showCustomer(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, id: string, flash?: Flash, draft?: Draft, status = 200): Promise<FastifyReply> {
  const viewer = requirePermission(req, 'view');
  const lang = langOf(req);
  await fresh(deps);
  const c = deps.registry.getCustomer(id);
  if (!c) return showList(req, reply, deps, { kind: 'error', text: refusalText(lang, { reason: 'customerNotFound', params: { id: id.slice(0, 80) } }) }, undefined, 404);
  const body = customerBody({ deps, viewer, lang, ...(draft ? { draft } : {}) }, c);
  return sendHtml(reply, page(viewer, `${ct(lang, 'customer')}: ${c.name}`, body, { current: '/customers', ...(flash ? { flash } : {}) }), status);
}

/** One lead's edit through the registry's editor, audited as `action`; a refusal shows the page again with the reason
 *  in the lead's language and the form as it was sent. `edit` returns the audit's target and detail. */
async function attempt(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, at: { customerId?: string; draft?: Draft; action: string; done: CustomersKey },
  edit: (editor: Editor, viewer: Viewer) => Promise<{ target: string; detail?: string }>): Promise<FastifyReply> {
  const viewer = requirePermission(req, 'customer.edit');
  if (!deps.registryEditor) throw new XpearsError('NOT_FOUND');
  let audited: { target: string; detail?: string };
  try {
    audited = await edit(deps.registryEditor, viewer);
  } catch (err) {
    const refusal = refusalOf(err);
    if (!refusal) throw err;
    const flash: Flash = { kind: 'error', text: refusalText(langOf(req), refusal) };
    const status = (err as XpearsError).status;
    return at.customerId ? showCustomer(req, reply, deps, at.customerId, flash, at.draft, status) : showList(req, reply, deps, flash, at.draft, status);
  }
  deps.accounts.audit(viewer.user.login, at.action, audited.target, audited.detail ?? null);
  const id = at.customerId ?? audited.target;
  return seeOther(reply, `${BASE}/customers/${encodeURIComponent(id)}?done=${at.done.slice('done.'.length)}`);
}

function registerCustomerEdits(app: FastifyInstance, deps: ConsoleDeps): void {
  type P = { Params: { id: string } };
  app.post(`${BASE}/customers`, async (req, reply) => {
    const b = (req.body ?? {}) as Form;
    const values = { id: str(b, 'id'), name: str(b, 'name'), plan: str(b, 'plan'), language: str(b, 'language'), timezone: str(b, 'timezone') };
    return attempt(req, reply, deps, { draft: { form: 'customer', values }, action: 'customer.add', done: 'done.customer' }, async (e) => {
      const c = await e.addCustomer({ id: values.id, name: values.name, plan: values.plan as PlanId, language: (values.language || 'es') as Language, ...(values.timezone ? { timezone: values.timezone } : {}) });
      return { target: c.id, detail: `plan ${c.plan}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/settings`, async (req, reply) => {
    const b = (req.body ?? {}) as Form;
    const id = req.params.id;
    return attempt(req, reply, deps, { customerId: id, action: 'customer.set', done: 'done.settings' }, async (e) => {
      const before = deps.registry.getCustomer(id)?.plan;
      const c = await e.setCustomer(id, { name: opt(b, 'name'), plan: opt(b, 'plan') as PlanId | undefined, language: opt(b, 'language') as Language | undefined,
        timezone: opt(b, 'timezone'), advisoryDelivery: opt(b, 'advisoryDelivery') as Customer['advisoryDelivery'] | undefined });
      return { target: id, detail: before && before !== c.plan ? `plan ${before} -> ${c.plan}` : `plan ${c.plan}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/products`, async (req, reply) => {
    const b = (req.body ?? {}) as Form;
    const values = { vendor: str(b, 'vendor'), title: str(b, 'title'), maintenanceExpires: str(b, 'maintenanceExpires') };
    return attempt(req, reply, deps, { customerId: req.params.id, draft: { form: 'product', values }, action: 'product.add', done: 'done.product' }, async (e) => {
      const p = await e.addProduct(req.params.id, { vendor: values.vendor as ProductVendor, product: values.title, maintenanceExpires: values.maintenanceExpires });
      return { target: req.params.id, detail: `${p.product} until ${p.maintenanceExpires}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/products/maintenance`, async (req, reply) => {
    const b = (req.body ?? {}) as Form;
    return attempt(req, reply, deps, { customerId: req.params.id, action: 'product.maintenance', done: 'done.maintenance' }, async (e) => {
      const p = await e.setMaintenance(req.params.id, str(b, 'title'), str(b, 'maintenanceExpires'));
      return { target: req.params.id, detail: `${p.product} until ${p.maintenanceExpires}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/products/remove`, async (req, reply) => {
    const title = str((req.body ?? {}) as Form, 'title');
    return attempt(req, reply, deps, { customerId: req.params.id, action: 'product.remove', done: 'done.productRemoved' }, async (e) => {
      const changed = await e.removeProduct(req.params.id, title);
      return { target: req.params.id, detail: `${title}${changed.length ? `; designations removed from ${changed.join(', ')}` : ''}` };
    });
  });
}

function contactValues(b: Form): Record<string, string> {
  return { name: str(b, 'name'), email: str(b, 'email'), phone: str(b, 'phone'), language: str(b, 'language') || 'es', products: list(b, 'product').join('\n') };
}

/** The contact, when it is one of this customer's (the ids are the customer's, but a form could name another's). */
function checkContactOf(deps: ConsoleDeps, customerId: string, contactId: string): void {
  if (!deps.registry.getCustomer(customerId)?.contacts.some((k) => k.id === contactId)) {
    throw refuse('CONTACT_NOT_FOUND', 'contactNotFound', `customer "${customerId}" has no contact "${contactId}"`, { id: contactId.slice(0, 80) });
  }
}

function registerContactAndAgentEdits(app: FastifyInstance, deps: ConsoleDeps): void {
  type P = { Params: { id: string; contact: string } };
  app.post<P>(`${BASE}/customers/:id/contacts`, async (req, reply) => {
    const values = contactValues((req.body ?? {}) as Form);
    return attempt(req, reply, deps, { customerId: req.params.id, draft: { form: 'contact', values }, action: 'contact.add', done: 'done.contact' }, async (e) => {
      const k = await e.addContact(req.params.id, { name: values.name!, email: values.email!, ...(values.phone ? { phone: values.phone } : {}),
        language: values.language as Language, products: values.products ? values.products.split('\n') : [] });
      return { target: req.params.id, detail: `${k.id} for ${k.products.join(', ')}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/contacts/:contact`, async (req, reply) => {
    const values = contactValues((req.body ?? {}) as Form);
    const { id, contact } = req.params;
    return attempt(req, reply, deps, { customerId: id, draft: { form: contact, values }, action: 'contact.update', done: 'done.contactUpdated' }, async (e) => {
      await fresh(deps);
      checkContactOf(deps, id, contact);
      const k = await e.updateContact(contact, { name: values.name!, email: values.email!, phone: values.phone || null, language: values.language as Language,
        products: values.products ? values.products.split('\n') : [] });
      return { target: id, detail: `${k.id} for ${k.products.join(', ') || 'no title (general)'}` };
    });
  });
  app.post<P>(`${BASE}/customers/:id/contacts/:contact/remove`, async (req, reply) => {
    const { id, contact } = req.params;
    return attempt(req, reply, deps, { customerId: id, action: 'contact.remove', done: 'done.contactRemoved' }, async (e) => {
      await fresh(deps);
      checkContactOf(deps, id, contact);
      await e.removeContact(contact);
      return { target: id, detail: contact };
    });
  });
  app.post<{ Params: { id: string; agent: string } }>(`${BASE}/customers/:id/agents/:agent/revoke`, async (req, reply) => {
    const { id, agent } = req.params;
    return attempt(req, reply, deps, { customerId: id, action: 'agent.revoke', done: 'done.revoked' }, async (e) => {
      const a = await e.revokeAgent(agent, id);
      return { target: id, detail: a.id };
    });
  });
  app.post<{ Params: { id: string } }>(`${BASE}/customers/:id/agents`, async (req, reply) => {
    const viewer = requirePermission(req, 'customer.edit');
    const lang = langOf(req);
    if (!deps.registryEditor) throw new XpearsError('NOT_FOUND');
    let enrolled;
    try {
      enrolled = await deps.registryEditor.enrollAgent(req.params.id);
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      return showCustomer(req, reply, deps, req.params.id, { kind: 'error', text: refusalText(lang, refusal) }, undefined, (err as XpearsError).status);
    }
    deps.accounts.audit(viewer.user.login, 'agent.enrol', req.params.id, enrolled.agent.id);
    const body = html`<p>${ct(lang, 'tokenOnce')}</p><pre class="token">${enrolled.token}</pre><p><a href="${BASE}/customers/${req.params.id}">${ct(lang, 'back')}</a></p>`;
    return sendHtml(reply, page(viewer, `${ct(lang, 'enrol')}: ${enrolled.agent.id}`, body));
  });
}

/** GET /console/customers and /console/customers/:id for everyone; the POST edits for leads. */
export function registerCustomerPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/customers`, async (req, reply) => showList(req, reply, deps));
  app.get<{ Params: { id: string }; Querystring: { done?: string } }>(`${BASE}/customers/:id`, async (req, reply) => {
    const done = typeof req.query.done === 'string' && DONE.test(req.query.done) ? req.query.done : undefined;
    return showCustomer(req, reply, deps, req.params.id, done ? { kind: 'ok', text: ct(langOf(req), `done.${done}` as CustomersKey) } : undefined);
  });
  registerCustomerEdits(app, deps);
  registerContactAndAgentEdits(app, deps);
}
