// Test support for tickets and escalation: a real SQLite file in a temp dir with the collector's migrations, a
// registry held in memory, a real notification outbox and a fixed clock. Not used in production.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBusinessCalendar, type BusinessCalendar } from '../../config/calendar.js';
import { resolvePlans } from '../../config/plans.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { StoredEvent } from '../../protocol/event.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { AgentRecord, Customer, RegistryReader } from '../registry/types.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { loadTriageRules } from '../triage/rules.js';
import { TicketService, type TicketServiceDeps } from './service.js';
import { EventPipeline } from '../pipeline/pipeline.js';

/** A customer on the given plan with an ESET holding and two contacts (one designated for ESET, in English). */
export function sampleCustomer(id: string, plan: Customer['plan'] = 'managed'): Customer {
  return {
    id, name: `Cliente ${id}`, plan, timezone: 'America/Argentina/Buenos_Aires', advisoryDelivery: 'digest', language: 'es',
    createdAt: '2026-01-01T00:00:00Z',
    products: [
      { vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2027-01-01' },
      { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-01-01' },
    ],
    contacts: [
      { id: 'c1', name: 'Ana Pérez', email: `ana@${id}.example`, language: 'es', products: ['ESET PROTECT Entry'] },
      { id: 'c2', name: 'John Smith', email: `john@${id}.example`, language: 'en', products: ['ESET PROTECT Entry'] },
      { id: 'c3', name: 'Sole Symantec', email: `sole@${id}.example`, language: 'es', products: ['Symantec Endpoint Protection'] },
    ],
  };
}

/** A registry in memory, mutable by the test. */
export class MemoryRegistry implements RegistryReader {
  customers = new Map<string, Customer>();
  agents = new Map<string, AgentRecord>();
  getCustomer(id: string): Customer | undefined { return this.customers.get(id); }
  listCustomers(): Customer[] { return [...this.customers.values()]; }
  getAgent(id: string): AgentRecord | undefined { return this.agents.get(id); }
  listAgents(customerId?: string): AgentRecord[] {
    return [...this.agents.values()].filter((a) => customerId === undefined || a.customerId === customerId);
  }
}

let seq = 0;

/** A stored event with sensible defaults (a ransomware detection on PC-01 of customer acme). */
export function storedEvent(over: Partial<StoredEvent> = {}): StoredEvent {
  seq += 1;
  return {
    id: `ev-${process.pid}-${seq}`, envelopeId: `env-${seq}`, customerId: 'acme', agentId: 'agent-1', raw: '{}',
    receivedAt: '2026-03-20T19:50:00Z', vendor: 'eset', product: 'ESET PROTECT', eventType: 'ransomware', severity: 'critical',
    occurredAt: '2026-03-20T19:50:00Z', computer: { name: 'PC-01', ip: '10.0.0.21', user: 'ACME\\jperez' },
    threat: { name: 'Win32/Filecoder.Phobos', type: 'ransomware', object: 'C:\\Users\\jperez\\invoice.exe' },
    action: 'blocked', actionText: 'Bloqueado por el escudo anti-ransomware', handled: true,
    summary: 'Ransomware Win32/Filecoder.Phobos bloqueado', format: 'eset/json', ...over,
  };
}

/** Everything a ticket test needs, on one SQLite file. */
export interface TicketKit {
  dir: string;
  path: string;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  registry: MemoryRegistry;
  outbox: NotificationOutbox;
  calendar: BusinessCalendar;
  service: TicketService;
  /** The pipeline over `service`: what turns stored events into tickets. */
  pipeline: EventPipeline;
}

/** Opens a kit at `start` (default Friday 2026-03-20 16:50 Buenos Aires); `path` reuses a file (a second process). */
export function ticketKit(opts: { start?: string; path?: string; deps?: Partial<TicketServiceDeps> } = {}): TicketKit {
  const dir = opts.path ? '' : mkdtempSync(join(tmpdir(), 'tickets-'));
  const path = opts.path ?? join(dir, 'collector.db');
  const db = openCollectorDb(path);
  const clock = fixedClock(opts.start ?? '2026-03-20T16:50:00-03:00');
  const logger = silentLogger();
  const registry = new MemoryRegistry();
  registry.customers.set('acme', sampleCustomer('acme'));
  const outbox = new NotificationOutbox({ db, clock, logger });
  const calendar = createBusinessCalendar({});
  const service = new TicketService({
    db, clock, registry, plans: resolvePlans(), calendar, queue: outbox, rules: loadTriageRules(), logger,
    onDuty: [{ name: 'Guardia L1', email: 'guardia@xpears.example', language: 'es' }],
    levelEngineers: { L2: [{ name: 'Especialista L2', email: 'l2@xpears.example', language: 'es' }] },
    accountManagers: { acme: { name: 'Carla CAM', email: 'cam@xpears.example' } },
    ...opts.deps,
  });
  return { dir, path, db, clock, registry, outbox, calendar, service, pipeline: new EventPipeline(service) };
}

/** The queued mails, oldest first, as (recipient, subject, text). */
export function queuedMails(kit: Pick<TicketKit, 'outbox'>): { to: string; subject: string; text: string; dedupKey?: string }[] {
  return kit.outbox.list({ limit: 10_000 })
    .map((e) => ({ to: e.to.join(','), subject: e.message.subject, text: e.message.text, dedupKey: e.dedupKey, at: e.createdAt.getTime(), id: e.id }))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
    .map(({ to, subject, text, dedupKey }) => ({ to, subject, text, dedupKey }));
}
