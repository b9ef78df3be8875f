// Who an advisory goes to, and when. Pure: the registry's customers and the instant come in, recipients go out.
// A customer qualifies by holding, with maintenance in force on its local date, a title of the advisory's vendor that
// the advisory concerns: one whose product families (products.ts, the alias table) include a family the advisory
// names, or any title of the vendor for a vendor-wide notice (no family named). Its contacts for those titles are
// chosen by the registry's one rule (collector/registry/recipients.ts).
import { DateTime } from 'luxon';
import { chooseContacts, noteFallback, type ChoiceOptions } from '../registry/recipients.js';
import type { Contact, Customer, ProductVendor } from '../registry/types.js';
import { titleConcerned } from './products.js';
import type { Advisory, Recipient, RiskLevel } from './types.js';

const DEFAULT_ZONE = 'America/Argentina/Buenos_Aires';

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone: zone || DEFAULT_ZONE });
  return (dt.isValid ? dt : DateTime.fromJSDate(at, { zone: DEFAULT_ZONE })).toISODate() ?? at.toISOString().slice(0, 10);
}

/** The titles of a vendor the customer holds with maintenance in force on its local date at `now`. */
export function titlesInForce(customer: Customer, vendor: ProductVendor, now: Date): string[] {
  const today = localDate(now, customer.timezone);
  return customer.products.filter((p) => p.vendor === vendor && p.maintenanceExpires >= today).map((p) => p.product);
}

/** The contacts for the titles by the registry's one rule (collector/registry/recipients.ts): those designated for
 *  any of them; else the general contacts (no titles); else every contact. Titles compared ignoring case and spacing. */
export function designatedContacts(customer: Customer, titles: readonly string[], log?: ChoiceOptions['log'], vendor?: string): Contact[] {
  const { contacts, match } = chooseContacts(customer, titles);
  noteFallback(customer, match, contacts.length, { about: 'advisory', vendor: vendor ?? null, ...(log ? { log } : {}) });
  return contacts;
}

/** Critical and high go at once; the rest too when the customer asked for immediate delivery, else to the digest. */
export function deliveryModeOf(customer: Customer, risk: RiskLevel): Recipient['mode'] {
  if (risk === 'critical' || risk === 'high') return 'immediate';
  return customer.advisoryDelivery === 'immediate' ? 'immediate' : 'digest';
}

/** The customers an advisory of a vendor concerns at `now`, each with the contacts it goes to. */
export interface Audience {
  customer: Customer;
  contacts: Contact[];
}

/** The titles in force of an advisory's vendor that it concerns (its families; none named: every title). */
export function titlesConcerned(customer: Customer, vendor: ProductVendor, families: readonly string[], now: Date): string[] {
  return titlesInForce(customer, vendor, now).filter((t) => titleConcerned(t, families));
}

/** Who holds the vendor's products (of the families, when given) in force at `now`, and their contacts for them. */
export function audienceOf(vendor: ProductVendor, customers: readonly Customer[], now: Date, families: readonly string[] = []): Audience[] {
  const out: Audience[] = [];
  for (const customer of customers) {
    const titles = titlesConcerned(customer, vendor, families, now);
    if (titles.length > 0) out.push({ customer, contacts: designatedContacts(customer, titles) });
  }
  return out;
}

/** Every person an advisory of this vendor and risk reaches at `now`, one entry per customer × contact. */
export function recipientsOf(vendor: ProductVendor, risk: RiskLevel, customers: readonly Customer[], now: Date,
  audience: readonly Audience[] = audienceOf(vendor, customers, now)): Recipient[] {
  const out: Recipient[] = [];
  for (const { customer, contacts } of audience) {
    const mode = deliveryModeOf(customer, risk);
    for (const contact of contacts) {
      out.push({
        customerId: customer.id, customerName: customer.name, contactId: contact.id, name: contact.name,
        email: contact.email, language: contact.language, mode,
      });
    }
  }
  return out;
}

/** Each contact of the customer who receives advisories of some of the vendors given at `now`, with those vendors
 *  (in the order given), in the customer's order of contacts. */
export function contactsByVendors(customer: Customer, vendors: readonly ProductVendor[], now: Date): { contact: Contact; vendors: ProductVendor[] }[] {
  const of = new Map<Contact, ProductVendor[]>();
  for (const vendor of vendors) {
    const titles = titlesInForce(customer, vendor, now);
    if (titles.length === 0) continue;
    for (const contact of designatedContacts(customer, titles)) {
      const list = of.get(contact);
      if (list) list.push(vendor);
      else of.set(contact, [vendor]);
    }
  }
  return customer.contacts.flatMap((contact) => {
    const list = of.get(contact);
    return list ? [{ contact, vendors: list }] : [];
  });
}

/** Each contact of the customer who receives some of the advisories at `now`, with those advisories (in the order
 *  given), in the customer's order of contacts. */
export function contactsForAdvisories<A extends Pick<Advisory, 'vendor' | 'families'>>(customer: Customer, advisories: readonly A[],
  now: Date, log?: ChoiceOptions['log']): { contact: Contact; advisories: A[] }[] {
  const of = new Map<Contact, A[]>();
  const memo = new Map<string, Contact[]>();
  for (const a of advisories) {
    const key = `${a.vendor}|${a.families.join(',')}`;
    let contacts = memo.get(key);
    if (!contacts) {
      const titles = titlesConcerned(customer, a.vendor, a.families, now);
      memo.set(key, contacts = titles.length > 0 ? designatedContacts(customer, titles, log, a.vendor) : []);
    }
    for (const contact of contacts) {
      const list = of.get(contact);
      if (list) list.push(a);
      else of.set(contact, [a]);
    }
  }
  return customer.contacts.flatMap((contact) => {
    const list = of.get(contact);
    return list ? [{ contact, advisories: list }] : [];
  });
}

/** Who an advisory reaches at `now` and how (for reporting a pass): one list per vendor, families and urgency,
 *  computed once and shared (read-only). */
export function recipientListsAt(customers: readonly Customer[], now: Date): (advisory: Advisory) => Recipient[] {
  const audiences = new Map<string, Audience[]>();
  const lists = new Map<string, Recipient[]>();
  return (advisory) => {
    const scope = `${advisory.vendor}|${advisory.families.join(',')}`;
    const key = `${scope}:${advisory.risk === 'critical' || advisory.risk === 'high' ? 'urgent' : 'routine'}`;
    let recipients = lists.get(key);
    if (!recipients) {
      let audience = audiences.get(scope);
      if (!audience) audiences.set(scope, audience = audienceOf(advisory.vendor, customers, now, advisory.families));
      lists.set(key, recipients = recipientsOf(advisory.vendor, advisory.risk, customers, now, audience));
    }
    return recipients;
  };
}

/** The date of the digest an item seen at `at` belongs to: today's if today's digest hour is still ahead, else tomorrow's. */
export function digestDateFor(at: Date, digest: { hour: number; zone: string }): string {
  const local = DateTime.fromJSDate(at, { zone: digest.zone });
  return (local.hour < digest.hour ? local : local.plus({ days: 1 })).toISODate() ?? localDate(at, digest.zone);
}

/** The latest digest date whose hour has come at `now`: digests up to this date are due. */
export function dueDigestDate(now: Date, digest: { hour: number; zone: string }): string {
  const local = DateTime.fromJSDate(now, { zone: digest.zone });
  return (local.hour >= digest.hour ? local : local.minus({ days: 1 })).toISODate() ?? localDate(now, digest.zone);
}
