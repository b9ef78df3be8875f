// The registry: customers, their products and designated contacts, and their agents, in one JSON document (lowdb).
// People edit it through the CLI and the console's Customers page (leads), each edit under the lock (edit() below) by
// the rules of edits.ts and validate.ts; the collector reads it, and notices when the file changed.
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files.js';
import { dirname } from 'node:path';
import type { AgentRecord, Contact, Customer, PlanId, ProductHolding, RegistryReader } from './types.js';
import type { Plan } from '../../config/plans.js';
import { hashToken, newAgentToken } from './tokens.js';
import { lockFile } from './lock.js';
import { refuse } from './validate.js';
import {
  addContactTo, addCustomerTo, addProductTo, customerIn, nextNumber, removeContactFrom, removeProductFrom, setCustomerIn, setMaintenanceIn,
  updateContactIn, type ContactChanges, type CustomerChanges, type NewCustomer, type RegistryData,
} from './edits.js';

export type { RegistryData, NewCustomer, CustomerChanges, ContactChanges } from './edits.js';

// lowdb writes a new file and renames it over the old one: its mode comes from the umask (the CLI's makes it 0600,
// bin/umask.ts); this makes it 0600 also in a process that did not narrow its umask (tests, tools).
class PrivateJSONFile<T> extends JSONFile<T> {
  constructor(private readonly file: string) { super(file); }
  override async write(data: T): Promise<void> {
    await super.write(data);
    await chmod(this.file, PRIVATE_FILE_MODE);
  }
}

const EMPTY: RegistryData = { version: 1, customers: [], agents: [] };

/** The registry, read and written by the CLI, read by the collector. */
export class Registry implements RegistryReader {
  private mtimeMs = -1;
  private lastCheck = 0;
  /** Reloads and edits of this process, one after another: a reload finishing after an edit's write would otherwise
   *  put the older copy back in memory, with the newer file's time, and the change would not be seen again. */
  private turn: Promise<unknown> = Promise.resolve();
  private pending = 0;

  private constructor(private readonly db: Low<RegistryData>, private readonly path: string, private readonly plans: Readonly<Record<PlanId, Plan>>, private readonly now: () => Date) {}

  /** Opens (creating if needed) the registry file. */
  static async open(path: string, plans: Readonly<Record<PlanId, Plan>>, now: () => Date = () => new Date()): Promise<Registry> {
    makePrivateDir(dirname(path));
    const db = new Low<RegistryData>(new PrivateJSONFile<RegistryData>(path), structuredClone(EMPTY));
    const r = new Registry(db, path, plans, now);
    await r.reload();
    return r;
  }

  /** Reads the file again (its time taken first, so the copy in memory is never older than the time kept). */
  async reload(): Promise<void> {
    try { this.mtimeMs = statSync(this.path).mtimeMs; } catch { this.mtimeMs = -1; }
    await this.db.read();
    this.db.data ??= structuredClone(EMPTY);
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.turn.then(fn, fn).finally(() => { this.pending--; });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Re-reads the file when it changed on disk, at most once a second: the collector calls it before lookups.
   *  `now`: look at the file whatever the time since the last look (for a token the registry does not know). */
  async refreshIfChanged(now = false): Promise<void> {
    const t = Date.now();
    if (!now && t - this.lastCheck < 1000) return;
    this.lastCheck = t;
    // A reload or edit under way leaves the copy fresh; waiting behind an edit that waits for another process's lock
    // would hold up the lookups (ingest) that call this.
    if (this.pending > 0) return;
    await this.inTurn(async () => {
      let m = -1;
      try { m = statSync(this.path).mtimeMs; } catch { return; }
      if (m !== this.mtimeMs) await this.reload();
    });
  }

  private get data(): RegistryData { return this.db.data; }

  /**
   * One edit of the file, whoever else edits it (the CLI, the console in the collector): under an exclusive lock file
   * beside it, the file is read again, `fn` decides on what is there now, and the result is written before the lock is
   * let go. Two editors at the same moment both land; neither overwrites the other with an older copy.
   */
  private edit<T>(fn: () => T): Promise<T> {
    return this.inTurn(async () => {
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
    });
  }

  getCustomer(id: string): Customer | undefined { return this.data.customers.find((c) => c.id === id); }
  listCustomers(): Customer[] { return [...this.data.customers]; }
  getAgent(id: string): AgentRecord | undefined { return this.data.agents.find((a) => a.id === id); }
  listAgents(customerId?: string): AgentRecord[] {
    return this.data.agents.filter((a) => customerId === undefined || a.customerId === customerId);
  }

  /** A customer, or a CUSTOMER_NOT_FOUND error naming the id. */
  requireCustomer(id: string): Customer { return customerIn(this.data, id); }

  /** Adds a customer. */
  async addCustomer(input: NewCustomer): Promise<Customer> {
    return this.edit(() => addCustomerTo(this.data, input, this.now().toISOString()));
  }

  /** Changes a customer's plan (refused when its contacts exceed the new plan's limit), name, zone, language,
   *  delivery, or adds/replaces a product holding. */
  async setCustomer(id: string, changes: CustomerChanges): Promise<Customer> {
    return this.edit(() => setCustomerIn(this.data, this.plans, id, changes));
  }

  /** Adds a product holding (refused when the title is held already). */
  async addProduct(customerId: string, holding: ProductHolding): Promise<ProductHolding> {
    return this.edit(() => addProductTo(this.data, customerId, holding));
  }

  /** Changes the last day of maintenance of a held title. */
  async setMaintenance(customerId: string, title: string, maintenanceExpires: string): Promise<ProductHolding> {
    return this.edit(() => setMaintenanceIn(this.data, customerId, title, maintenanceExpires));
  }

  /** Removes a held title, and the contacts' designations for it; returns the contacts changed. */
  async removeProduct(customerId: string, title: string): Promise<string[]> {
    return this.edit(() => removeProductFrom(this.data, customerId, title));
  }

  /** Adds a designated contact, within the plan's limit per software title. */
  async addContact(customerId: string, input: Omit<Contact, 'id'>): Promise<Contact> {
    return this.edit(() => addContactTo(this.data, this.plans, customerId, input));
  }

  /** Changes a designated contact, within the plan's limit per software title. */
  async updateContact(contactId: string, changes: ContactChanges): Promise<Contact> {
    return this.edit(() => updateContactIn(this.data, this.plans, contactId, changes));
  }

  /** Removes a designated contact. */
  async removeContact(contactId: string): Promise<void> {
    return this.edit(() => removeContactFrom(this.data, contactId));
  }

  /** Enrolls a new agent for a customer; returns the token, which is not kept anywhere. */
  async enrollAgent(customerId: string, name?: string, vendorHint?: AgentRecord['vendorHint']): Promise<{ agent: AgentRecord; token: string }> {
    return this.edit(() => {
      customerIn(this.data, customerId);
      const id = `${customerId}-a${nextNumber(this.data.agents.filter((a) => a.customerId === customerId).map((a) => a.id))}`;
      const token = newAgentToken(id);
      const agent: AgentRecord = { id, customerId, name: name ?? id, tokenHash: hashToken(token), enrolledAt: this.now().toISOString(), ...(vendorHint ? { vendorHint } : {}) };
      this.data.agents.push(agent);
      return { agent, token };
    });
  }

  /** Revokes an agent (of `customerId`, when given): its token stops working at once (within a second at a running
   *  collector). */
  async revokeAgent(agentId: string, customerId?: string): Promise<AgentRecord> {
    return this.edit(() => {
      const a = this.getAgent(agentId);
      if (!a || (customerId !== undefined && a.customerId !== customerId)) {
        throw refuse('AGENT_NOT_FOUND', 'agentNotFound', `no agent has the id "${agentId.slice(0, 80)}"`, { id: agentId.slice(0, 80) });
      }
      a.revokedAt ??= this.now().toISOString();
      return a;
    });
  }
}
