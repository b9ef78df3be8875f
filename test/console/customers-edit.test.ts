// The console's Customers pages over real HTTP against a real collector: a lead creates a customer, changes its plan,
// adds, re-dates and removes products, adds and edits designated contacts within the plan's limit, enrols and revokes
// agents; each edit lands in registry.json (read by a fresh Registry and by the CLI) and in the audit log under her
// login. Refusals come back on the page in the reader's language, escaped, never a 500; L1 and read-only engineers get
// no forms and their POSTs are refused; a plan change sets the next ticket's due time while an open ticket keeps its
// own; the CLI and the console editing the registry at the same moment both land.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { responseDueAt } from '../../collector/tickets/sla.js';
import type { Customer, PlanId } from '../../collector/registry/types.js';
import { ROOT, eventually } from '../e2e/harness.js';
import { Client, PASSWORD, postSyslog, ransomwareLine, startBench, type ConsoleBench } from './harness.js';

const run = promisify(execFile);
let bench: ConsoleBench;
let registryPath: string;
let cliConfig: string;

/** registry.json as a new reader sees it (what the CLI would load). */
const onDisk = async () => Registry.open(registryPath, resolvePlans());
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', cliConfig], { cwd: ROOT })
  .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));

async function as(login: string, path = '/console/customers/acme'): Promise<{ c: Client; csrf: string; text: string }> {
  const c = new Client(bench.collector.url);
  expect(await c.login(login)).toBe(303);
  const page = await c.req('GET', path);
  expect(page.status).toBe(200);
  return { c, csrf: Client.csrf(page.text), text: page.text };
}

const audited = (action: string, target: string) => bench.accounts.auditList(500).filter((a) => a.action === action && a.target === target);

beforeAll(async () => {
  bench = await startBench();
  if (!bench.accounts.get('eve')) await bench.accounts.addUser({ login: 'eve', name: 'Eve Lead', email: 'eve@cas.example', role: 'lead', password: PASSWORD, language: 'en' }, 'test');
  registryPath = join(bench.dir.path, 'collector', 'registry.json');
  cliConfig = join(bench.dir.path, 'cli.json');
  writeFileSync(cliConfig, JSON.stringify({ dataDir: join(bench.dir.path, 'collector') }));
}, 60_000);
afterAll(async () => { await bench.close(); });

describe('the customers pages for engineers who may not edit', () => {
  it('show L1 and read-only the customer without forms, and refuse their POSTs', async () => {
    for (const login of ['lucia', 'rita']) {
      const { c, csrf, text } = await as(login);
      expect(text).toContain('Acme SA');
      expect(text).toContain('carla@acme.example');
      expect(text).toContain('+54 11 4000-1234');
      expect(text).toContain('los cambios corresponden a los líderes.');
      expect(text).not.toMatch(/<form method="post" action="\/console\/customers/);
      const posts: [string, Record<string, string>][] = [
        ['/console/customers', { id: 'intrusa', name: 'Intrusa SA', plan: 'basic', language: 'es' }],
        ['/console/customers/acme/settings', { plan: 'basic' }],
        ['/console/customers/acme/products', { vendor: 'eset', title: 'ESET Inspect', maintenanceExpires: '2030-01-01' }],
        ['/console/customers/acme/contacts/acme-c1', { name: 'X', email: 'x@acme.example', language: 'es' }],
        ['/console/customers/acme/agents/acme-a1/revoke', {}],
      ];
      for (const [path, form] of posts) {
        const res = await c.req('POST', path, { _csrf: csrf, ...form });
        expect(res.status, `${login} ${path}`).toBe(403);
        expect(res.text).toContain('Su rol no permite esta acción.');
      }
    }
    const reg = await onDisk();
    expect(reg.getCustomer('intrusa')).toBeUndefined();
    expect(reg.getCustomer('acme')).toMatchObject({ plan: 'managed', products: [{ product: 'ESET PROTECT Entry' }] });
    expect(reg.getCustomer('acme')!.contacts[0]!.name).toBe('Carla Contacto');
    expect(reg.getAgent('acme-a1')!.revokedAt).toBeUndefined();
  });

  it('refuses a lead POST without the CSRF token', async () => {
    const { c } = await as('ana');
    const res = await c.req('POST', '/console/customers', { id: 'sin-token', name: 'Sin Token', plan: 'basic', language: 'es' });
    expect(res.status).toBe(403);
    expect((await onDisk()).getCustomer('sin-token')).toBeUndefined();
  });
});

describe('a lead edits customers', () => {
  it('creates a customer; refusals are shown in her language, escaped, with her form as she sent it', async () => {
    const { c, csrf } = await as('ana', '/console/customers');
    const bad = await c.req('POST', '/console/customers', { _csrf: csrf, id: 'Mal <Id>', name: 'Globex', plan: 'basic', language: 'es', timezone: 'America/Argentina/Buenos_Aires' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('No se guardó: el id &quot;Mal &lt;Id&gt;&quot; no sirve: use minúsculas, dígitos y guiones (hasta 64).');
    expect(bad.text).toContain('value="Mal &lt;Id&gt;"');
    const gold = await c.req('POST', '/console/customers', { _csrf: csrf, id: 'globex', name: 'Globex', plan: 'gold', language: 'es', timezone: '' });
    expect(gold.status).toBe(400);
    expect(gold.text).toContain('el plan &quot;gold&quot; no existe (planes: basic, advanced, managed, premium).');

    const made = await c.req('POST', '/console/customers', { _csrf: csrf, id: 'globex', name: '<b>Globex</b> SRL', plan: 'basic', language: 'en', timezone: 'America/Argentina/Cordoba' });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/console/customers/globex?done=customer');
    expect((await onDisk()).getCustomer('globex')).toMatchObject({ name: '<b>Globex</b> SRL', plan: 'basic', language: 'en', timezone: 'America/Argentina/Cordoba', products: [], contacts: [] });
    const shown = await c.req('GET', '/console/customers/globex?done=customer');
    expect(shown.text).toContain('Cliente creado.');
    expect(shown.text).toContain('&lt;b&gt;Globex&lt;/b&gt; SRL');
    expect(shown.text).not.toContain('<b>Globex</b>');
    expect(audited('customer.add', 'globex')).toMatchObject([{ actor: 'ana', detail: 'plan basic' }]);

    const again = await as('eve', '/console/customers');
    const dup = await again.c.req('POST', '/console/customers', { _csrf: again.csrf, id: 'globex', name: 'Otra', plan: 'basic', language: 'es', timezone: '' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('Not saved: a customer with the id &quot;globex&quot; exists already.');
  });

  it('adds products from the known titles, changes a maintenance end, removes one; a bad date is refused', async () => {
    const { c, csrf, text } = await as('ana', '/console/customers/globex');
    expect(text).toContain('<datalist id="known-titles">');
    expect(text).toContain('<option value="ESET PROTECT Advanced">');
    const post = (path: string, form: Record<string, string>) => c.req('POST', `/console/customers/globex${path}`, { _csrf: csrf, ...form });
    const badDate = await post('/products', { vendor: 'eset', title: 'ESET PROTECT Advanced', maintenanceExpires: '2027-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('No se guardó: &quot;2027-02-30&quot; no es una fecha (AAAA-MM-DD).');
    expect(badDate.text).toContain('value="ESET PROTECT Advanced"');
    expect((await post('/products', { vendor: 'eset', title: 'ESET PROTECT Advanced', maintenanceExpires: '2027-02-28' })).status).toBe(303);
    expect((await post('/products', { vendor: 'symantec', title: 'Symantec Endpoint Protection', maintenanceExpires: '2026-12-31' })).status).toBe(303);
    const twice = await post('/products', { vendor: 'eset', title: 'ESET PROTECT Advanced', maintenanceExpires: '2027-02-28' });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('el cliente ya tiene &quot;ESET PROTECT Advanced&quot;.');
    expect((await post('/products/maintenance', { title: 'ESET PROTECT Advanced', maintenanceExpires: '2028-03-31' })).status).toBe(303);
    expect((await post('/products/remove', { title: 'Symantec Endpoint Protection' })).status).toBe(303);
    const gone = await post('/products/remove', { title: 'Symantec Endpoint Protection' });
    expect(gone.status).toBe(400);
    expect(gone.text).toContain('el cliente no tiene &quot;Symantec Endpoint Protection&quot;.');
    expect((await onDisk()).getCustomer('globex')!.products).toEqual([{ vendor: 'eset', product: 'ESET PROTECT Advanced', maintenanceExpires: '2028-03-31' }]);
    expect(audited('product.maintenance', 'globex')).toMatchObject([{ actor: 'ana', detail: 'ESET PROTECT Advanced until 2028-03-31' }]);
    expect(audited('product.remove', 'globex')).toMatchObject([{ actor: 'ana', detail: 'Symantec Endpoint Protection' }]);
    expect(audited('product.add', 'globex')).toHaveLength(2);
  });

  it("adds and edits designated contacts within the plan's limit, and names the limit when it refuses", async () => {
    const { c, csrf } = await as('ana', '/console/customers/globex');
    const post = (path: string, form: Record<string, string>) => c.req('POST', `/console/customers/globex${path}`, { _csrf: csrf, ...form });
    const title = 'ESET PROTECT Advanced';
    expect((await post('/contacts', { name: 'Ana Uno', email: 'ana@globex.example', phone: '', language: 'es', product: title })).status).toBe(303);
    expect((await post('/contacts', { name: 'Beto Dos', email: 'beto@globex.example', phone: '', language: 'es' })).status).toBe(303);
    const third = await post('/contacts', { name: 'Caro Tres', email: 'caro@globex.example', phone: '', language: 'es', product: title });
    expect(third.status).toBe(409);
    expect(third.text).toContain('No se guardó: el plan Basic permite 2 contactos designados para &quot;ESET PROTECT Advanced&quot; y ya hay 2; quite uno primero.');
    expect(third.text).toContain('value="caro@globex.example"');

    // Beto becomes a general contact (no title ticked), with a phone and English: that frees a place for Caro.
    expect((await post('/contacts/globex-c2', { name: 'Beto Gómez', email: 'beto@globex.example', phone: '+54 11 4444-5555', language: 'en' })).status).toBe(303);
    expect((await post('/contacts', { name: 'Caro Tres', email: 'caro@globex.example', phone: '', language: 'es', product: title })).status).toBe(303);
    const back = await post('/contacts/globex-c2', { name: 'Beto Gómez', email: 'beto@globex.example', phone: '+54 11 4444-5555', language: 'en', product: title });
    expect(back.status).toBe(409);
    expect(back.text).toContain('el plan Basic permite 2 contactos designados para &quot;ESET PROTECT Advanced&quot; y ya hay 2');
    const badMail = await post('/contacts/globex-c3', { name: 'Caro', email: 'caro-arroba-globex', phone: '', language: 'es', product: title });
    expect(badMail.status).toBe(400);
    expect(badMail.text).toContain('&quot;caro-arroba-globex&quot; no es una dirección de correo.');
    const badPhone = await post('/contacts/globex-c3', { name: 'Caro', email: 'caro@globex.example', phone: '<script>1</script>', language: 'es', product: title });
    expect(badPhone.status).toBe(400);
    expect(badPhone.text).toContain('&quot;&lt;script&gt;1&lt;/script&gt;&quot; no es un número de teléfono.');
    const foreign = await post('/contacts/acme-c1', { name: 'Carla', email: 'carla@acme.example', phone: '', language: 'es' });
    expect(foreign.status).toBe(404);
    expect(foreign.text).toContain('no hay un contacto con el id &quot;acme-c1&quot;.');

    const contacts = (await onDisk()).getCustomer('globex')!.contacts;
    expect(contacts.map((k) => [k.id, k.name, k.phone ?? null, k.language, k.products])).toEqual([
      ['globex-c1', 'Ana Uno', null, 'es', [title]], ['globex-c2', 'Beto Gómez', '+54 11 4444-5555', 'en', []], ['globex-c3', 'Caro Tres', null, 'es', [title]],
    ]);
    expect(audited('contact.update', 'globex')).toMatchObject([{ actor: 'ana', detail: 'globex-c2 for no title (general)' }]);
    expect((await onDisk()).getCustomer('acme')!.contacts[0]!.name).toBe('Carla Contacto');
  });

  it("changes a plan: refused while the contacts do not fit it; then the next ticket's due time follows it, an open one keeps its own", async () => {
    const { c, csrf } = await as('ana');
    const post = (path: string, form: Record<string, string>) => c.req('POST', `/console/customers/acme${path}`, { _csrf: csrf, ...form });
    const settings = (plan: string) => post('/settings', { name: 'Acme SA', plan, language: 'es', timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest' });
    for (const who of ['dario', 'elena']) expect((await post('/contacts', { name: who, email: `${who}@acme.example`, phone: '', language: 'es' })).status).toBe(303);
    const refused = await settings('basic');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('el plan Basic permite 2 contactos designados para &quot;ESET PROTECT Entry&quot; y hay 3; quite contactos antes de cambiar el plan.');
    expect((await onDisk()).getCustomer('acme')!.plan).toBe('managed');

    await postSyslog(bench, ransomwareLine('pc-antes', 'Win32/Filecoder.Antes.A'));
    const acmeTickets = () => bench.collector.tickets.list({}).filter((t) => t.customerId === 'acme');
    expect(await eventually(() => acmeTickets().length === 1)).toBe(true);
    const first = acmeTickets()[0];
    const dueOf = (plan: PlanId, t: { caseKind: string; openedAt: string }) => responseDueAt({ plan: bench.collector.tickets.planOf({ plan } as Customer),
      caseKind: t.caseKind as never, openedAt: new Date(t.openedAt), calendar: bench.collector.calendar }).toISOString();
    expect(first!.responseDueAt).toBe(dueOf('managed', first!));

    const elena = (await onDisk()).getCustomer('acme')!.contacts.find((k) => k.name === 'elena')!;
    expect((await post(`/contacts/${elena.id}/remove`, {})).status).toBe(303);
    const changed = await settings('basic');
    expect(changed.status).toBe(303);
    expect((await onDisk()).getCustomer('acme')!.plan).toBe('basic');
    expect(audited('customer.set', 'acme')).toMatchObject([{ actor: 'ana', detail: 'plan managed -> basic' }]);

    await postSyslog(bench, ransomwareLine('pc-despues', 'Win32/Filecoder.Despues.B'));
    expect(await eventually(() => acmeTickets().length === 2)).toBe(true);
    const second = acmeTickets().find((t) => t.id !== first!.id);
    expect(second!.responseDueAt).toBe(dueOf('basic', second!));
    expect(second!.responseDueAt).not.toBe(dueOf('managed', second!));
    expect(bench.collector.tickets.list({}).find((t) => t.id === first!.id)!.responseDueAt).toBe(first!.responseDueAt);
  }, 60_000);

  it('enrols and revokes an agent: the revoked token is refused at once', async () => {
    const { c, csrf } = await as('ana');
    const enrolled = await c.req('POST', '/console/customers/acme/agents', { _csrf: csrf });
    const token = /<pre class="token">(xpr_[^<]+)<\/pre>/.exec(enrolled.text)?.[1];
    const agentId = /xpr_([a-z0-9-]+)_/.exec(token ?? '')?.[1];
    expect(agentId).toBe('acme-a2');
    const beat = () => fetch(`${bench.collector.url}/v1/heartbeats`, { method: 'POST', headers: { authorization: `Bearer ${token!}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status);
    expect(await beat()).toBe(400);
    const foreign = await c.req('POST', '/console/customers/globex/agents/acme-a2/revoke', { _csrf: csrf });
    expect(foreign.status).toBe(404);
    expect(foreign.text).toContain('este cliente no tiene un agente &quot;acme-a2&quot;.');
    expect((await c.req('POST', '/console/customers/acme/agents/acme-a2/revoke', { _csrf: csrf })).status).toBe(303);
    expect((await onDisk()).getAgent('acme-a2')!.revokedAt).toBeTruthy();
    expect(await beat()).toBe(401);
    expect(audited('agent.revoke', 'acme')).toMatchObject([{ actor: 'ana', detail: 'acme-a2' }]);
    const page = await c.req('GET', '/console/customers/acme?done=revoked');
    expect(page.text).toContain('Agente revocado: su token dejó de valer.');
    expect(page.text).not.toContain('/agents/acme-a2/revoke');
  });
});

describe('the console and the CLI editing the registry at the same moment', () => {
  it('keeps every edit of both', async () => {
    const { c, csrf } = await as('ana', '/console/customers/globex');
    const cliTitles = Array.from({ length: 6 }, (_, i) => `CLI Producto ${i + 1}`);
    let cliDone = false;
    const cliRun = cli('customer', 'set', 'globex', ...cliTitles.flatMap((t) => ['--product', `eset:${t}:2030-01-0${(cliTitles.indexOf(t) % 9) + 1}`]))
      .finally(() => { cliDone = true; });
    // The console keeps editing the same file for as long as the CLI runs (its start-up, its six locked edits, its exit).
    const consoleTitles: string[] = [];
    do {
      const t = `Consola Producto ${consoleTitles.length + 1}`;
      const res = await c.req('POST', '/console/customers/globex/products', { _csrf: csrf, vendor: 'symantec', title: t, maintenanceExpires: '2031-05-31' });
      expect(res.status).toBe(303);
      consoleTitles.push(t);
    } while (!cliDone || consoleTitles.length < 3);
    const out = await cliRun;
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    const titles = (await onDisk()).getCustomer('globex')!.products.map((p) => p.product);
    expect(titles).toEqual(expect.arrayContaining([...cliTitles, ...consoleTitles, 'ESET PROTECT Advanced']));
    expect(titles).toHaveLength(1 + cliTitles.length + consoleTitles.length);

    // What the console changed is what the CLI shows, and the reverse.
    const shown = JSON.parse((await cli('customer', 'show', 'globex', '--json')).out) as Customer;
    expect(shown).toMatchObject({ plan: 'basic', language: 'en', name: '<b>Globex</b> SRL' });
    expect(shown.contacts.find((k) => k.id === 'globex-c2')).toMatchObject({ name: 'Beto Gómez', phone: '+54 11 4444-5555', language: 'en', products: [] });
    expect(shown.products.map((p) => p.product)).toEqual(expect.arrayContaining(consoleTitles));
    const page = await c.req('GET', '/console/customers/globex');
    for (const t of cliTitles) expect(page.text).toContain(t);
  }, 120_000);
});
