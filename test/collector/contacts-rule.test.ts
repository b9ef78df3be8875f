// One rule for who hears about what, checked where each module applies it: a ticket's contacts (the function the
// pipeline and the ticket service call), an advisory's recipients, and a monthly report's. Same table, same answers.
import { describe, expect, it } from 'vitest';
import { contactsForAdvisories, recipientsOf } from '../../collector/advisories/recipients.js';
import { contactsForReport } from '../../collector/registry/recipients.js';
import type { Contact, Customer } from '../../collector/registry/types.js';
import { designatedContacts } from '../../collector/tickets/describe.js';
import { queuedMails, sampleCustomer, storedEvent, ticketKit } from '../../collector/tickets/testkit.js';
import { createLogger } from '../../lib/logger.js';

const contact = (id: string, products: string[]): Contact => ({ id, name: id, email: `${id}@c.test`, language: 'es', products });
const customer = (contacts: Contact[]): Customer => ({
  id: 'c', name: 'C', plan: 'managed', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'immediate', language: 'es',
  createdAt: '2026-01-01T00:00:00Z', contacts,
  products: [
    { vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2099-01-01' },
    { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2099-01-01' },
  ],
});

const upper = contact('upper', ['ESET PROTECT ENTRY']);
const spaced = contact('spaced', ['eset  protect\tentry']);
const general = contact('general', []);
const symantec = contact('symantec', ['SYMANTEC endpoint protection']);
const stranger = contact('stranger', ['Some Other Title']);

// [case, contacts, vendor, ticket/advisory answer, report answer]
const TABLE: [string, Contact[], 'eset' | 'symantec', string[], string[]][] = [
  ['mixed-case and spaced titles match', [upper, spaced, general, symantec], 'eset', ['upper', 'spaced'], ['upper', 'spaced', 'general', 'symantec']],
  ["another vendor's title does not", [upper, general, symantec], 'symantec', ['symantec'], ['upper', 'general', 'symantec']],
  ['nobody designated: the general contacts', [symantec, general, stranger], 'eset', ['general'], ['symantec', 'general', 'stranger']],
  ['nobody designated and no general: everyone', [symantec, stranger], 'eset', ['symantec', 'stranger'], ['symantec', 'stranger']],
  ['no contacts: nobody', [], 'eset', [], []],
];

describe('the contacts rule, the same for tickets, advisories and reports', () => {
  it.each(TABLE)('%s', (_name, contacts, vendor, forVendor, forReport) => {
    const c = customer(contacts);
    const ticket = designatedContacts(c, vendor).map((r) => r.contactId);
    const advisory = recipientsOf(vendor, 'high', [c], new Date('2026-11-20T12:00:00Z')).map((r) => r.contactId);
    const report = contactsForReport(c).map((r) => r.contactId);
    expect(ticket).toEqual(forVendor);
    expect(advisory).toEqual(forVendor);
    expect(report).toEqual(forReport);
  });
});

describe('a ticket nobody is designated for', () => {
  it('goes to the general contacts, and the fallback is logged once with its fields', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => { lines.push(JSON.parse(l) as Record<string, unknown>); } } });
    const kit = ticketKit({ deps: { logger } });
    try {
      kit.registry.customers.set('acme', { ...sampleCustomer('acme'), contacts: [symantec, general] });
      kit.pipeline.processEvent(storedEvent({ customerId: 'acme', vendor: 'eset' }), kit.clock());
      expect(queuedMails(kit).map((m) => m.to).sort()).toEqual(['general@c.test', 'guardia@xpears.example']);
      const fallbacks = lines.filter((l) => l.msg === 'no designated contact');
      expect(fallbacks).toHaveLength(1);
      expect(fallbacks[0]).toMatchObject({ customerId: 'acme', vendor: 'eset', about: 'ticket', fallback: 'general', recipients: 1 });
    } finally {
      kit.db.close();
    }
  });
});

describe('an advisory nobody is designated for', () => {
  it('reaches the general contacts, and the fallback is logged', () => {
    const lines: { fields: Record<string, unknown>; msg: string }[] = [];
    const log = { warn: (fields: Record<string, unknown>, msg: string) => { lines.push({ fields, msg }); } };
    const got = contactsForAdvisories(customer([symantec, general]), [{ vendor: 'eset' as const, families: [] }], new Date('2026-11-20T12:00:00Z'), log);
    expect(got.map((g) => g.contact.id)).toEqual(['general']);
    expect(lines).toEqual([{ msg: 'no designated contact', fields: { customerId: 'c', vendor: 'eset', about: 'advisory', fallback: 'general', recipients: 1 } }]);
  });
});
