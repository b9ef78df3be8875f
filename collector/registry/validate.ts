// The registry's rules, in one place for every editor (the CLI's `customer`/`contact` commands and the console's
// Customers page): each refusal is an XpearsError whose message is English (the CLI prints it) and whose details name
// the rule and its figures ({ reason, params }), so the console can say the same in the reader's language.
import { IANAZone } from 'luxon';
import { XpearsError, type ErrorCode } from '../../lib/errors.js';
import type { Plan } from '../../config/plans.js';
import { PLAN_IDS, PRODUCT_VENDORS, type Contact, type Customer, type PlanId, type ProductHolding, type ProductVendor } from './types.js';

/** Which rule refused an edit; the console has a sentence for each (collector/web/pages/customers-messages.ts). */
export type RefusalReason =
  | 'customerId' | 'customerExists' | 'customerNotFound' | 'name' | 'plan' | 'language' | 'timezone' | 'vendor' | 'title'
  | 'date' | 'productSpec' | 'productExists' | 'productNotHeld' | 'noProducts' | 'email' | 'phone' | 'contactLimit'
  | 'planLimit' | 'contactNotFound' | 'agentNotFound' | 'locked' | 'delivery';

/** The details of a refusal: the rule and the figures its sentence names. */
export interface Refusal { reason: RefusalReason; params: Record<string, string | number> }

/** A refusal as an error: the code (HTTP status, CLI exit) and English message, with its details. */
export function refuse(code: ErrorCode, reason: RefusalReason, message: string, params: Record<string, string | number> = {}): XpearsError {
  return new XpearsError(code, message, { reason, params } satisfies Refusal);
}

/** The refusal an error carries, when a registry rule raised it. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof XpearsError)) return undefined;
  const d = err.details as Partial<Refusal> | undefined;
  return d && typeof d.reason === 'string' && typeof d.params === 'object' ? (d as Refusal) : undefined;
}

const CUSTOMER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MAX_TEXT = 200;

/** A customer id: lowercase letters, digits and dashes, up to 64. */
export function checkCustomerId(id: string): string {
  if (!CUSTOMER_ID.test(id)) throw refuse('INVALID_ARGUMENT', 'customerId', `customer id "${id.slice(0, 80)}": use lowercase letters, digits and dashes (up to 64)`, { id: id.slice(0, 80) });
  return id;
}

/** A person's or customer's name: not empty, at most 200 characters; returned trimmed. */
export function checkName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > MAX_TEXT) throw refuse('INVALID_ARGUMENT', 'name', `a name must have 1 to ${MAX_TEXT} characters`, { max: MAX_TEXT });
  return n;
}

/** One of the plans sold (config/plans.ts). */
export function checkPlan(value: string): PlanId {
  if (!(PLAN_IDS as readonly string[]).includes(value)) {
    throw refuse('INVALID_ARGUMENT', 'plan', `unknown plan "${value.slice(0, 40)}"; plans: ${PLAN_IDS.join(', ')}`, { plan: value.slice(0, 40), plans: PLAN_IDS.join(', ') });
  }
  return value as PlanId;
}

/** "es" or "en". */
export function checkLanguage(value: string): 'es' | 'en' {
  if (value !== 'es' && value !== 'en') throw refuse('INVALID_ARGUMENT', 'language', `language "${value.slice(0, 20)}": use es or en`, { language: value.slice(0, 20) });
  return value;
}

/** How low-risk advisories reach the customer: "digest" or "immediate". */
export function checkDelivery(value: string): 'digest' | 'immediate' {
  if (value !== 'digest' && value !== 'immediate') throw refuse('INVALID_ARGUMENT', 'delivery', `advisory delivery "${value.slice(0, 20)}": use digest or immediate`, { delivery: value.slice(0, 20) });
  return value;
}

/** An IANA zone the calendar understands. */
export function checkTimezone(zone: string): string {
  if (!IANAZone.isValidZone(zone)) throw refuse('INVALID_ARGUMENT', 'timezone', `"${zone.slice(0, 60)}" is not an IANA time zone (e.g. America/Argentina/Buenos_Aires)`, { zone: zone.slice(0, 60) });
  return zone;
}

/** A maintenance end: a real calendar date written YYYY-MM-DD. */
export function checkDate(value: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw refuse('INVALID_ARGUMENT', 'date', `${value.slice(0, 40) || '(empty)'} is not a date (write YYYY-MM-DD)`, { date: value.slice(0, 40) });
  }
  return value;
}

/** A product holding from its parts, each checked; the title is trimmed. */
export function checkProduct(vendor: string, title: string, maintenanceExpires: string): ProductHolding {
  if (!(PRODUCT_VENDORS as readonly string[]).includes(vendor)) {
    throw refuse('INVALID_ARGUMENT', 'vendor', `vendor "${vendor.slice(0, 40)}": use ${PRODUCT_VENDORS.join(' or ')}`, { vendor: vendor.slice(0, 40), vendors: PRODUCT_VENDORS.join(', ') });
  }
  const product = title.trim();
  if (product === '' || product.length > MAX_TEXT) throw refuse('INVALID_ARGUMENT', 'title', `a product title must have 1 to ${MAX_TEXT} characters`, { max: MAX_TEXT });
  return { vendor: vendor as ProductVendor, product, maintenanceExpires: checkDate(maintenanceExpires) };
}

/** Parses "vendor:Product title:YYYY-MM-DD" (the CLI's --product) into a checked holding. */
export function parseProductSpec(spec: string): ProductHolding {
  const m = /^([a-z]+):(.+):([^:]*)$/.exec(spec);
  if (!m) {
    throw refuse('INVALID_ARGUMENT', 'productSpec', `product "${spec}": write vendor:title:maintenance-end, e.g. "eset:ESET PROTECT Entry:2027-06-30" (vendors: ${PRODUCT_VENDORS.join(', ')})`, { spec });
  }
  return checkProduct(m[1]!, m[2]!, m[3]!);
}

/** An e-mail address (one @, a dot in the domain, no spaces). */
export function checkEmail(email: string): string {
  const e = email.trim();
  if (!EMAIL.test(e) || e.length > MAX_TEXT) throw refuse('INVALID_ARGUMENT', 'email', `"${e.slice(0, 80)}" is not an e-mail address`, { email: e.slice(0, 80) });
  return e;
}

/** A phone number as people write it: digits, spaces, + - ( ) . and an extension ("int. 12", "ext 12", "x12"); empty means none. */
export function checkPhone(phone: string | undefined): string | undefined {
  const p = (phone ?? '').trim();
  if (p === '') return undefined;
  if (!/^[+\d(][\d\s().-]{2,40}(?:\s*(?:int\.?|ext\.?|x)\s*\d{1,6})?$/i.test(p)) {
    throw refuse('INVALID_ARGUMENT', 'phone', `"${p.slice(0, 60)}" is not a phone number`, { phone: p.slice(0, 60) });
  }
  return p;
}

/** The holding of a title the customer has, or a refusal naming it. */
export function heldProduct(c: Customer, title: string): ProductHolding {
  const p = c.products.find((x) => x.product === title);
  if (!p) throw refuse('INVALID_ARGUMENT', 'productNotHeld', `customer "${c.id}" does not hold "${title.slice(0, 80)}"`, { customer: c.id, title: title.slice(0, 80) });
  return p;
}

/**
 * The plan's limit of designated contacts per title, for `contacts` designated as they would be after an edit:
 * refuses when a title has more than the plan allows (its message names the plan, the limit and the title).
 * `grew`: only titles whose count went up are checked, so an edit that does not add a designation never fails
 * on a customer already over (kept from an earlier plan).
 */
export function checkContactLimit(c: Customer, plan: Plan, contacts: readonly Contact[], grew?: ReadonlySet<string>): void {
  for (const p of c.products) {
    if (grew && !grew.has(p.product)) continue;
    const n = contacts.filter((k) => k.products.includes(p.product)).length;
    if (n > plan.contactsPerProduct) {
      throw refuse('CONTACT_LIMIT', 'contactLimit', `the ${plan.name} plan allows ${plan.contactsPerProduct} designated contacts for "${p.product}", and "${c.id}" has ${n - 1} already; remove one first`,
        { plan: plan.name, limit: plan.contactsPerProduct, title: p.product, count: n - 1 });
    }
  }
}

/** A plan change keeps every title within the new plan's limit of designated contacts. */
export function checkPlanFits(c: Customer, plan: Plan): void {
  for (const p of c.products) {
    const n = c.contacts.filter((k) => k.products.includes(p.product)).length;
    if (n > plan.contactsPerProduct) {
      throw refuse('CONTACT_LIMIT', 'planLimit', `the ${plan.name} plan allows ${plan.contactsPerProduct} designated contacts for "${p.product}", and "${c.id}" has ${n}; remove some before changing the plan`,
        { plan: plan.name, limit: plan.contactsPerProduct, title: p.product, count: n });
    }
  }
}
