// Routing tables: which customers and contacts an advisory reaches at an instant, and when digests are due.
import { describe, expect, it } from 'vitest';
import type { Customer } from '../registry/types.js';
import { contactsByVendors, contactsForAdvisories, deliveryModeOf, designatedContacts, digestDateFor, dueDigestDate, recipientsOf, titlesInForce } from './recipients.js';

const customer = (over: Partial<Customer>): Customer => ({
  id: 'c', name: 'C', plan: 'basic', timezone: 'America/Argentina/Buenos_Aires', products: [], contacts: [],
  advisoryDelivery: 'digest', language: 'es', createdAt: '2026-01-01T00:00:00Z', ...over,
});
const contact = (id: string, products: string[], language: 'es' | 'en' = 'es') => ({ id, name: id, email: `${id}@x.test`, language, products });

const eset = customer({
  id: 'eset', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2026-11-20' }],
  contacts: [contact('ana', ['ESET PROTECT Entry']), contact('bob', [])],
});
const both = customer({
  id: 'both', advisoryDelivery: 'immediate',
  products: [
    { vendor: 'eset', product: 'ESET Endpoint Security', maintenanceExpires: '2027-01-01' },
    { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-01-01' },
  ],
  contacts: [contact('sym', ['Symantec Endpoint Protection'], 'en'), contact('gen', [])],
});

describe('recipientsOf', () => {
  it('reaches the contacts designated for the vendor, only at customers holding that vendor', () => {
    const at = new Date('2026-11-20T12:00:00Z');
    expect(recipientsOf('eset', 'high', [eset, both], at).map((r) => `${r.customerId}/${r.contactId}/${r.mode}`))
      .toEqual(['eset/ana/immediate', 'both/gen/immediate']);
    expect(recipientsOf('symantec', 'low', [eset, both], at).map((r) => `${r.customerId}/${r.contactId}/${r.language}/${r.mode}`))
      .toEqual(['both/sym/en/immediate']);
  });

  it('counts maintenance to the end of its last day in the customer zone', () => {
    // 02:59Z on the 21st is still the 20th in Buenos Aires (UTC−3): in force; at 03:00Z it has expired.
    expect(titlesInForce(eset, 'eset', new Date('2026-11-21T02:59:00Z'))).toEqual(['ESET PROTECT Entry']);
    expect(titlesInForce(eset, 'eset', new Date('2026-11-21T03:00:00Z'))).toEqual([]);
    expect(recipientsOf('eset', 'critical', [eset], new Date('2026-11-21T03:00:00Z'))).toEqual([]);
  });

  it('falls back to the general contacts when none is designated, and to all when none is product-specific', () => {
    expect(designatedContacts(both, ['ESET Endpoint Security']).map((c) => c.id)).toEqual(['gen']);
    const plain = customer({ contacts: [contact('x', []), contact('y', [])] });
    expect(designatedContacts(plain, ['anything']).map((c) => c.id)).toEqual(['x', 'y']);
  });

  it('sends critical and high at once, the rest to the digest unless the customer asked otherwise', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map((r) => deliveryModeOf(eset, r as never)))
      .toEqual(['immediate', 'immediate', 'digest', 'digest', 'digest']);
    expect(deliveryModeOf(both, 'info')).toBe('immediate');
  });
});

describe('contactsByVendors', () => {
  const at = new Date('2026-11-20T12:00:00Z');
  it('gives each contact the vendors it receives, in the customer\'s order of contacts', () => {
    const show = (c: Customer, vendors: ('eset' | 'symantec')[], when = at) =>
      contactsByVendors(c, vendors, when).map((x) => `${x.contact.id}:${x.vendors.join('+')}`);
    // "both": sym is designated for the Symantec title; gen (no title) is the fallback for ESET.
    expect(show(both, ['eset', 'symantec'])).toEqual(['sym:symantec', 'gen:eset']);
    expect(show(eset, ['eset', 'symantec'])).toEqual(['ana:eset']);
    expect(show(eset, ['symantec'])).toEqual([]);
    // A contact designated for nothing in particular at a customer whose contacts are all general: every vendor.
    const plain = customer({ products: both.products, contacts: [contact('x', [])] });
    expect(show(plain, ['eset', 'symantec'])).toEqual(['x:eset+symantec']);
    // Maintenance over: nobody.
    expect(show(eset, ['eset'], new Date('2026-11-21T03:00:00Z'))).toEqual([]);
  });
});

describe('contactsForAdvisories (routing by product family)', () => {
  const at = new Date('2026-11-20T12:00:00Z');
  const smg = { id: 'smg', vendor: 'symantec' as const, families: ['symantec-messaging-gateway'] };
  const sep = { id: 'sep', vendor: 'symantec' as const, families: ['sep'] };
  const campaign = { id: 'campaign', vendor: 'symantec' as const, families: [] };
  const endpoint = { id: 'endpoint', vendor: 'eset' as const, families: ['eset-endpoint'] };
  const show = (c: Customer, list: { id: string; vendor: 'eset' | 'symantec'; families: string[] }[]) =>
    contactsForAdvisories(c, list, at).map((x) => `${x.contact.id}:${x.advisories.map((a) => a.id).join('+')}`);

  it('sends an advisory to the holders of an affected product, a vendor-wide notice to every holder', () => {
    // "both" holds SEP and ESET Endpoint Security: the Messaging Gateway advisory is not for it.
    expect(show(both, [smg])).toEqual([]);
    expect(show(both, [smg, sep, campaign, endpoint])).toEqual(['sym:sep+campaign', 'gen:endpoint']);
    // ESET PROTECT Entry includes Endpoint: ana, designated for it.
    expect(show(eset, [endpoint, smg])).toEqual(['ana:endpoint']);
  });

  it('gives a title the alias table does not know every advisory of its vendor', () => {
    const odd = customer({ products: [{ vendor: 'symantec', product: 'Symantec Something New', maintenanceExpires: '2027-01-01' }], contacts: [contact('o', [])] });
    expect(show(odd, [smg, sep])).toEqual(['o:smg+sep']);
  });
});

describe('digest dates', () => {
  const digest = { hour: 8, zone: 'America/Argentina/Buenos_Aires' };
  it('puts an item in the next digest at or after it was seen', () => {
    expect(digestDateFor(new Date('2026-11-20T10:59:00Z'), digest)).toBe('2026-11-20'); // 07:59 local
    expect(digestDateFor(new Date('2026-11-20T11:00:00Z'), digest)).toBe('2026-11-21'); // 08:00 local
    expect(digestDateFor(new Date('2026-11-21T02:30:00Z'), digest)).toBe('2026-11-21'); // 23:30 local on the 20th
  });

  it('makes a digest date due once its hour has come in the zone', () => {
    expect(dueDigestDate(new Date('2026-11-21T10:59:00Z'), digest)).toBe('2026-11-20');
    expect(dueDigestDate(new Date('2026-11-21T11:00:00Z'), digest)).toBe('2026-11-21');
  });
});
