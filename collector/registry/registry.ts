// The registry: customers, their products and designated contacts, and their agents, in one JSON document (lowdb).
// People edit it through the CLI; the collector only reads it, and notices when the file changed.
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files.js';
import { dirname } from 'node:path';
import type { AgentRecord, Contact, Customer, PlanId, ProductHolding, RegistryReader } from './types.js';
import type { Plan } from '../../config/plans.js';
import type { Language } from '../../lib/people.js';
import { XpearsError } from '../../lib/errors.js';
import { hashToken, newAgentToken } from './tokens.js';

// lowdb writes a new file and renames it over the old one: its mode comes from the umask (the CLI's makes it 0600,
// bin/umask.ts); this makes it 0600 also in a process that did not narrow its umask (tests, tools).
class PrivateJSONFile<T> extends JSONFile<T> {
  constructor(private readonly file: string) { super(file); }
  override async write(data: T): Promise<void> {
    await super.write(data);
    await chmod(this.file, PRIVATE_FILE_MODE);
  }
}

/** The document on disk. */
export interface RegistryData {
  version: 1;
  customers: Customer[];
  agents: AgentRecord[];
}

const EMPTY: RegistryData = { version: 1, customers: [], agents: [] };
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

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

/** The registry, read and written by the CLI, read by the collector. */
export class Registry implements RegistryReader {
  private mtimeMs = -1;
  private lastCheck = 0;

  private constructor(private readonly db: Low<RegistryData>, private readonly path: string, private readonly plans: Readonly<Record<PlanId, Plan>>, private readonly now: () => Date) {}

  /** Opens (creating if needed) the registry file. */
  static async open(path: string, plans: Readonly<Record<PlanId, Plan>>, now: () => Date = () => new Date()): Promise<Registry> {
    makePrivateDir(dirname(path));
    const db = new Low<RegistryData>(new PrivateJSONFile<RegistryData>(path), structuredClone(EMPTY));
    const r = new Registry(db, path, plans, now);
    await r.reload();
    return r;
  }

  /** Reads the file again. */
  async reload(): Promise<void> {
    await this.db.read();
    this.db.data ??= structuredClone(EMPTY);
    try { this.mtimeMs = statSync(this.path).mtimeMs; } catch { this.mtimeMs = -1; }
  }

  /** Re-reads the file when it changed on disk, at most once a second: the collector calls it before lookups.
   *  `now`: look at the file whatever the time since the last look (for a token the registry does not know). */
  async refreshIfChanged(now = false): Promise<void> {
    const t = Date.now();
    if (!now && t - this.lastCheck < 1000) return;
    this.lastCheck = t;
    let m = -1;
    try { m = statSync(this.path).mtimeMs; } catch { return; }
    if (m !== this.mtimeMs) await this.reload();
  }

  private get data(): RegistryData { return this.db.data; }

  /**
   * One edit of the file, whoever else edits it (the CLI, the console in the collector): under an exclusive lock file
   * beside it, the file is read again, `fn` decides on what is there now, and the result is written before the lock is
   * let go. Two editors at the same moment both land; neither overwrites the other with an older copy.
   */
  private async edit<T>(fn: () => T): Promise<T> {
    const release = await lockFile(`${this.path}.lock`);
    try {
      await this.reload();
      const result = fn();
      await this.db.write();
      try { this.mtimeMs = statSync(this.path).mtimeMs; } catch { /* read again next time */ }
      return result;
    } finally {
      release();
    }
  }

  getCustomer(id: string): Customer | undefined { return this.data.customers.find((c) => c.id === id); }
  listCustomers(): Customer[] { return [...this.data.customers]; }
  getAgent(id: string): AgentRecord | undefined { return this.data.agents.find((a) => a.id === id); }
  listAgents(customerId?: string): AgentRecord[] {
    return this.data.agents.filter((a) => customerId === undefined || a.customerId === customerId);
  }

  /** A customer, or a NOT_FOUND error naming the id. */
  requireCustomer(id: string): Customer {
    const c = this.getCustomer(id);
    if (!c) throw new XpearsError('CUSTOMER_NOT_FOUND', `no customer has the id "${id}"`);
    return c;
  }

  /** Adds a customer. */
  async addCustomer(input: NewCustomer): Promise<Customer> {
    return this.edit(() => {
      if (!ID.test(input.id)) throw new XpearsError('INVALID_ARGUMENT', `customer id "${input.id}": use lowercase letters, digits and dashes`);
      if (this.getCustomer(input.id)) throw new XpearsError('CUSTOMER_EXISTS', `a customer with the id "${input.id}" exists already`);
      const customer: Customer = {
        id: input.id, name: input.name, plan: input.plan, timezone: input.timezone ?? 'America/Argentina/Buenos_Aires',
        products: input.products ?? [], contacts: [], advisoryDelivery: input.advisoryDelivery ?? 'digest',
        language: input.language ?? 'es', createdAt: this.now().toISOString(),
      };
      this.data.customers.push(customer);
      return customer;
    });
  }

  /** Changes a customer's plan, name, zone, language, delivery, or adds/replaces a product holding. */
  async setCustomer(id: string, changes: Partial<Pick<Customer, 'name' | 'plan' | 'timezone' | 'language' | 'advisoryDelivery'>> & { product?: ProductHolding }): Promise<Customer> {
    return this.edit(() => {
      const c = this.requireCustomer(id);
      const { product, ...rest } = changes;
      Object.assign(c, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      if (product) {
        const i = c.products.findIndex((p) => p.product === product.product);
        if (i >= 0) c.products[i] = product; else c.products.push(product);
      }
      return c;
    });
  }

  /** Adds a designated contact, within the plan's limit per software title. */
  async addContact(customerId: string, input: Omit<Contact, 'id'>): Promise<Contact> {
    return this.edit(() => {
      const c = this.requireCustomer(customerId);
      const titles = input.products.length > 0 ? input.products : c.products.map((p) => p.product);
      if (titles.length === 0) throw new XpearsError('INVALID_ARGUMENT', `customer "${customerId}" holds no product yet: add one with "xpears customer set ${customerId} --product …" first`);
      const limit = this.plans[c.plan].contactsPerProduct;
      for (const title of titles) {
        if (!c.products.some((p) => p.product === title)) throw new XpearsError('INVALID_ARGUMENT', `customer "${customerId}" does not hold "${title}"`);
        const n = c.contacts.filter((k) => k.products.includes(title)).length;
        if (n >= limit) {
          throw new XpearsError('CONTACT_LIMIT', `the ${this.plans[c.plan].name} plan allows ${limit} designated contacts for "${title}", and "${customerId}" has ${n} already; remove one first`);
        }
      }
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) throw new XpearsError('INVALID_ARGUMENT', `"${input.email}" is not an e-mail address`);
      const contact: Contact = { ...input, products: titles, id: `${customerId}-c${nextNumber(c.contacts.map((k) => k.id))}` };
      c.contacts.push(contact);
      return contact;
    });
  }

  /** Removes a designated contact. */
  async removeContact(contactId: string): Promise<void> {
    return this.edit(() => {
      const c = this.data.customers.find((k) => k.contacts.some((x) => x.id === contactId));
      if (!c) throw new XpearsError('CONTACT_NOT_FOUND', `no contact has the id "${contactId}"`);
      c.contacts = c.contacts.filter((x) => x.id !== contactId);
    });
  }

  /** Enrolls a new agent for a customer; returns the token, which is not kept anywhere. */
  async enrollAgent(customerId: string, name?: string, vendorHint?: AgentRecord['vendorHint']): Promise<{ agent: AgentRecord; token: string }> {
    return this.edit(() => {
      this.requireCustomer(customerId);
      const id = `${customerId}-a${nextNumber(this.data.agents.filter((a) => a.customerId === customerId).map((a) => a.id))}`;
      const token = newAgentToken(id);
      const agent: AgentRecord = { id, customerId, name: name ?? id, tokenHash: hashToken(token), enrolledAt: this.now().toISOString(), ...(vendorHint ? { vendorHint } : {}) };
      this.data.agents.push(agent);
      return { agent, token };
    });
  }

  /** Revokes an agent: its token stops working at once (within a second at a running collector). */
  async revokeAgent(agentId: string): Promise<AgentRecord> {
    return this.edit(() => {
      const a = this.getAgent(agentId);
      if (!a) throw new XpearsError('AGENT_NOT_FOUND', `no agent has the id "${agentId}"`);
      a.revokedAt ??= this.now().toISOString();
      return a;
    });
  }
}

function nextNumber(ids: string[]): number {
  let max = 0;
  for (const id of ids) {
    const m = /(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

// An exclusive lock file (created with O_EXCL), waited for up to 10 s; one older than 30 s is a crashed editor's.
async function lockFile(path: string): Promise<() => void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
      return () => { try { unlinkSync(path); } catch { /* gone already */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try { if (Date.now() - statSync(path).mtimeMs > 30_000) unlinkSync(path); } catch { /* released meanwhile */ }
      if (Date.now() > deadline) throw new XpearsError('STATE_CONFLICT', `the registry is locked by another editor (${path}); try again`);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
  }
}
