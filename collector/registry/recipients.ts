// Who hears about what: the one rule that tickets, advisories and monthly reports use to pick a customer's
// contacts (docs/notifications.md, "Who receives what"). Pure apart from the log line a fallback writes.
//
// - A contact's titles (Contact.products) are compared with the customer's ProductHolding titles ignoring case and
//   spacing ("ESET  protect" = "ESET PROTECT" = "esetprotect").
// - Something about a vendor (a ticket, an advisory) goes to the contacts designated for a title of that vendor.
// - When none is: to the customer's general contacts (those designated for no title); when there are none either,
//   to every contact, so that an alert never goes nowhere. The fallback is logged (warn, "no designated contact").
// - The monthly report goes to every contact of the customer.
import type { Person } from '../../lib/people.js';
import type { Contact, Customer } from './types.js';

/** A person a message goes to: a customer's contact (contactId, customerId set) or a provider engineer. */
export interface Recipient extends Person {
  /** The registry contact, when the person is one. */
  contactId?: string;
  /** The customer the contact belongs to. */
  customerId?: string;
}

/** How a choice of contacts was made: by designation, or one of the two fallbacks, or nobody at all. */
export type Match = 'designated' | 'general' | 'all' | 'none';

/** Options of a choice: where a fallback is logged, and what the message is about (for that log line). */
export interface ChoiceOptions {
  /** A pino logger, or anything with its `warn(fields, message)`. */
  log?: { warn: (fields: Record<string, unknown>, message: string) => void };
  /** What is being sent ("ticket", "advisory"), logged with a fallback. */
  about?: string;
}

/** A title as compared: lower case, without any whitespace, Unicode-normalised (NFKC). */
export function normalizeTitle(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** A registry contact as a recipient of the customer. */
export function recipientOf(customer: Pick<Customer, 'id'>, contact: Contact): Recipient {
  return { name: contact.name, email: contact.email, language: contact.language, contactId: contact.id, customerId: customer.id };
}

/** The contacts chosen by the rule for a set of titles, and how they were chosen (no log). */
export function chooseContacts(customer: Customer, titles: Iterable<string>): { contacts: Contact[]; match: Match } {
  const wanted = new Set<string>();
  for (const t of titles) if (normalizeTitle(t) !== '') wanted.add(normalizeTitle(t));
  const designated = customer.contacts.filter((c) => c.products.some((p) => wanted.has(normalizeTitle(p))));
  if (designated.length > 0) return { contacts: designated, match: 'designated' };
  const general = customer.contacts.filter((c) => c.products.every((p) => normalizeTitle(p) === ''));
  if (general.length > 0) return { contacts: general, match: 'general' };
  if (customer.contacts.length > 0) return { contacts: [...customer.contacts], match: 'all' };
  return { contacts: [], match: 'none' };
}

/** The titles of a vendor the customer holds (any maintenance state), plus `productTitle` when given. */
export function vendorTitles(customer: Customer, vendor: string | null, productTitle?: string | null): string[] {
  const titles = customer.products.filter((p) => vendor !== null && p.vendor === vendor).map((p) => p.product);
  if (productTitle) titles.push(productTitle);
  return titles;
}

/** The contacts for the given titles by the rule, as recipients; a fallback is logged. */
export function contactsForTitles(customer: Customer | undefined, titles: Iterable<string>, opts: ChoiceOptions & { vendor?: string | null } = {}): Recipient[] {
  if (!customer) return [];
  const { contacts, match } = chooseContacts(customer, titles);
  noteFallback(customer, match, contacts.length, opts);
  return contacts.map((c) => recipientOf(customer, c));
}

/** Logs a choice that fell back (warn, "no designated contact"); nothing for a designated match. */
export function noteFallback(customer: Pick<Customer, 'id'>, match: Match, recipients: number, opts: ChoiceOptions & { vendor?: string | null }): void {
  if (match === 'designated') return;
  opts.log?.warn({ customerId: customer.id, vendor: opts.vendor ?? null, about: opts.about ?? null, fallback: match, recipients },
    'no designated contact');
}

/** Who hears about a vendor's product (a ticket, an advisory): the contacts designated for a title of that vendor
 *  the customer holds (or `productTitle`), else the fallback above. */
export function contactsForVendorProduct(customer: Customer | undefined, vendor: string | null, productTitle?: string | null,
  opts: ChoiceOptions = {}): Recipient[] {
  if (!customer) return [];
  return contactsForTitles(customer, vendorTitles(customer, vendor, productTitle), { ...opts, vendor });
}

/** Who receives the customer's monthly report: every contact (logged when the customer has none). */
export function contactsForReport(customer: Customer, opts: ChoiceOptions = {}): Recipient[] {
  if (customer.contacts.length === 0) {
    opts.log?.warn({ customerId: customer.id, about: opts.about ?? 'report', fallback: 'none', recipients: 0 }, 'no designated contact');
  }
  return customer.contacts.map((c) => recipientOf(customer, c));
}

/** Recipients without repeats (an engineer may also be a contact): the first mention of an address wins. */
export function uniqueRecipients(...lists: readonly (readonly Recipient[])[]): Recipient[] {
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const r of lists.flat()) {
    const key = r.email.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
