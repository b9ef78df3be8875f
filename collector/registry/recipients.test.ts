// The contacts rule as a table: mixed-case and oddly spaced titles, contacts with no titles, other vendors' titles,
// and the fallback (general contacts, then everyone), logged once per choice.
import { describe, expect, it } from 'vitest';
import type { Contact, Customer, ProductHolding } from './types.js';
import { contactsForReport, contactsForTitles, contactsForVendorProduct, normalizeTitle, uniqueRecipients } from './recipients.js';

const contact = (id: string, products: string[]): Contact => ({ id, name: id, email: `${id}@x.test`, language: 'es', products });
const holding = (vendor: 'eset' | 'symantec', product: string): ProductHolding => ({ vendor, product, maintenanceExpires: '2099-12-31' });
const customer = (products: ProductHolding[], contacts: Contact[]): Customer => ({
  id: 'c1', name: 'C', plan: 'basic', timezone: 'America/Argentina/Buenos_Aires', products, contacts,
  advisoryDelivery: 'digest', language: 'es', createdAt: '2026-01-01T00:00:00Z',
});

const held = [holding('eset', 'ESET PROTECT Entry'), holding('symantec', 'Symantec Endpoint Protection')];
const mixed = contact('mixed', ['eset  protect ENTRY']);
const exact = contact('exact', ['ESET PROTECT Entry']);
const general = contact('general', []);
const sym = contact('sym', ['symantec endpoint protection']);
const other = contact('other', ['ESET Server Security']); // a title the customer does not hold

function logSpy(): { warn: (obj: Record<string, unknown>, msg: string) => void; lines: { obj: Record<string, unknown>; msg: string }[] } {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  return { lines, warn: (obj, msg) => lines.push({ obj, msg }) };
}

// [case, contacts, vendor, productTitle, expected ids, fallback logged]
const TABLE: [string, Contact[], 'eset' | 'symantec' | null, string | undefined, string[], string | null][] = [
  ['mixed case and spacing match', [mixed, general, sym], 'eset', undefined, ['mixed'], null],
  ['exact and mixed both match', [exact, mixed, sym], 'eset', undefined, ['exact', 'mixed'], null],
  ['the other vendor', [mixed, general, sym], 'symantec', undefined, ['sym'], null],
  ['nobody designated: general contacts', [sym, general, other], 'eset', undefined, ['general'], 'general'],
  ['nobody designated, no general: everyone', [sym, other], 'eset', undefined, ['sym', 'other'], 'all'],
  ['the event names a title the customer does not list', [sym, other, general], 'eset', 'eset server  security', ['other'], null],
  ['no vendor known: general contacts', [mixed, general], null, undefined, ['general'], 'general'],
  ['no contacts at all', [], 'eset', undefined, [], 'none'],
];

describe('contactsForVendorProduct (tickets and advisories)', () => {
  it.each(TABLE)('%s', (_name, contacts, vendor, productTitle, expected, fallback) => {
    const log = logSpy();
    const c = customer(held, contacts);
    const got = contactsForVendorProduct(c, vendor, productTitle, { log, about: 'ticket' });
    expect(got.map((r) => r.contactId)).toEqual(expected);
    expect(got.every((r) => r.customerId === 'c1')).toBe(true);
    expect(log.lines.map((l) => l.obj.fallback ?? null)).toEqual(fallback ? [fallback] : []);
    if (fallback) expect(log.lines[0]!.msg).toBe('no designated contact');
  });

  it('reads the same from the titles as from the vendor', () => {
    for (const [, contacts, vendor, productTitle, expected] of TABLE) {
      const c = customer(held, contacts);
      const titles = c.products.filter((p) => p.vendor === vendor).map((p) => p.product).concat(productTitle ?? []);
      expect(contactsForTitles(c, titles).map((r) => r.contactId)).toEqual(expected);
    }
  });

  it('returns nobody for an unknown customer', () => {
    expect(contactsForVendorProduct(undefined, 'eset')).toEqual([]);
  });
});

describe('contactsForReport', () => {
  it('is every contact, whatever their titles', () => {
    const c = customer(held, [mixed, general, sym, other]);
    expect(contactsForReport(c).map((r) => r.contactId)).toEqual(['mixed', 'general', 'sym', 'other']);
  });

  it('logs a customer with no contacts', () => {
    const log = logSpy();
    expect(contactsForReport(customer(held, []), { log })).toEqual([]);
    expect(log.lines).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('normalises titles ignoring case, spacing and width', () => {
    expect(normalizeTitle(' ESET\tPROTECT  Entry ')).toBe(normalizeTitle('eset protect entry'));
    expect(normalizeTitle('ＥＳＥＴ Protect')).toBe('esetprotect');
    expect(normalizeTitle('ESET PROTECT')).not.toBe(normalizeTitle('ESET PROTECT Entry'));
  });

  it('keeps the first mention of an address', () => {
    const a = { name: 'A', email: 'a@x.test', language: 'es' as const };
    const b = { name: 'B', email: ' A@X.test', language: 'en' as const };
    expect(uniqueRecipients([a], [b])).toEqual([a]);
  });
});
