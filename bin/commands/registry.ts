// Commands on the registry: customers, designated contacts, agents' enrollment.
import type { Command } from 'commander';
import { join } from 'node:path';
import { printList, printRecord } from '../output.js';
import { PLAN_IDS } from '../../collector/registry/types.js';
import { checkPlan, parseProductSpec } from '../../collector/registry/validate.js';

/** Parses "vendor:Product title:YYYY-MM-DD" into a product holding (the registry's rules, collector/registry/validate.ts). */
export const parseProduct = parseProductSpec;
const plan = checkPlan;

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The registry of the configured collector, loaded when a command runs. */
async function registryOf(configFile: string | undefined) {
  const { collectorConfig, openRegistry } = await import('../context.js');
  return openRegistry(collectorConfig(configFile));
}

/** Writes a registry edit to the audit log as the CLI's actor (`cli:<os user>`), with the console's action names. */
async function audit(configFile: string | undefined, action: string, target: string, detail: string | null = null): Promise<void> {
  const [{ collectorConfig, openDb }, { AccountStore }, { systemClock }, { cliActor }] = await Promise.all([
    import('../context.js'), import('../../collector/accounts/index.js'), import('../../lib/clock.js'), import('./users.js'),
  ]);
  const db = openDb(collectorConfig(configFile));
  try { new AccountStore(db, systemClock).audit(cliActor(), action, target, detail); } finally { db.close(); }
}

/** Registers `customer …`, `contact …` and `agent enroll|revoke|list`. */
export function registerRegistryCommands(program: Command, agent: Command): void {
  const customer = program.command('customer').description('customers of the provider');
  customer.command('add').description('add a customer')
    .requiredOption('--id <id>', 'short id: lowercase letters, digits, dashes').requiredOption('--name <name>', 'legal or trade name')
    .requiredOption('--plan <plan>', `support plan: ${PLAN_IDS.join(', ')}`)
    .option('--product <vendor:title:YYYY-MM-DD>', 'a product held and its maintenance end (repeatable)', collect)
    .option('--language <es|en>', 'language of the monthly report', 'es').option('--timezone <zone>', 'IANA zone')
    .option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const reg = await registryOf(o.config);
      const c = await reg.addCustomer({ id: o.id, name: o.name, plan: plan(o.plan), language: o.language, timezone: o.timezone, products: (o.product ?? []).map(parseProduct) });
      await audit(o.config, 'customer.add', c.id, `plan ${c.plan}`);
      console.log(`customer ${c.id} added (${c.plan})`);
    });
  customer.command('list').description('list customers').option('--json', 'print a JSON array').option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const reg = await registryOf(o.config);
      printList(reg.listCustomers(), [
        { header: 'ID', value: (c) => c.id }, { header: 'NAME', value: (c) => c.name }, { header: 'PLAN', value: (c) => c.plan },
        { header: 'PRODUCTS', value: (c) => c.products.map((p) => `${p.product} (${p.maintenanceExpires})`).join('; ') },
        { header: 'CONTACTS', value: (c) => c.contacts.length }, { header: 'AGENTS', value: (c) => reg.listAgents(c.id).filter((a) => !a.revokedAt).length },
      ], { json: o.json, empty: 'no customers yet: xpears customer add --id … --name … --plan …' });
    });
  customer.command('show <id>').description('show one customer').option('--json', 'print JSON').option('--config <file>', 'collector configuration')
    .action(async (id, o) => {
      const reg = await registryOf(o.config);
      const c = reg.requireCustomer(id);
      if (o.json) { console.log(JSON.stringify({ ...c, agents: reg.listAgents(id).map(({ tokenHash: _t, ...a }) => a) }, null, 2)); return; }
      printRecord({ id: c.id, name: c.name, plan: c.plan, timezone: c.timezone, language: c.language, advisoryDelivery: c.advisoryDelivery }, {});
      console.log('products:');
      for (const p of c.products) console.log(`  ${p.vendor}  ${p.product}  maintenance until ${p.maintenanceExpires}`);
      console.log('designated contacts:');
      for (const k of c.contacts) console.log(`  ${k.id}  ${k.name} <${k.email}>  ${k.language}  [${k.products.join(', ')}]`);
      console.log('agents:');
      for (const a of reg.listAgents(id)) console.log(`  ${a.id}  enrolled ${a.enrolledAt}${a.revokedAt ? `  REVOKED ${a.revokedAt}` : ''}`);
    });
  customer.command('set <id>').description('change a customer')
    .option('--name <name>').option('--plan <plan>').option('--language <es|en>').option('--timezone <zone>')
    .option('--advisory-delivery <digest|immediate>').option('--product <vendor:title:YYYY-MM-DD>', 'add or replace a product holding', collect)
    .option('--remove-product <title>', "remove a product holding (its contacts' designations for it go too)", collect)
    .option('--config <file>', 'collector configuration')
    .action(async (id, o) => {
      const reg = await registryOf(o.config);
      const before = reg.requireCustomer(id).plan;
      const c = await reg.setCustomer(id, { name: o.name, plan: o.plan ? plan(o.plan) : undefined, language: o.language, timezone: o.timezone, advisoryDelivery: o.advisoryDelivery });
      if ([o.name, o.plan, o.language, o.timezone, o.advisoryDelivery].some((v) => v !== undefined)) {
        await audit(o.config, 'customer.set', id, before !== c.plan ? `plan ${before} -> ${c.plan}` : `plan ${c.plan}`);
      }
      for (const spec of (o.product ?? []) as string[]) {
        const p = parseProduct(spec);
        await reg.setCustomer(id, { product: p });
        await audit(o.config, 'product.set', id, `${p.product} until ${p.maintenanceExpires}`);
      }
      for (const title of (o.removeProduct ?? []) as string[]) {
        await reg.removeProduct(id, title);
        await audit(o.config, 'product.remove', id, title);
      }
      console.log(`customer ${id} updated`);
    });

  const contact = program.command('contact').description("customers' designated contacts");
  contact.command('add').description('add a designated contact (within the plan limit per product)')
    .requiredOption('--customer <id>').requiredOption('--name <name>').requiredOption('--email <email>')
    .option('--phone <phone>').option('--language <es|en>', 'language of what they receive', 'es')
    .option('--product <title>', 'software title they are designated for (repeatable; default: all the customer holds)', collect)
    .option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const reg = await registryOf(o.config);
      const k = await reg.addContact(o.customer, { name: o.name, email: o.email, phone: o.phone, language: o.language === 'en' ? 'en' : 'es', products: o.product ?? [] });
      await audit(o.config, 'contact.add', o.customer, `${k.id} for ${k.products.join(', ')}`);
      console.log(`contact ${k.id} added for ${k.products.join(', ')}`);
    });
  contact.command('set <contactId>').description('change a designated contact (within the plan limit per product)')
    .option('--name <name>').option('--email <email>').option('--phone <phone>', 'phone number ("" for none)').option('--language <es|en>')
    .option('--product <title>', 'software title they are designated for (repeatable; replaces the list)', collect)
    .option('--general', 'designated for no title: a general contact').option('--config <file>', 'collector configuration')
    .action(async (id, o) => {
      const reg = await registryOf(o.config);
      const k = await reg.updateContact(id, { name: o.name, email: o.email, language: o.language, phone: o.phone === undefined ? undefined : o.phone || null,
        products: o.general ? [] : o.product });
      await audit(o.config, 'contact.update', k.id.replace(/-c\d+$/, ''), `${k.id} for ${k.products.join(', ') || 'no title (general)'}`);
      console.log(`contact ${k.id} updated: ${k.products.length ? k.products.join(', ') : 'general contact'}`);
    });
  contact.command('remove <contactId>').description('remove a designated contact').option('--config <file>', 'collector configuration')
    .action(async (id, o) => {
      await (await registryOf(o.config)).removeContact(id);
      await audit(o.config, 'contact.remove', id.replace(/-c\d+$/, ''), id);
      console.log(`contact ${id} removed`);
    });

  agent.command('enroll').description("enroll an agent for a customer; prints its token once")
    .requiredOption('--customer <id>').option('--name <name>').option('--vendor <eset|symantec>', "the console's vendor, when content alone cannot tell")
    .option('--config <file>', 'collector configuration')
    .option('--package <windows|linux>', 'also build an installable package carrying the URL and token (packaging/enrol.ts)')
    .option('--collector-url <url>', 'with --package: the URL the agent reaches the collector at').option('--console-address <ip>', 'with --package: the console, when not on the same server')
    .action(async (o) => {
      const enrol = o.package ? await import('../../packaging/enrol.js') : undefined;
      const platform = enrol?.checkPackageOptions(o);
      const reg = await registryOf(o.config);
      const { agent: a, token } = await reg.enrollAgent(o.customer, o.name, o.vendor);
      await audit(o.config, 'agent.enrol', a.customerId, a.id);
      console.log(`agent ${a.id} enrolled for ${a.customerId}.`);
      if (!enrol || !platform) { console.log(`token (shown once; only its hash is kept): ${token}`); return; }
      const built = await enrol.buildEnrolledPackage({ platform, customerId: a.customerId, collectorUrl: o.collectorUrl, token, consoleAddress: o.consoleAddress,
        version: enrol.PACKAGE_VERSION, outDir: enrol.ENROLLED_DIR });
      console.log(`package (carries the token; hand it over like a password): ${built.file}`);
      console.log(`install on the customer's server: ${built.installCommand}`);
      console.log(`SNMP community to set in the console: ${built.community}`);
    });
  agent.command('revoke <agentId>').description("revoke an agent's token").option('--config <file>', 'collector configuration')
    .action(async (id, o) => {
      const a = await (await registryOf(o.config)).revokeAgent(id);
      await audit(o.config, 'agent.revoke', a.customerId, a.id);
      console.log(`agent ${a.id} revoked at ${a.revokedAt}`);
    });
  agent.command('list').description('enrolled agents with last heartbeat and outbox depth').option('--json', 'print a JSON array')
    .option('--config <file>', 'collector configuration')
    .option('--outdated [version]', 'only agents older than this version (default: the newest package in out/packages, or this checkout)')
    .action(async (o) => {
      const [{ collectorConfig, openRegistry, openDb }, { SqliteEventRepository }] = await Promise.all([import('../context.js'), import('../../collector/store/store.js')]);
      const config = collectorConfig(o.config);
      const reg = await openRegistry(config);
      const db = openDb(config);
      const beats = new SqliteEventRepository(db).lastHeartbeats();
      db.close();
      const rows = reg.listAgents().map(({ tokenHash: _t, ...a }) => {
        const b = beats.get(a.id);
        return { ...a, lastSeenAt: b?.receivedAt ?? null, agentVersion: b?.heartbeat.agentVersion ?? null, outboxDepth: b?.heartbeat.outbox.depth ?? null,
          oldestAgeSeconds: b?.heartbeat.outbox.oldestAgeSeconds ?? null, refusing: b?.heartbeat.outbox.refusing ?? null, receivers: b?.heartbeat.receivers ?? [] };
      });
      if (o.outdated !== undefined) {
        const { compareVersions, newestPackageVersion } = await import('../../packaging/versions.js');
        const newest = typeof o.outdated === 'string' ? o.outdated : newestPackageVersion(join(import.meta.dirname, '..', '..'));
        rows.splice(0, rows.length, ...rows.filter((r) => !r.revokedAt && (r.agentVersion === null || compareVersions(r.agentVersion, newest) < 0)));
      }
      printList(rows, [
        { header: 'ID', value: (r) => r.id }, { header: 'CUSTOMER', value: (r) => r.customerId },
        { header: 'STATE', value: (r) => (r.revokedAt ? 'revoked' : r.refusing ? 'REFUSING' : 'active') },
        { header: 'LAST SEEN', value: (r) => r.lastSeenAt ?? 'never' }, { header: 'OUTBOX', value: (r) => r.outboxDepth },
        { header: 'OLDEST(s)', value: (r) => (r.oldestAgeSeconds === null ? null : Math.round(r.oldestAgeSeconds)) },
        { header: 'VERSION', value: (r) => r.agentVersion },
      ], { json: o.json, empty: 'no agents enrolled: xpears agent enroll --customer ID' });
    });
}
