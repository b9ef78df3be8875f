// The registry's rules on a document in memory: the limit of designated contacts per title on add, edit and plan
// change; removing a product takes its designations with it; dates, phones and plans are checked, and every refusal
// names its rule and figures for the console.
import { describe, it, expect } from 'vitest';
import { resolvePlans } from '../../config/plans.js';
import { XpearsError } from '../../lib/errors.js';
import { addContactTo, addCustomerTo, removeProductFrom, setCustomerIn, setMaintenanceIn, updateContactIn, type RegistryData } from './edits.js';
import { checkDate, checkPhone, refusalOf } from './validate.js';

const plans = resolvePlans();
const TITLE = 'ESET PROTECT Entry';

function doc(): RegistryData {
  const data: RegistryData = { version: 1, customers: [], agents: [] };
  addCustomerTo(data, { id: 'pyme', name: 'Pyme SRL', plan: 'basic', products: [{ vendor: 'eset', product: TITLE, maintenanceExpires: '2027-01-31' },
    { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-06-30' }] }, '2026-12-01T00:00:00Z');
  return data;
}

function refusal(fn: () => unknown) {
  try { fn(); } catch (err) { return { code: (err as XpearsError).code, ...refusalOf(err) }; }
  throw new Error('not refused');
}

describe('registry edits', () => {
  it('counts the limit per title on add and on edit, and lets an edit that adds no designation through', () => {
    const data = doc();
    addContactTo(data, plans, 'pyme', { name: 'Ana', email: 'ana@pyme.example', language: 'es', products: [TITLE] });
    addContactTo(data, plans, 'pyme', { name: 'Luis', email: 'luis@pyme.example', language: 'es', products: [] });
    expect(data.customers[0]!.contacts[1]!.products).toEqual([TITLE, 'Symantec Endpoint Protection']);
    expect(refusal(() => addContactTo(data, plans, 'pyme', { name: 'Sofía', email: 's@pyme.example', language: 'es', products: [TITLE] })))
      .toEqual({ code: 'CONTACT_LIMIT', reason: 'contactLimit', params: { plan: 'Basic', limit: 2, title: TITLE, count: 2 } });
    const sofia = addContactTo(data, plans, 'pyme', { name: 'Sofía', email: 's@pyme.example', language: 'en', products: ['Symantec Endpoint Protection'] });
    expect(refusal(() => updateContactIn(data, plans, sofia.id, { products: [TITLE, 'Symantec Endpoint Protection'] })).reason).toBe('contactLimit');
    expect(data.customers[0]!.contacts.find((k) => k.id === sofia.id)!.products).toEqual(['Symantec Endpoint Protection']);
    // Over the limit already (say, kept from a bigger plan): renaming someone still works.
    data.customers[0]!.contacts.push({ id: 'pyme-c9', name: 'Extra', email: 'x@pyme.example', language: 'es', products: [TITLE] });
    expect(updateContactIn(data, plans, 'pyme-c1', { name: 'Ana María', phone: '+54 11 4000-0000' })).toMatchObject({ name: 'Ana María', phone: '+54 11 4000-0000' });
    expect(updateContactIn(data, plans, 'pyme-c1', { phone: null })).not.toHaveProperty('phone');
  });

  it("refuses a plan the contacts do not fit, and changes to one they do", () => {
    const data = doc();
    setCustomerIn(data, plans, 'pyme', { plan: 'managed' });
    for (const name of ['a', 'b', 'c']) addContactTo(data, plans, 'pyme', { name, email: `${name}@pyme.example`, language: 'es', products: [TITLE] });
    expect(refusal(() => setCustomerIn(data, plans, 'pyme', { plan: 'basic' }))).toEqual({ code: 'CONTACT_LIMIT', reason: 'planLimit', params: { plan: 'Basic', limit: 2, title: TITLE, count: 3 } });
    expect(data.customers[0]!.plan).toBe('managed');
    expect(setCustomerIn(data, plans, 'pyme', { plan: 'advanced' }).plan).toBe('advanced');
    expect(refusal(() => setCustomerIn(data, plans, 'pyme', { plan: 'gold' as never })).reason).toBe('plan');
    expect(refusal(() => setCustomerIn(data, plans, 'pyme', { timezone: 'Marte/Olympus' })).reason).toBe('timezone');
  });

  it('removes a product with its designations; a contact left with none becomes a general contact', () => {
    const data = doc();
    addContactTo(data, plans, 'pyme', { name: 'Ana', email: 'ana@pyme.example', language: 'es', products: [TITLE] });
    addContactTo(data, plans, 'pyme', { name: 'Luis', email: 'luis@pyme.example', language: 'es', products: [] });
    expect(removeProductFrom(data, 'pyme', TITLE)).toEqual(['pyme-c1', 'pyme-c2']);
    expect(data.customers[0]!.contacts.map((k) => k.products)).toEqual([[], ['Symantec Endpoint Protection']]);
    expect(refusal(() => removeProductFrom(data, 'pyme', TITLE))).toMatchObject({ reason: 'productNotHeld', params: { title: TITLE } });
    expect(refusal(() => setMaintenanceIn(data, 'pyme', 'Symantec Endpoint Protection', '2027-13-01')).reason).toBe('date');
    expect(setMaintenanceIn(data, 'pyme', 'Symantec Endpoint Protection', '2028-02-29').maintenanceExpires).toBe('2028-02-29');
  });

  it('checks dates and phones as people write them', () => {
    expect(checkDate('2028-02-29')).toBe('2028-02-29');
    for (const bad of ['2027-02-29', '2027-2-1', '31/01/2027', '']) expect(refusal(() => checkDate(bad)).reason).toBe('date');
    for (const ok of ['+54 11 4000-1234', '(011) 4000.1234', '+54 9 11 5555-0000 int. 221', '0800-555-1234 x12']) expect(checkPhone(ok)).toBe(ok);
    expect(checkPhone('  ')).toBeUndefined();
    for (const bad of ['llamar', '<script>', '12']) expect(refusal(() => checkPhone(bad)).reason).toBe('phone');
  });
});
