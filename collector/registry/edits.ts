// The registry's edits of customers, their products and their designated contacts, as changes of the document the
// Registry read under its lock (registry.ts): each checks its input by the rules of validate.ts, then changes the
// document in place and returns what it made. No I/O here; the Registry writes the result before letting go of the lock.
import type { Plan } from '../../config/plans.js';
import type { AgentRecord, Contact, Customer, PlanId, ProductHolding } from './types.js';
import {
  checkContactLimit, checkCustomerId, checkDelivery, checkEmail, checkLanguage, checkName, checkPhone, checkPlan, checkPlanFits, checkProduct,
  checkTimezone, heldProduct, refuse,
} from './validate.js';
import type { Language } from '../../lib/people.js';

/** The document on disk. */
export interface RegistryData {
  version: 1;
  customers: Customer[];
  agents: AgentRecord[];
}

/** What a new customer needs. */
export interface NewCustomer {
  id: string;
  name: string;
  plan: PlanId;
  timezone?: string;
  language?: Language;
  products?: ProductHolding[];
  advisoryDelivery?: 'digest' | 'immediate';
}

/** The changes `setCustomer` takes: the account's fields, and a product holding to add or replace. */
export type CustomerChanges = Partial<Pick<Customer, 'name' | 'plan' | 'timezone' | 'language' | 'advisoryDelivery'>> & { product?: ProductHolding };

/** The changes `updateContact` takes; `products: []` makes a general contact (designated for no title). */
export type ContactChanges = Partial<Pick<Contact, 'name' | 'email' | 'language' | 'products'>> & { phone?: string | null };

type Plans = Readonly<Record<PlanId, Plan>>;

/** A customer, or a refusal naming the id. */
export function customerIn(data: RegistryData, id: string): Customer {
  const c = data.customers.find((k) => k.id === id);
  if (!c) throw refuse('CUSTOMER_NOT_FOUND', 'customerNotFound', `no customer has the id "${id.slice(0, 80)}"`, { id: id.slice(0, 80) });
  return c;
}

function contactIn(data: RegistryData, contactId: string): { customer: Customer; contact: Contact } {
  for (const customer of data.customers) {
    const contact = customer.contacts.find((x) => x.id === contactId);
    if (contact) return { customer, contact };
  }
  throw refuse('CONTACT_NOT_FOUND', 'contactNotFound', `no contact has the id "${contactId.slice(0, 80)}"`, { id: contactId.slice(0, 80) });
}

/** Adds a customer (its products checked, each title once). */
export function addCustomerTo(data: RegistryData, input: NewCustomer, createdAt: string): Customer {
  checkCustomerId(input.id);
  if (data.customers.some((c) => c.id === input.id)) throw refuse('CUSTOMER_EXISTS', 'customerExists', `a customer with the id "${input.id}" exists already`, { id: input.id });
  const products: ProductHolding[] = [];
  for (const p of input.products ?? []) {
    const held = checkProduct(p.vendor, p.product, p.maintenanceExpires);
    if (products.some((x) => x.product === held.product)) throw refuse('INVALID_ARGUMENT', 'productExists', `"${held.product}" is listed twice`, { title: held.product });
    products.push(held);
  }
  const customer: Customer = {
    id: input.id, name: checkName(input.name), plan: checkPlan(input.plan), timezone: checkTimezone(input.timezone ?? 'America/Argentina/Buenos_Aires'),
    products, contacts: [], advisoryDelivery: checkDelivery(input.advisoryDelivery ?? 'digest'), language: checkLanguage(input.language ?? 'es'), createdAt,
  };
  data.customers.push(customer);
  return customer;
}

/** Changes a customer's name, plan (only to one whose limits its contacts fit), zone, language or delivery, and adds
 *  or replaces a product holding. Open tickets keep the due times they were given. */
export function setCustomerIn(data: RegistryData, plans: Plans, id: string, changes: CustomerChanges): Customer {
  const c = customerIn(data, id);
  const next: Partial<Customer> = {};
  if (changes.name !== undefined) next.name = checkName(changes.name);
  if (changes.plan !== undefined) next.plan = checkPlan(changes.plan);
  if (changes.timezone !== undefined) next.timezone = checkTimezone(changes.timezone);
  if (changes.language !== undefined) next.language = checkLanguage(changes.language);
  if (changes.advisoryDelivery !== undefined) next.advisoryDelivery = checkDelivery(changes.advisoryDelivery);
  if (next.plan && next.plan !== c.plan) checkPlanFits(c, plans[next.plan]);
  const product = changes.product ? checkProduct(changes.product.vendor, changes.product.product, changes.product.maintenanceExpires) : undefined;
  Object.assign(c, next);
  if (product) {
    const i = c.products.findIndex((p) => p.product === product.product);
    if (i >= 0) c.products[i] = product; else c.products.push(product);
  }
  return c;
}

/** Adds a product holding the customer does not hold yet (refused when the title is held already). */
export function addProductTo(data: RegistryData, customerId: string, holding: ProductHolding): ProductHolding {
  const c = customerIn(data, customerId);
  const p = checkProduct(holding.vendor, holding.product, holding.maintenanceExpires);
  if (c.products.some((x) => x.product === p.product)) throw refuse('INVALID_ARGUMENT', 'productExists', `customer "${c.id}" holds "${p.product}" already`, { title: p.product });
  c.products.push(p);
  return p;
}

/** Changes the last day of maintenance of a title the customer holds. */
export function setMaintenanceIn(data: RegistryData, customerId: string, title: string, maintenanceExpires: string): ProductHolding {
  const held = heldProduct(customerIn(data, customerId), title);
  held.maintenanceExpires = checkProduct(held.vendor, held.product, maintenanceExpires).maintenanceExpires;
  return held;
}

/** Removes a title the customer holds; contacts designated for it lose that designation (one designated for nothing
 *  else becomes a general contact). Returns the ids of the contacts changed. */
export function removeProductFrom(data: RegistryData, customerId: string, title: string): string[] {
  const c = customerIn(data, customerId);
  heldProduct(c, title);
  c.products = c.products.filter((p) => p.product !== title);
  const changed = c.contacts.filter((k) => k.products.includes(title));
  for (const k of changed) k.products = k.products.filter((p) => p !== title);
  return changed.map((k) => k.id);
}

/** Adds a designated contact for the titles given (none: every title the customer holds), within the plan's limit. */
export function addContactTo(data: RegistryData, plans: Plans, customerId: string, input: Omit<Contact, 'id'>): Contact {
  const c = customerIn(data, customerId);
  const titles = input.products.length > 0 ? [...new Set(input.products)] : c.products.map((p) => p.product);
  if (titles.length === 0) {
    throw refuse('INVALID_ARGUMENT', 'noProducts', `customer "${customerId}" holds no product yet: add one with "xpears customer set ${customerId} --product …" first`, { customer: customerId });
  }
  for (const title of titles) heldProduct(c, title);
  const phone = checkPhone(input.phone);
  const contact: Contact = { name: checkName(input.name), email: checkEmail(input.email), ...(phone ? { phone } : {}), language: checkLanguage(input.language),
    products: titles, id: `${customerId}-c${nextNumber(c.contacts.map((k) => k.id))}` };
  checkContactLimit(c, plans[c.plan], [...c.contacts, contact], new Set(titles));
  c.contacts.push(contact);
  return contact;
}

/** Changes a contact's name, address, phone (null: none), language or titles, within the plan's limit per title. */
export function updateContactIn(data: RegistryData, plans: Plans, contactId: string, changes: ContactChanges): Contact {
  const { customer: c, contact } = contactIn(data, contactId);
  const next: Contact = { ...contact };
  if (changes.name !== undefined) next.name = checkName(changes.name);
  if (changes.email !== undefined) next.email = checkEmail(changes.email);
  if (changes.language !== undefined) next.language = checkLanguage(changes.language);
  if (changes.phone !== undefined) {
    const phone = changes.phone === null ? undefined : checkPhone(changes.phone);
    if (phone) next.phone = phone; else delete next.phone;
  }
  if (changes.products !== undefined) {
    next.products = [...new Set(changes.products)];
    for (const title of next.products) heldProduct(c, title);
    const grew = new Set(next.products.filter((p) => !contact.products.includes(p)));
    checkContactLimit(c, plans[c.plan], c.contacts.map((k) => (k.id === contactId ? next : k)), grew);
  }
  c.contacts[c.contacts.indexOf(contact)] = next;
  return next;
}

/** Removes a designated contact. */
export function removeContactFrom(data: RegistryData, contactId: string): void {
  const { customer } = contactIn(data, contactId);
  customer.contacts = customer.contacts.filter((x) => x.id !== contactId);
}

/** The next number after the highest one ending the ids given ("acme-c3" → 4). */
export function nextNumber(ids: string[]): number {
  let max = 0;
  for (const id of ids) {
    const m = /(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}
