// The Customers pages' markup: the list (plan, products with maintenance ending within 60 days marked, contacts,
// agents; a lead's form for a new customer) and one customer's page (details and plan, products, designated contacts,
// agents, each with a lead's forms). Every value is escaped by html``; only leads get forms.
import { can } from '../../accounts/index.js';
import type { Language } from '../../notify/types.js';
import { PLAN_IDS, PRODUCT_VENDORS, type Contact, type Customer, type PlanId } from '../../registry/types.js';
import { TITLE_ALIASES } from '../../advisories/products.js';
import { html, type SafeHtml } from '../html.js';
import { BASE, actionForm, csrfField } from '../layout.js';
import type { ConsoleDeps, Viewer } from '../context.js';
import { ct } from './customers-messages.js';

/** What a refused form held, to show it again: the form's name and its fields. */
export interface Draft { form: string; values: Record<string, string> }

/** What the pages are drawn from. */
export interface CustomersView { deps: ConsoleDeps; viewer: Viewer; lang: Language; draft?: Draft }

/** Whether this viewer gets the forms (a lead, on a collector that can edit the registry). */
export function canEdit(v: CustomersView): boolean {
  return can(v.viewer.user.role, 'customer.edit') && v.deps.registryEditor !== undefined;
}

const planOf = (v: CustomersView, plan: PlanId) => v.deps.tickets.planOf({ plan } as Customer);
const val = (v: CustomersView, form: string, name: string, fallback = '') => (v.draft?.form === form ? v.draft.values[name] ?? fallback : fallback);

function options(values: readonly string[], selected: string, label: (value: string) => string = (x) => x): SafeHtml[] {
  return values.map((x) => html`<option value="${x}"${x === selected ? html` selected` : ''}>${label(x)}</option>`);
}

function planOptions(v: CustomersView, selected: string): SafeHtml[] {
  return options(PLAN_IDS, selected, (id) => `${planOf(v, id as PlanId).name} — ${ct(v.lang, 'limit', { n: planOf(v, id as PlanId).contactsPerProduct })}`);
}

function expiryMark(v: CustomersView, date: string): SafeHtml | '' {
  const end = Date.parse(`${date}T23:59:59Z`);
  const now = v.deps.clock().getTime();
  if (end < now) return html` <strong class="sla-missed">${ct(v.lang, 'expired')}</strong>`;
  return end < now + 60 * 86_400_000 ? html` <strong class="sla-warn">${ct(v.lang, 'expiring')}</strong>` : '';
}

function newCustomerForm(v: CustomersView): SafeHtml {
  const f = 'customer';
  return html`<h2 id="new-customer">${ct(v.lang, 'newCustomer')}</h2><form method="post" action="${BASE}/customers" class="block" aria-labelledby="new-customer">${csrfField(v.viewer)}
    <label>${ct(v.lang, 'id')} <span class="count">(${ct(v.lang, 'idHint')})</span> <input name="id" required maxlength="64" value="${val(v, f, 'id')}"></label>
    <label>${ct(v.lang, 'name')} <input name="name" required maxlength="200" value="${val(v, f, 'name')}"></label>
    <label>${ct(v.lang, 'plan')} <select name="plan">${planOptions(v, val(v, f, 'plan', 'basic'))}</select></label>
    <label>${ct(v.lang, 'language')} <select name="language">${options(['es', 'en'], val(v, f, 'language', 'es'))}</select></label>
    <label>${ct(v.lang, 'zone')} <input name="timezone" value="${val(v, f, 'timezone', 'America/Argentina/Buenos_Aires')}"></label>
    <button type="submit">${ct(v.lang, 'create')}</button></form>`;
}

/** The list of customers, and a lead's form for a new one. */
export function customersListBody(v: CustomersView): SafeHtml {
  const customers = v.deps.registry.listCustomers();
  const cols = [ct(v.lang, 'customer'), ct(v.lang, 'plan'), ct(v.lang, 'products'), ct(v.lang, 'contacts'), ct(v.lang, 'agents')];
  const rows = customers.map((c) => html`<tr><td><a href="${BASE}/customers/${c.id}">${c.name}</a> <span class="count">(${c.id})</span></td>
    <td>${planOf(v, c.plan).name} <span class="count">(${ct(v.lang, 'limit', { n: planOf(v, c.plan).contactsPerProduct })})</span></td>
    <td><ul>${c.products.map((p) => html`<li>${p.product} — ${p.maintenanceExpires}${expiryMark(v, p.maintenanceExpires)}</li>`)}</ul></td>
    <td><ul>${c.contacts.map((k) => html`<li>${k.name} — ${k.email}${k.phone ? ` — ${k.phone}` : ''} <span class="count">(${k.products.join(', ') || ct(v.lang, 'general')})</span></li>`)}</ul></td>
    <td>${v.deps.registry.listAgents(c.id).filter((a) => !a.revokedAt).map((a) => html`<div>${a.name} (${a.id})</div>`)}</td></tr>`);
  return html`${canEdit(v) ? '' : html`<p class="count">${ct(v.lang, 'readOnly')}</p>`}
    ${customers.length === 0 ? html`<p>${ct(v.lang, 'noCustomers')}</p>` : html`<table><thead><tr>${cols.map((k) => html`<th scope="col">${k}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`}
    ${canEdit(v) ? newCustomerForm(v) : ''}`;
}

function settingsSection(v: CustomersView, c: Customer): SafeHtml {
  const plan = planOf(v, c.plan);
  const facts = html`<dl class="facts"><dt>${ct(v.lang, 'id')}</dt><dd>${c.id}</dd><dt>${ct(v.lang, 'plan')}</dt><dd>${plan.name} (${ct(v.lang, 'limit', { n: plan.contactsPerProduct })})</dd>
    <dt>${ct(v.lang, 'language')}</dt><dd>${c.language}</dd><dt>${ct(v.lang, 'zone')}</dt><dd>${c.timezone}</dd>
    <dt>${ct(v.lang, 'delivery')}</dt><dd>${ct(v.lang, c.advisoryDelivery)}</dd></dl>`;
  if (!canEdit(v)) return html`<h2>${ct(v.lang, 'settings')}</h2>${facts}`;
  return html`<h2 id="settings">${ct(v.lang, 'settings')}</h2>${facts}
    <form method="post" action="${BASE}/customers/${c.id}/settings" class="block" aria-labelledby="settings">${csrfField(v.viewer)}
    <label>${ct(v.lang, 'name')} <input name="name" required maxlength="200" value="${c.name}"></label>
    <label>${ct(v.lang, 'plan')} <select name="plan">${planOptions(v, c.plan)}</select></label>
    <label>${ct(v.lang, 'language')} <select name="language">${options(['es', 'en'], c.language)}</select></label>
    <label>${ct(v.lang, 'zone')} <input name="timezone" value="${c.timezone}"></label>
    <label>${ct(v.lang, 'delivery')} <select name="advisoryDelivery">${options(['digest', 'immediate'], c.advisoryDelivery, (x) => ct(v.lang, x as 'digest'))}</select></label>
    <p class="count">${ct(v.lang, 'planNote')}</p><button type="submit">${ct(v.lang, 'save')}</button></form>`;
}

function productsSection(v: CustomersView, c: Customer): SafeHtml {
  const edit = canEdit(v);
  const hidden = (title: string) => html`<input type="hidden" name="title" value="${title}">`;
  const rows = c.products.map((p) => html`<tr><td>${p.product}</td><td>${p.vendor}</td><td>${p.maintenanceExpires}${expiryMark(v, p.maintenanceExpires)}</td>
    ${edit ? html`<td>${actionForm(v.viewer, `${BASE}/customers/${c.id}/products/maintenance`, ct(v.lang, 'setMaintenance'),
      html`${hidden(p.product)}<label>${ct(v.lang, 'maintenance')}: ${p.product} <input type="date" name="maintenanceExpires" required value="${p.maintenanceExpires}"></label>`)}
      ${actionForm(v.viewer, `${BASE}/customers/${c.id}/products/remove`, ct(v.lang, 'removeProduct'), hidden(p.product))}</td>` : ''}</tr>`);
  const f = 'product';
  const add = edit ? html`<h3 id="add-product">${ct(v.lang, 'addProduct')}</h3><form method="post" action="${BASE}/customers/${c.id}/products" class="block" aria-labelledby="add-product">${csrfField(v.viewer)}
    <label>${ct(v.lang, 'vendor')} <select name="vendor">${options(PRODUCT_VENDORS, val(v, f, 'vendor', 'eset'))}</select></label>
    <label>${ct(v.lang, 'productTitle')} <input name="title" list="known-titles" required maxlength="200" value="${val(v, f, 'title')}"></label>
    <datalist id="known-titles">${Object.keys(TITLE_ALIASES).map((title) => html`<option value="${title}">`)}</datalist>
    <label>${ct(v.lang, 'maintenance')} <input type="date" name="maintenanceExpires" required value="${val(v, f, 'maintenanceExpires')}"></label>
    <p class="count">${ct(v.lang, 'productNote')}</p><button type="submit">${ct(v.lang, 'add')}</button></form>` : '';
  return html`<h2>${ct(v.lang, 'products')}</h2>${c.products.length === 0 ? html`<p>${ct(v.lang, 'none')}</p>`
    : html`<table><thead><tr><th scope="col">${ct(v.lang, 'productTitle')}</th><th scope="col">${ct(v.lang, 'vendor')}</th><th scope="col">${ct(v.lang, 'maintenance')}</th>${edit ? html`<th scope="col"></th>` : ''}</tr></thead>
    <tbody>${rows}</tbody></table>`}${add}`;
}

/** The fields of a contact's form (new: `contact`, or an existing one's id), filled from a draft or the contact. */
function contactFields(v: CustomersView, c: Customer, form: string, k?: Contact): SafeHtml {
  const pick = (name: string, current: string) => val(v, form, name, current);
  const ticked = (title: string) => (v.draft?.form === form ? (v.draft.values.products ?? '').split('\n').includes(title) : k ? k.products.includes(title) : true);
  return html`<label>${ct(v.lang, 'name')} <input name="name" required maxlength="200" value="${pick('name', k?.name ?? '')}"></label>
    <label>${ct(v.lang, 'email')} <input name="email" type="email" required value="${pick('email', k?.email ?? '')}"></label>
    <label>${ct(v.lang, 'phone')} <input name="phone" type="tel" value="${pick('phone', k?.phone ?? '')}"></label>
    <label>${ct(v.lang, 'language')} <select name="language">${options(['es', 'en'], pick('language', k?.language ?? 'es'))}</select></label>
    <fieldset><legend>${ct(v.lang, 'designated')}</legend>${c.products.map((p) => html`<label><input type="checkbox" name="product" value="${p.product}"${ticked(p.product) ? html` checked` : ''}> ${p.product}</label>`)}</fieldset>`;
}

function contactsSection(v: CustomersView, c: Customer): SafeHtml {
  const edit = canEdit(v);
  const rows = c.contacts.map((k) => html`<tr><td>${k.name} <span class="count">(${k.id})</span></td><td>${k.email}</td><td>${k.phone ?? ''}</td><td>${k.language}</td>
    <td>${k.products.join(', ') || ct(v.lang, 'general')}</td>${edit ? html`<td><details${v.draft?.form === k.id ? html` open` : ''}><summary>${ct(v.lang, 'edit')}: ${k.name}</summary>
      <form method="post" action="${BASE}/customers/${c.id}/contacts/${k.id}" class="block">${csrfField(v.viewer)}${contactFields(v, c, k.id, k)}
      <button type="submit">${ct(v.lang, 'editContact')}</button></form></details>
      ${actionForm(v.viewer, `${BASE}/customers/${c.id}/contacts/${k.id}/remove`, ct(v.lang, 'removeContact'))}</td>` : ''}</tr>`);
  const add = edit ? html`<h3 id="add-contact">${ct(v.lang, 'addContact')}</h3><form method="post" action="${BASE}/customers/${c.id}/contacts" class="block" aria-labelledby="add-contact">${csrfField(v.viewer)}
    ${contactFields(v, c, 'contact')}<p class="count">${ct(v.lang, 'contactNote')}</p><button type="submit">${ct(v.lang, 'addContact')}</button></form>` : '';
  const head = [ct(v.lang, 'name'), ct(v.lang, 'email'), ct(v.lang, 'phone'), ct(v.lang, 'language'), ct(v.lang, 'designated')];
  return html`<h2>${ct(v.lang, 'contacts')} <span class="count">(${ct(v.lang, 'limit', { n: planOf(v, c.plan).contactsPerProduct })})</span></h2>
    ${c.contacts.length === 0 ? html`<p>${ct(v.lang, 'none')}</p>` : html`<table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}${edit ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`}${add}`;
}

function agentsSection(v: CustomersView, c: Customer): SafeHtml {
  const edit = canEdit(v);
  const rows = v.deps.registry.listAgents(c.id).map((a) => html`<tr><td>${a.id}</td><td>${a.name}</td><td>${a.enrolledAt}</td>
    <td>${a.revokedAt ? ct(v.lang, 'revoked', { at: a.revokedAt }) : ct(v.lang, 'active')}</td>
    ${edit ? html`<td>${a.revokedAt ? '' : actionForm(v.viewer, `${BASE}/customers/${c.id}/agents/${a.id}/revoke`, `${ct(v.lang, 'revoke')} ${a.id}`)}</td>` : ''}</tr>`);
  return html`<h2>${ct(v.lang, 'agents')}</h2>${rows.length === 0 ? html`<p>${ct(v.lang, 'none')}</p>` : html`<table><thead><tr><th scope="col">${ct(v.lang, 'id')}</th><th scope="col">${ct(v.lang, 'name')}</th>
    <th scope="col">${ct(v.lang, 'enrolled')}</th><th scope="col"></th>${edit ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`}
    ${edit ? actionForm(v.viewer, `${BASE}/customers/${c.id}/agents`, ct(v.lang, 'enrol')) : ''}`;
}

/** One customer's page: details and plan, products, designated contacts, agents. */
export function customerBody(v: CustomersView, c: Customer): SafeHtml {
  return html`<p><a href="${BASE}/customers">${ct(v.lang, 'back')}</a></p>${canEdit(v) ? '' : html`<p class="count">${ct(v.lang, 'readOnly')}</p>`}
    ${settingsSection(v, c)}${productsSection(v, c)}${contactsSection(v, c)}${agentsSection(v, c)}`;
}
